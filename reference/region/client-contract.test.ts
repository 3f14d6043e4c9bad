// GRIDIM-LEASE-12: a client never gets `lease-expired` or `not-your-agent` — codes between a
// region and the user server that openapi/client.yaml lists for no client operation. Its session
// is over (401 unauthenticated), or, when the user server still places it here, it may try again.
import t from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import { REGION_URL, uuid } from './test-support.ts'
import { testRegion, type TestRegion } from './test-region.ts'

function leases (g: TestRegion): void {
  g.handlers.renewRegionLease = () => ({ leaseSeconds: 60, expiresAt: new Date(Date.now() + 60_000).toISOString() })
  g.handlers.returnUnreadMessages = (call) => ({ stored: (call.options.body as { messages: unknown[] }).messages.length })
}

const problem = (res: { statusCode: number, payload: string }) => ({ status: res.statusCode, code: (JSON.parse(res.payload) as { code: string }).code })

t.test('GRIDIM-LEASE-12: a send caught by a lapsed lease is answered 401 unauthenticated, not 409 lease-expired', async (t) => {
  const g = await testRegion(t)
  leases(g)
  const ada = g.admit()
  g.handlers.locateUser = () => { throw new GridImError('lease-expired') }
  const res = await g.asClient(ada.sessionSecret, 'POST', '/client/instant-messages', { toUserId: uuid(), body: 'Tea?' })
  t.same(problem(res), { status: 401, code: 'unauthenticated' })
  t.equal(g.region.agents.size, 0, 'GRIDIM-LEASE-8: the session is over here')
  const again = await g.asClient(ada.sessionSecret, 'GET', '/client/friends')
  t.same(problem(again), { status: 401, code: 'unauthenticated' }, 'and stays over: sign on again')
})

t.test('GRIDIM-LEASE-12: not-your-agent from the user server ends a session it no longer places here, returning its unread', async (t) => {
  const g = await testRegion(t)
  leases(g)
  const ada = g.admit()
  const unread = { messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId: ada.userId, body: 'unread', sentAt: '2024-11-24T09:15:00Z' }
  await g.fromUserServer('POST', '/instant-messages', unread)
  g.handlers.listFriends = () => { throw new GridImError('not-your-agent', 'the signing region does not host the user') }
  g.locations.delete(ada.userId)
  g.handlers.locateUser = (call) => {
    if (call.options.query?.for === ada.userId) throw new GridImError('not-your-agent')
    return { userId: call.options.params!.userId, online: false, canSeeOnline: true }
  }
  const res = await g.asClient(ada.sessionSecret, 'GET', '/client/friends')
  t.same(problem(res), { status: 401, code: 'unauthenticated' })
  t.equal(g.region.agents.byUserId(ada.userId), undefined, 'the agent is dropped')
  await g.region.context.returns.flush()
  t.same(g.peer.callsOf('returnUnreadMessages').map((c) => (c.options.body as { messages: Array<{ messageId: string }> }).messages.map((m) => m.messageId)), [[unread.messageId]],
    'GRIDIM-OFFL-11: what it left unread goes back')
})

t.test('GRIDIM-LEASE-12: a session the user server places elsewhere ends too', async (t) => {
  const g = await testRegion(t)
  leases(g)
  const ada = g.admit()
  g.handlers.listFriends = () => { throw new GridImError('not-your-agent') }
  g.placeAt(ada.userId, 'other')
  t.same(problem(await g.asClient(ada.sessionSecret, 'GET', '/client/friends')), { status: 401, code: 'unauthenticated' })
  t.equal(g.region.agents.size, 0)
})

t.test('GRIDIM-LEASE-12: a peer\'s not-your-agent for a session still placed here is 503 unavailable, and the session is kept', async (t) => {
  const g = await testRegion(t)
  const cyd = uuid()
  const ada = g.admit()
  g.placeAt(cyd, 'other')
  g.handlers.deliverInstantMessage = () => { throw new GridImError('not-your-agent', 'the other region does not believe the sender') }
  const res = await g.asClient(ada.sessionSecret, 'POST', '/client/instant-messages', { toUserId: cyd, body: 'Tea?' })
  t.same(problem(res), { status: 503, code: 'unavailable' }, 'safe to try again')
  t.equal(g.region.agents.byUserId(ada.userId), ada)
})

t.test('GRIDIM-LEASE-12: when the user server cannot say where the session is, the client gets that error and keeps it', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  g.handlers.listFriends = () => { throw new GridImError('not-your-agent') }
  g.handlers.locateUser = () => { throw new GridImError('unavailable', 'the user server is restarting') }
  t.same(problem(await g.asClient(ada.sessionSecret, 'GET', '/client/friends')), { status: 503, code: 'unavailable' })
  t.equal(g.region.agents.byUserId(ada.userId), ada)
})

t.test('GRIDIM-LEASE-12: a login the lease keeper could not carry through is 503 unavailable', async (t) => {
  const g = await testRegion(t)
  leases(g)
  g.handlers.lookupUser = () => { throw new GridImError('lease-expired') }
  const res = await g.region.server.inject({ method: 'POST', url: `${REGION_URL}/client/login`, payload: { firstName: 'Ada', lastName: 'Lovelace', password: 'analytical-engine-1843' } })
  t.same(problem(res), { status: 503, code: 'unavailable' })
  // Each renewal reads the directory too, for the replay window (GRIDIM-LIM-22).
  t.same(g.peer.ops(), ['lookupUser', 'renewRegionLease', 'getDirectory', 'lookupUser'], 'renewed and tried once more first')
})

t.test('other errors pass unchanged', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  g.handlers.lookupUser = () => { throw new GridImError('unknown-user') }
  t.same(problem(await g.asClient(ada.sessionSecret, 'GET', '/client/users?name=Nobody%20Here')), { status: 404, code: 'unknown-user' })
})

t.test('the deliberate fault lease-codes-passed-to-client gives the client the user server\'s code (for conformance/variants only)', async (t) => {
  const g = await testRegion(t, { faults: new Set(['lease-codes-passed-to-client']) })
  const ada = g.admit()
  g.handlers.listFriends = () => { throw new GridImError('not-your-agent') }
  t.same(problem(await g.asClient(ada.sessionSecret, 'GET', '/client/friends')), { status: 403, code: 'not-your-agent' })
})
