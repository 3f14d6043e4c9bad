import t from 'tap'
import { randomUUID } from 'node:crypto'
import { addUser, addUsers, eachStore } from '../test-support.ts'

eachStore(t, (t, fresh) => {
  t.test('a group reads back with its members in the order given', async (t) => {
    const store = await fresh(t)
    const members = await addUsers(store, 'Cat', 'Ann', 'Bob')
    const groupId = randomUUID()
    await store.createGroup({ groupId, name: 'Builders', memberIds: [...members, members[0]!] })
    t.same(await store.getGroup(groupId), { groupId, name: 'Builders', memberIds: members }, 'duplicates are ignored')
  })

  t.test('an unknown group is null; a group with an unknown member is not created', async (t) => {
    const store = await fresh(t)
    const groupId = randomUUID()
    t.equal(await store.getGroup(groupId), null)
    await t.rejects(store.createGroup({ groupId, name: 'x', memberIds: [await addUser(store, 'Ann'), randomUUID()] }))
    t.equal(await store.getGroup(groupId), null, 'rolled back whole')
  })
})
