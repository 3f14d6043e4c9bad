import t from 'tap'
import { randomUUID } from 'node:crypto'
import { addRegion, addUser, memoryStore } from '../../store/test-support.ts'
import type { Store } from '../../store/index.ts'
import { locator } from '../notices/locator.ts'
import { GroupDestinationCache } from './destinations.ts'

async function fixture (t: Parameters<typeof memoryStore>[0], options: { shared?: boolean, slowFirstQuery?: boolean } = {}) {
  const store = memoryStore(t)
  const clock = { now: 1000 }
  const [north, south] = [await addRegion(store, 'North'), await addRegion(store, 'South')]
  await store.renewLease(north, 'http://north', 10_000)
  await store.renewLease(south, 'http://south', 20_000)
  const [ann, bob, cid] = [await addUser(store, 'Ann'), await addUser(store, 'Bob'), await addUser(store, 'Cid')]
  const signOn = async (userId: string, regionId: string): Promise<string> => {
    const sessionId = randomUUID()
    await store.createSession({ sessionId, userId, secretHash: 'h', regionId, startedAt: clock.now })
    return sessionId
  }
  const sessions = { ann: await signOn(ann, north), bob: await signOn(bob, south), cid: await signOn(cid, north) }
  const groupSessionId = randomUUID()
  await store.createGroupSession({ groupSessionId, name: 'Chat', groupId: null, startedBy: ann, memberIds: [ann, bob, cid], createdAt: 1 })
  // Counts the member queries, to tell a kept entry from a fresh one; `shared` stands for a
  // store shared with other processes, which cannot say whether anything changed;
  // `slowFirstQuery` answers the first member query 20 ms late (read at once, answered late).
  let queries = 0
  const counted: Store = {
    ...store,
    listMembers: async (id) => {
      const answer = await store.listMembers(id)
      if (queries++ === 0 && options.slowFirstQuery === true) await new Promise((resolve) => setTimeout(resolve, 20))
      return answer
    },
    ...(options.shared === true ? { version: () => null } : {})
  }
  const cache = new GroupDestinationCache(counted, locator(store, () => clock.now), () => clock.now)
  const shape = async () => (await cache.of(groupSessionId)).byRegion.map((d) => [d.target.url, [...d.items]])
  return { store, clock, cache, shape, groupSessionId, north, south, ann, bob, cid, sessions, signOn, queries: () => queries }
}

t.test('a session unchanged is located once; members and regions in order', async (t) => {
  const f = await fixture(t)
  const first = await f.cache.of(f.groupSessionId)
  t.same(await f.shape(), [['http://north', [f.ann, f.cid]], ['http://south', [f.bob]]])
  t.same(first.members, [f.ann, f.bob, f.cid])
  t.ok(first.memberSet.has(f.bob))
  t.same(first.byRegion.map((d) => d.itemsBytes), first.byRegion.map((d) => Buffer.byteLength(JSON.stringify(d.items))), 'the ids as JSON, in bytes')
  await f.store.touch(f.groupSessionId, 5000)
  t.equal(await f.cache.of(f.groupSessionId), first, 'the same entry: touch is no change')
  t.equal(f.queries(), 1)
})

t.test('GRIDIM-GRP-12, GRIDIM-GRP-17: every change that moves a member or a region is seen by the next message', async (t) => {
  const f = await fixture(t)
  const cases: Array<[string, () => Promise<unknown>, () => unknown]> = [
    ['a leave', () => f.store.removeMember(f.groupSessionId, f.cid), () => [['http://north', [f.ann]], ['http://south', [f.bob]]]],
    ['a join', () => f.store.addMember(f.groupSessionId, f.cid), () => [['http://north', [f.ann, f.cid]], ['http://south', [f.bob]]]],
    ['a relocation', () => f.store.moveSession(f.sessions.ann, f.south), () => [['http://south', [f.ann, f.bob]], ['http://north', [f.cid]]]],
    ['a sign-off', () => f.store.endSession(f.sessions.bob), () => [['http://south', [f.ann]], ['http://north', [f.cid]]]],
    ['a sign-on', async () => { f.sessions.bob = await f.signOn(f.bob, f.north) }, () => [['http://south', [f.ann]], ['http://north', [f.bob, f.cid]]]],
    ['a lease renewed at another URL', () => f.store.renewLease(f.south, 'http://south-2', 20_000), () => [['http://south-2', [f.ann]], ['http://north', [f.bob, f.cid]]]],
    ['a lease ended', () => f.store.endLease(f.south), () => [['http://north', [f.bob, f.cid]]]]
  ]
  await f.cache.of(f.groupSessionId)
  for (const [name, change, expected] of cases) {
    const kept = await f.cache.of(f.groupSessionId)
    await change()
    t.not(await f.cache.of(f.groupSessionId), kept, `${name}: a new entry`)
    t.same(await f.shape(), expected(), name)
  }
  t.same((await f.cache.of(f.groupSessionId)).memberSet, new Set([f.ann, f.bob, f.cid]))
  await f.store.removeMember(f.groupSessionId, f.bob)
  t.notOk((await f.cache.of(f.groupSessionId)).memberSet.has(f.bob), 'membership at acceptance')
})

t.test('GRIDIM-LEASE-4: a destination whose lease lapses is dropped without any change in the store', async (t) => {
  const f = await fixture(t)
  await f.cache.of(f.groupSessionId)
  f.clock.now = 9_999
  t.same(await f.shape(), [['http://north', [f.ann, f.cid]], ['http://south', [f.bob]]], 'still current')
  t.equal(f.queries(), 1)
  f.clock.now = 10_000
  t.same(await f.shape(), [['http://south', [f.bob]]], 'north lapsed')
  f.clock.now = 20_000
  t.same(await f.shape(), [], 'none left')
})

t.test('entries of other sessions are dropped at any change; unknown sessions have no members', async (t) => {
  const f = await fixture(t)
  const other = randomUUID()
  await f.store.createGroupSession({ groupSessionId: other, name: 'Other', groupId: null, startedBy: f.ann, memberIds: [f.ann, f.bob], createdAt: 1 })
  const a = await f.cache.of(other)
  await f.cache.of(f.groupSessionId)
  t.equal(await f.cache.of(other), a)
  await f.store.addMember(f.groupSessionId, await addUser(f.store, 'Dee'))
  t.not(await f.cache.of(other), a, 'rebuilt after a change elsewhere')
  t.same(await f.cache.of(randomUUID()), { members: [], memberSet: new Set(), byRegion: [], validUntil: Number.POSITIVE_INFINITY })
})

t.test('an entry built across a change is not kept, even once a later entry is', async (t) => {
  const f = await fixture(t, { slowFirstQuery: true })
  // The first build reads the members, then a leave lands, then a second message builds and
  // keeps its entry; the first build ends last, with the members from before the leave.
  const stale = f.cache.of(f.groupSessionId)
  await f.store.removeMember(f.groupSessionId, f.cid)
  const fresh = await f.cache.of(f.groupSessionId)
  t.same(fresh.members, [f.ann, f.bob])
  t.same((await stale).members, [f.ann, f.bob, f.cid], 'the first message: members at its acceptance')
  t.equal(await f.cache.of(f.groupSessionId), fresh, 'the entry kept is the one after the leave')
  t.equal(f.queries(), 2)
})

t.test('a store shared with other processes (version null): built afresh for every message, nothing kept', async (t) => {
  const f = await fixture(t, { shared: true })
  const first = await f.cache.of(f.groupSessionId)
  const second = await f.cache.of(f.groupSessionId)
  t.not(second, first, 'a new entry each time')
  t.same(second, first, 'with the same contents while nothing changed')
  t.equal(f.queries(), 2)
  await f.store.removeMember(f.groupSessionId, f.cid)
  t.same(await f.shape(), [['http://north', [f.ann]], ['http://south', [f.bob]]])
})
