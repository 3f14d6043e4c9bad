import t from 'tap'
import { randomUUID } from 'node:crypto'
import { addUser, memoryStore } from '../test-support.ts'

t.test('a group reads back with its members in the order given', (t) => {
  const store = memoryStore(t)
  const members = ['Cat', 'Ann', 'Bob'].map((name) => addUser(store, name))
  const groupId = randomUUID()
  store.createGroup({ groupId, name: 'Builders', memberIds: [...members, members[0]!] })
  t.same(store.getGroup(groupId), { groupId, name: 'Builders', memberIds: members }, 'duplicates are ignored')
  t.end()
})

t.test('an unknown group is null; a group with an unknown member is not created', (t) => {
  const store = memoryStore(t)
  const groupId = randomUUID()
  t.equal(store.getGroup(groupId), null)
  t.throws(() => store.createGroup({ groupId, name: 'x', memberIds: [addUser(store, 'Ann'), randomUUID()] }))
  t.equal(store.getGroup(groupId), null, 'rolled back whole')
  t.end()
})
