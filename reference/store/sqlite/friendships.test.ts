import t from 'tap'
import { randomUUID } from 'node:crypto'
import { addUser, memoryStore } from '../test-support.ts'

t.test('each side of a friendship sees what it grants and what it receives (GRIDIM-FRND)', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const bob = addUser(store, 'Bob')
  t.equal(store.createFriendship(ann, bob, 3, 1), true)
  t.same(store.getFriendship(ann, bob), { userId: ann, friendId: bob, rightsGranted: 3, rightsReceived: 1 })
  t.same(store.getFriendship(bob, ann), { userId: bob, friendId: ann, rightsGranted: 1, rightsReceived: 3 })
  t.end()
})

t.test('befriending again is refused and keeps the rights', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const bob = addUser(store, 'Bob')
  store.createFriendship(ann, bob, 3, 1)
  t.equal(store.createFriendship(bob, ann, 7, 7), false)
  t.equal(store.createFriendship(ann, bob, 0, 0), false)
  t.same(store.getFriendship(ann, bob), { userId: ann, friendId: bob, rightsGranted: 3, rightsReceived: 1 })
  t.end()
})

t.test('B and C, both friends of A, are not friends of each other', (t) => {
  const store = memoryStore(t)
  const a = addUser(store, 'Ann', 'Avatar')
  const b = addUser(store, 'Bob', 'Builder')
  const c = addUser(store, 'Cat', 'Crafter')
  store.createFriendship(a, b, 1, 1)
  store.createFriendship(a, c, 3, 0)
  t.same(store.listFriends(a), [
    { friendId: b, firstName: 'Bob', lastName: 'Builder', rightsGranted: 1, rightsReceived: 1 },
    { friendId: c, firstName: 'Cat', lastName: 'Crafter', rightsGranted: 3, rightsReceived: 0 },
  ])
  t.same(store.listFriends(b).map((f) => f.friendId), [a])
  t.same(store.listFriends(c), [{ friendId: a, firstName: 'Ann', lastName: 'Avatar', rightsGranted: 0, rightsReceived: 3 }])
  t.equal(store.getFriendship(b, c), null)
  t.end()
})

t.test('setRights changes one direction only', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const bob = addUser(store, 'Bob')
  store.createFriendship(ann, bob, 1, 1)
  const steps: [string, string, number, [number, number]][] = [
    [ann, bob, 7, [7, 1]],
    [bob, ann, 0, [7, 0]],
    [ann, bob, 2, [2, 0]],
  ]
  for (const [granter, grantee, rights, [ab, ba]] of steps) {
    t.equal(store.setRights(granter, grantee, rights), true)
    t.match(store.getFriendship(ann, bob), { rightsGranted: ab, rightsReceived: ba }, `after granting ${rights}`)
  }
  t.equal(store.setRights(ann, addUser(store, 'Cat'), 1), false, 'not friends')
  t.end()
})

t.test('rights outside 0..7 are rejected by the schema', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const bob = addUser(store, 'Bob')
  t.throws(() => store.createFriendship(ann, bob, 8, 0))
  t.equal(store.getFriendship(ann, bob), null, 'no half friendship is left behind')
  store.createFriendship(ann, bob, 1, 1)
  t.throws(() => store.setRights(ann, bob, -1))
  t.end()
})

t.test('ending a friendship removes both directions, once', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const bob = addUser(store, 'Bob')
  store.createFriendship(ann, bob, 1, 1)
  t.equal(store.endFriendship(bob, ann), true)
  t.equal(store.getFriendship(ann, bob), null)
  t.equal(store.getFriendship(bob, ann), null)
  t.same(store.listFriends(ann), [])
  t.equal(store.endFriendship(ann, bob), false)
  t.end()
})

t.test('a friendship needs two existing, distinct users', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  t.throws(() => store.createFriendship(ann, randomUUID(), 1, 1))
  t.throws(() => store.createFriendship(ann, ann, 1, 1))
  t.same(store.listFriends(ann), [])
  t.end()
})
