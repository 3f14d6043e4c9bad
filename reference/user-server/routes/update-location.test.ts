import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'

t.test('GRIDIM-LOC-8, GRIDIM-LOC-9: the session moves, keeps its id and secret, and nobody is told', async (t) => {
  const h = harness(t)
  const [from, to] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.friends(ada, bob)
  await h.signOn(bob, from)
  const session = await h.signOn(ada, from)
  const before = (await h.store.getSession(session.sessionId))!
  await h.us.idle()
  h.clearSent()
  const res = await h.signed(from, 'PUT', `/sessions/${session.sessionId}/location`, { regionId: to.regionId })
  t.equal(res.statusCode, 204)
  t.same(await h.store.getSession(session.sessionId), { ...before, regionId: to.regionId })
  t.same(await h.delivered(), [])
})

t.test('GRIDIM-LOC-15: the region left may take the session back once', async (t) => {
  const h = harness(t)
  const [from, to] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const { sessionId } = await h.signOn(ada, from)
  await h.signed(from, 'PUT', `/sessions/${sessionId}/location`, { regionId: to.regionId })
  const back = await h.signed(from, 'PUT', `/sessions/${sessionId}/location`, { regionId: from.regionId })
  t.equal(back.statusCode, 204)
  t.equal((await h.store.getSession(sessionId))!.regionId, from.regionId)
  await h.signed(from, 'PUT', `/sessions/${sessionId}/location`, { regionId: to.regionId })
  h.clock.now += 61_000
  await h.lease(from)
  await h.lease(to)
  t.equal((await h.signed(from, 'PUT', `/sessions/${sessionId}/location`, { regionId: from.regionId })).body.code, 'not-your-agent', 'not after 60 s')
})

t.test('updateLocation refusals', async (t) => {
  const h = harness(t)
  const [from, to, other] = [await h.region(), await h.region(), await h.region()]
  const lapsed = await h.region({ lease: false })
  const gateway = await h.region({ kind: 'gateway' })
  const ada = await h.user('Ada')
  const { sessionId } = await h.signOn(ada, from)
  const path = `/sessions/${sessionId}/location`
  await expectRefusals(t, h, [
    ['schema-invalid body', () => h.signed(from, 'PUT', path, { regionId: 'nope' }), 400, 'invalid-request'],
    ['missing member', () => h.signed(from, 'PUT', path, {}), 400, 'invalid-request'],
    ['unsigned', () => h.signed(null, 'PUT', path, { regionId: to.regionId }), 401, 'unauthenticated'],
    ['unknown session', () => h.signed(from, 'PUT', `/sessions/${crypto.randomUUID()}/location`, { regionId: to.regionId }), 404, 'unknown-session'],
    ['GRIDIM-SEC-8: not the current region', () => h.signed(other, 'PUT', path, { regionId: other.regionId }), 403, 'not-your-agent'],
    ['GRIDIM-LOC-6: target without lease', () => h.signed(from, 'PUT', path, { regionId: lapsed.regionId }), 404, 'unknown-region'],
    ['GRIDIM-LOC-7: into the gateway', () => h.signed(from, 'PUT', path, { regionId: gateway.regionId }), 403, 'forbidden'],
    ['target unknown', () => h.signed(from, 'PUT', path, { regionId: crypto.randomUUID() }), 404, 'unknown-region']
  ], () => h.store.getSession(sessionId))
})
