import t from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import { uuid } from './test-support.ts'
import { testRegion, type TestRegion } from './test-region.ts'

function leases (g: TestRegion, leaseSeconds = 60) {
  g.handlers.renewRegionLease = () => ({ leaseSeconds, expiresAt: new Date(Date.now() + leaseSeconds * 1000).toISOString() })
  g.handlers.endRegionLease = () => undefined
}

t.test('chapter 5: start listens, then leases the URL it serves; stop ends the lease', async (t) => {
  const g = await testRegion(t, { port: 0, host: '127.0.0.1', publicUrl: undefined })
  leases(g)
  const url = await g.region.start()
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(g.region.url, url)
  t.same(g.peer.callsOf('renewRegionLease')[0]!.options, { params: { regionId: g.regionId }, body: { url, kind: 'region', name: 'Babbage Plaza' } })
  const status = await fetch(`${url}/status`)
  t.equal((await status.json() as { regionId: string }).regionId, g.regionId, 'getRegionStatus over the socket')
  await g.region.stop()
  t.same(g.peer.callsOf('endRegionLease')[0]!.options, { params: { regionId: g.regionId } })
})

t.test('GRIDIM-LEASE-13: an orderly stop ends the lease, and signs no agent off one by one', async (t) => {
  const g = await testRegion(t, { port: 0, host: '127.0.0.1', publicUrl: undefined })
  leases(g)
  g.handlers.returnUnreadMessages = () => ({ stored: 0 })
  await g.region.start()
  g.admit('Ada Lovelace')
  g.admit('Cyd Carter')
  await g.region.stop()
  t.equal(g.peer.callsOf('endRegionLease').length, 1, 'the user server ends every session placed here as one change')
  t.equal(g.peer.callsOf('signOff').length, 0)
})

t.test('GRIDIM-LEASE-5: the lease is renewed well before it expires', async (t) => {
  const g = await testRegion(t, { port: 0, host: '127.0.0.1' })
  leases(g, 1)
  await g.region.start()
  await new Promise((resolve) => setTimeout(resolve, 800))
  t.ok(g.peer.callsOf('renewRegionLease').length >= 3, 'every third of the lease')
  await g.region.kill()
  const renewals = g.peer.callsOf('renewRegionLease').length
  await new Promise((resolve) => setTimeout(resolve, 500))
  t.equal(g.peer.callsOf('renewRegionLease').length, renewals, 'a killed region renews no more')
  t.equal(g.peer.callsOf('endRegionLease').length, 0, 'and does not end its lease: it lapses, as after a crash')
})

t.test('start fails when the user server refuses the lease', async (t) => {
  const g = await testRegion(t, { port: 0, host: '127.0.0.1' })
  g.handlers.renewRegionLease = () => { throw new GridImError('unknown-key', 'not provisioned') }
  await t.rejects(g.region.start(), { code: 'unknown-key' })
})

t.test('GRIDIM-LEASE-8: lease-expired from the user server signs the agents off here and renews first', async (t) => {
  const g = await testRegion(t)
  leases(g)
  const ada = g.admit()
  const cyd = g.admit('Cyd Carter')
  g.handlers.listFriends = () => { throw new GridImError('lease-expired') }
  const res = await g.asClient(ada.sessionSecret, 'GET', '/client/friends')
  t.equal(res.statusCode, 401, 'GRIDIM-LEASE-12: the client is told its session is over, not lease-expired')
  t.equal(JSON.parse(res.payload).code, 'unauthenticated')
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.equal(g.region.agents.size, 0, 'every agent is treated as signed off')
  t.ok(cyd.log.closed)
  // The renewal, then the directory read with it for the replay window (GRIDIM-LIM-22).
  t.same(g.peer.ops().slice(-2), ['renewRegionLease', 'getDirectory'])
})

t.test('GRIDIM-SIGN-13: an agent idle for two minutes is signed off', async (t) => {
  let now = Date.now()
  const g = await testRegion(t, { now: () => now })
  g.handlers.signOff = () => undefined
  const idle = g.admit()
  const busy = g.admit('Cyd Carter')
  const streaming = g.admit('Bea Baker')
  streaming.streams = 1
  now += 100_000
  await g.asClient(busy.sessionSecret, 'GET', '/client/events')
  now += 30_000
  await g.region.signOffIdle()
  t.same(g.peer.callsOf('signOff').map((c) => c.options.params), [{ sessionId: idle.sessionId }])
  t.equal(g.region.agents.byUserId(idle.userId), undefined)
  t.ok(g.region.agents.byUserId(busy.userId), 'a client that asked recently stays')
  t.ok(g.region.agents.byUserId(streaming.userId), 'a client holding a stream stays')
})

t.test('metrics count outgoing requests by operationId and messages by fate', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  g.handlers.storeOfflineMessage = () => ({ stored: true })
  await g.asClient(ada.sessionSecret, 'POST', '/client/instant-messages', { toUserId: uuid(), body: 'hi' })
  t.same(g.region.metrics, { requests: { locateUser: 1, storeOfflineMessage: 1 }, delivered: 0, stored: 1, duplicate: 0 })
})

t.test('chapter 1: a region of kind gateway serves the region interface but not the client interface', async (t) => {
  const g = await testRegion(t, { kind: 'gateway' })
  const status = await g.region.server.inject('http://region.test/status')
  t.equal(JSON.parse(status.payload).kind, 'gateway')
  const login = await g.region.server.inject({ method: 'POST', url: 'http://region.test/client/login', payload: { firstName: 'Ada', lastName: 'Lovelace', password: 'x' } })
  t.equal(login.statusCode, 404)
  t.equal(JSON.parse(login.payload).code, 'unknown-operation')
})
