import t from 'tap'
import { randomUUID } from 'node:crypto'
import { addRegion, addUser, memoryStore, postgresStore, skipPostgres } from './test-support.ts'

t.test('version() grows with every change and stays put on reads and touch', async (t) => {
  const store = memoryStore(t)
  const [ann, bob] = [await addUser(store, 'Ann'), await addUser(store, 'Bob')]
  const regionId = await addRegion(store, 'North')
  const groupSessionId = randomUUID()
  await store.createGroupSession({ groupSessionId, name: 'Chat', groupId: null, startedBy: ann, memberIds: [ann, bob], createdAt: 1 })
  const before = store.version()
  await store.getUser(ann)
  await store.listMembers(groupSessionId)
  await store.listOnlineUsers([ann, bob])
  await store.findUserByName('Ann', 'Tester')
  await store.acknowledgedSince(randomUUID(), 0)
  await store.touch(groupSessionId, 5)
  t.equal(store.version(), before, 'reads and the idle clock are no change')
  const changes: Array<[string, () => Promise<unknown>]> = [
    ['a sign-on', () => store.createSession({ sessionId: 's1', userId: ann, secretHash: 'h', regionId, startedAt: 2 })],
    ['a leave', () => store.removeMember(groupSessionId, bob)],
    ['a join', () => store.addMember(groupSessionId, bob)],
    ['a lease', () => store.renewLease(regionId, 'http://north', 100)],
    ['a lease ended', () => store.endLease(regionId)],
    ['a sign-off', () => store.endSession('s1')],
    ['a change that changes nothing', () => store.removeMember(groupSessionId, randomUUID())]
  ]
  for (const [name, change] of changes) {
    const v = store.version()!
    await change()
    t.ok(store.version()! > v, name)
  }
})

t.test('a change that throws, and a transaction that rolls back, still move version()', async (t) => {
  const store = memoryStore(t)
  const ann = await addUser(store, 'Ann')
  let v = store.version()!
  await t.rejects(store.createSession({ sessionId: 's1', userId: ann, secretHash: 'h', regionId: randomUUID(), startedAt: 2 }), 'an unknown region breaks a foreign key')
  t.ok(store.version()! > v, 'the failed change')
  v = store.version()!
  let inside = 0
  await t.rejects(store.transaction(async (tx) => {
    await tx.getUser(ann)
    inside = tx.version()!
    throw new Error('rolled back')
  }))
  t.equal(inside, v, 'reads inside a transaction are no change')
  t.ok(store.version()! > inside, 'derived inside a transaction that rolled back: stale afterwards')
})

t.test('a PostgreSQL store has no version: other processes change it', { skip: skipPostgres && 'GRIDIM_SKIP_POSTGRES=1' }, async (t) => {
  const store = await postgresStore(t)
  t.equal(store.version(), null)
  await addUser(store, 'Ann')
  t.equal(store.version(), null)
  t.equal(await store.transaction(async (tx) => tx.version()), null)
})
