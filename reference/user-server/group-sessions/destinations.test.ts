import t from 'tap'
import { randomUUID } from 'node:crypto'
import { addRegion, addUser, memoryStore } from '../../store/test-support.ts'
import type { Store } from '../../store/index.ts'
import { locator } from '../notices/locator.ts'
import { GroupDestinationCache } from './destinations.ts'

function fixture (t: Parameters<typeof memoryStore>[0]) {
  const store = memoryStore(t)
  const clock = { now: 1000 }
  const [north, south] = [addRegion(store, 'North'), addRegion(store, 'South')]
  store.renewLease(north, 'http://north', 10_000)
  store.renewLease(south, 'http://south', 20_000)
  const [ann, bob, cid] = [addUser(store, 'Ann'), addUser(store, 'Bob'), addUser(store, 'Cid')]
  const signOn = (userId: string, regionId: string): string => {
    const sessionId = randomUUID()
    store.createSession({ sessionId, userId, secretHash: 'h', regionId, startedAt: clock.now })
    return sessionId
  }
  const sessions = { ann: signOn(ann, north), bob: signOn(bob, south), cid: signOn(cid, north) }
  const groupSessionId = randomUUID()
  store.createGroupSession({ groupSessionId, name: 'Chat', groupId: null, startedBy: ann, memberIds: [ann, bob, cid], createdAt: 1 })
  // Counts the member queries, to tell a kept entry from a fresh one.
  let queries = 0
  const counted: Store = { ...store, listMembers: (id) => { queries++; return store.listMembers(id) } }
  const cache = new GroupDestinationCache(counted, locator(store, () => clock.now), () => clock.now)
  const shape = () => cache.of(groupSessionId).byRegion.map((d) => [d.target.url, [...d.items]])
  return { store, clock, cache, shape, groupSessionId, north, south, ann, bob, cid, sessions, signOn, queries: () => queries }
}

t.test('a session unchanged is located once; members and regions in order', (t) => {
  const f = fixture(t)
  const first = f.cache.of(f.groupSessionId)
  t.same(f.shape(), [['http://north', [f.ann, f.cid]], ['http://south', [f.bob]]])
  t.same(first.members, [f.ann, f.bob, f.cid])
  t.ok(first.memberSet.has(f.bob))
  t.same(first.byRegion.map((d) => d.itemsBytes), first.byRegion.map((d) => Buffer.byteLength(JSON.stringify(d.items))), 'the ids as JSON, in bytes')
  f.store.touch(f.groupSessionId, 5000)
  t.equal(f.cache.of(f.groupSessionId), first, 'the same entry: touch is no change')
  t.equal(f.queries(), 1)
  t.end()
})

t.test('GRIDIM-GRP-12, GRIDIM-GRP-17: every change that moves a member or a region is seen by the next message', (t) => {
  const f = fixture(t)
  const cases: Array<[string, () => void, () => unknown]> = [
    ['a leave', () => f.store.removeMember(f.groupSessionId, f.cid), () => [['http://north', [f.ann]], ['http://south', [f.bob]]]],
    ['a join', () => f.store.addMember(f.groupSessionId, f.cid), () => [['http://north', [f.ann, f.cid]], ['http://south', [f.bob]]]],
    ['a relocation', () => f.store.moveSession(f.sessions.ann, f.south), () => [['http://south', [f.ann, f.bob]], ['http://north', [f.cid]]]],
    ['a sign-off', () => f.store.endSession(f.sessions.bob), () => [['http://south', [f.ann]], ['http://north', [f.cid]]]],
    ['a sign-on', () => { f.sessions.bob = f.signOn(f.bob, f.north) }, () => [['http://south', [f.ann]], ['http://north', [f.bob, f.cid]]]],
    ['a lease renewed at another URL', () => f.store.renewLease(f.south, 'http://south-2', 20_000), () => [['http://south-2', [f.ann]], ['http://north', [f.bob, f.cid]]]],
    ['a lease ended', () => f.store.endLease(f.south), () => [['http://north', [f.bob, f.cid]]]]
  ]
  f.cache.of(f.groupSessionId)
  for (const [name, change, expected] of cases) {
    const kept = f.cache.of(f.groupSessionId)
    change()
    t.not(f.cache.of(f.groupSessionId), kept, `${name}: a new entry`)
    t.same(f.shape(), expected(), name)
  }
  t.same(f.cache.of(f.groupSessionId).memberSet, new Set([f.ann, f.bob, f.cid]))
  f.store.removeMember(f.groupSessionId, f.bob)
  t.notOk(f.cache.of(f.groupSessionId).memberSet.has(f.bob), 'membership at acceptance')
  t.end()
})

t.test('GRIDIM-LEASE-4: a destination whose lease lapses is dropped without any change in the store', (t) => {
  const f = fixture(t)
  f.cache.of(f.groupSessionId)
  f.clock.now = 9_999
  t.same(f.shape(), [['http://north', [f.ann, f.cid]], ['http://south', [f.bob]]], 'still current')
  t.equal(f.queries(), 1)
  f.clock.now = 10_000
  t.same(f.shape(), [['http://south', [f.bob]]], 'north lapsed')
  f.clock.now = 20_000
  t.same(f.shape(), [], 'none left')
  t.end()
})

t.test('entries of other sessions are dropped at any change; unknown sessions have no members', (t) => {
  const f = fixture(t)
  const other = randomUUID()
  f.store.createGroupSession({ groupSessionId: other, name: 'Other', groupId: null, startedBy: f.ann, memberIds: [f.ann, f.bob], createdAt: 1 })
  const a = f.cache.of(other)
  f.cache.of(f.groupSessionId)
  t.equal(f.cache.of(other), a)
  f.store.addMember(f.groupSessionId, addUser(f.store, 'Dee'))
  t.not(f.cache.of(other), a, 'rebuilt after a change elsewhere')
  t.same(f.cache.of(randomUUID()), { members: [], memberSet: new Set(), byRegion: [], validUntil: Number.POSITIVE_INFINITY })
  t.end()
})
