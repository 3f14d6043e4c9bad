import t from 'tap'
import { randomUUID } from 'node:crypto'
import { addUser, eachStore } from '../test-support.ts'

eachStore(t, (t, fresh) => {
  t.test('each side of a friendship sees what it grants and what it receives (GRIDIM-FRND)', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const bob = await addUser(store, 'Bob')
    t.equal(await store.createFriendship(ann, bob, 3, 1), true)
    t.same(await store.getFriendship(ann, bob), { userId: ann, friendId: bob, rightsGranted: 3, rightsReceived: 1 })
    t.same(await store.getFriendship(bob, ann), { userId: bob, friendId: ann, rightsGranted: 1, rightsReceived: 3 })
  })

  t.test('befriending again is refused and keeps the rights', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const bob = await addUser(store, 'Bob')
    await store.createFriendship(ann, bob, 3, 1)
    t.equal(await store.createFriendship(bob, ann, 7, 7), false)
    t.equal(await store.createFriendship(ann, bob, 0, 0), false)
    t.same(await store.getFriendship(ann, bob), { userId: ann, friendId: bob, rightsGranted: 3, rightsReceived: 1 })
  })

  t.test('B and C, both friends of A, are not friends of each other', async (t) => {
    const store = await fresh(t)
    const a = await addUser(store, 'Ann', 'Avatar')
    const b = await addUser(store, 'Bob', 'Builder')
    const c = await addUser(store, 'Cat', 'Crafter')
    await store.createFriendship(a, b, 1, 1)
    await store.createFriendship(a, c, 3, 0)
    t.same(await store.listFriends(a), [
      { friendId: b, firstName: 'Bob', lastName: 'Builder', rightsGranted: 1, rightsReceived: 1 },
      { friendId: c, firstName: 'Cat', lastName: 'Crafter', rightsGranted: 3, rightsReceived: 0 },
    ])
    t.same((await store.listFriends(b)).map((f) => f.friendId), [a])
    t.same(await store.listFriends(c), [{ friendId: a, firstName: 'Ann', lastName: 'Avatar', rightsGranted: 0, rightsReceived: 3 }])
    t.equal(await store.getFriendship(b, c), null)
  })

  t.test('setRights changes one direction only', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const bob = await addUser(store, 'Bob')
    await store.createFriendship(ann, bob, 1, 1)
    const steps: [string, string, number, [number, number]][] = [
      [ann, bob, 7, [7, 1]],
      [bob, ann, 0, [7, 0]],
      [ann, bob, 2, [2, 0]],
    ]
    for (const [granter, grantee, rights, [ab, ba]] of steps) {
      t.equal(await store.setRights(granter, grantee, rights), true)
      t.match(await store.getFriendship(ann, bob), { rightsGranted: ab, rightsReceived: ba }, `after granting ${rights}`)
    }
    t.equal(await store.setRights(ann, await addUser(store, 'Cat'), 1), false, 'not friends')
  })

  t.test('rights outside 0..7 are rejected by the schema', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const bob = await addUser(store, 'Bob')
    await t.rejects(store.createFriendship(ann, bob, 8, 0))
    t.equal(await store.getFriendship(ann, bob), null, 'no half friendship is left behind')
    await store.createFriendship(ann, bob, 1, 1)
    await t.rejects(store.setRights(ann, bob, -1))
  })

  t.test('ending a friendship removes both directions, once', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const bob = await addUser(store, 'Bob')
    await store.createFriendship(ann, bob, 1, 1)
    t.equal(await store.endFriendship(bob, ann), true)
    t.equal(await store.getFriendship(ann, bob), null)
    t.equal(await store.getFriendship(bob, ann), null)
    t.same(await store.listFriends(ann), [])
    t.equal(await store.endFriendship(ann, bob), false)
  })

  t.test('a friendship needs two existing, distinct users', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    await t.rejects(store.createFriendship(ann, randomUUID(), 1, 1))
    await t.rejects(store.createFriendship(ann, ann, 1, 1))
    t.same(await store.listFriends(ann), [])
  })
})
