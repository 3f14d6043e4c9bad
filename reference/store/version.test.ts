import t from 'tap'
import { randomUUID } from 'node:crypto'
import { addRegion, addUser, memoryStore } from './test-support.ts'

t.test('version() grows with every change and stays put on reads and touch', (t) => {
  const store = memoryStore(t)
  const [ann, bob] = [addUser(store, 'Ann'), addUser(store, 'Bob')]
  const regionId = addRegion(store, 'North')
  const groupSessionId = randomUUID()
  store.createGroupSession({ groupSessionId, name: 'Chat', groupId: null, startedBy: ann, memberIds: [ann, bob], createdAt: 1 })
  const before = store.version()
  store.getUser(ann)
  store.listMembers(groupSessionId)
  store.listOnlineUsers([ann, bob])
  store.findUserByName('Ann', 'Tester')
  store.acknowledgedSince(randomUUID(), 0)
  store.touch(groupSessionId, 5)
  t.equal(store.version(), before, 'reads and the idle clock are no change')
  const changes: Array<[string, () => unknown]> = [
    ['a sign-on', () => store.createSession({ sessionId: 's1', userId: ann, secretHash: 'h', regionId, startedAt: 2 })],
    ['a leave', () => store.removeMember(groupSessionId, bob)],
    ['a join', () => store.addMember(groupSessionId, bob)],
    ['a lease', () => store.renewLease(regionId, 'http://north', 100)],
    ['a lease ended', () => store.endLease(regionId)],
    ['a sign-off', () => store.endSession('s1')],
    ['a change that changes nothing', () => store.removeMember(groupSessionId, randomUUID())]
  ]
  for (const [name, change] of changes) {
    const v = store.version()
    change()
    t.ok(store.version() > v, name)
  }
  t.end()
})

t.test('a change that throws, and a transaction that rolls back, still move version()', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  let v = store.version()
  t.throws(() => store.createSession({ sessionId: 's1', userId: ann, secretHash: 'h', regionId: randomUUID(), startedAt: 2 }), 'an unknown region breaks a foreign key')
  t.ok(store.version() > v, 'the failed change')
  v = store.version()
  let inside = 0
  t.throws(() => store.transaction(() => {
    store.getUser(ann)
    inside = store.version()
    throw new Error('rolled back')
  }))
  t.equal(inside, v, 'reads inside a transaction are no change')
  t.ok(store.version() > inside, 'derived inside a transaction that rolled back: stale afterwards')
  t.end()
})
