import t from 'tap'
import { expectRefusals, harness, type Harness, type TestRegion } from '../test-support.ts'

/** A user signed on at `from` and moved by `from` to `to`, as a teleport begins. */
async function movedAda (h: Harness, from: TestRegion, to: TestRegion, firstName = 'Ada') {
  const ada = await h.user(firstName)
  const session = await h.signOn(ada, from)
  const moved = await h.signed(from, 'PUT', `/sessions/${session.sessionId}/location`, { regionId: to.regionId })
  if (moved.statusCode !== 204) throw new Error(`updateLocation failed: ${JSON.stringify(moved.body)}`)
  const confirm = (signer: TestRegion | null, body: object = {}) =>
    h.signed(signer, 'POST', `/sessions/${session.sessionId}/handover`, {
      userId: ada.userId, fromRegionId: from.regionId, sessionSecret: session.sessionSecret, ...body
    })
  return { ada, session, confirm }
}

t.test('GRIDIM-LOC-16: the entering region gets the hand-over it was sent confirmed', async (t) => {
  const h = harness(t)
  const [from, to] = [await h.region(), await h.region()]
  const { ada, session, confirm } = await movedAda(h, from, to)
  const res = await confirm(to)
  t.equal(res.statusCode, 200)
  t.same(res.body, { sessionId: session.sessionId, userId: ada.userId, regionId: to.regionId })
  t.equal((await h.store.getSession(session.sessionId))!.regionId, to.regionId, 'the session stays where it was placed')
  t.same(await h.delivered(), [], 'nobody is told')
})

t.test('GRIDIM-LOC-17: a confirmation is single use, and the hand-over is then no longer undone', async (t) => {
  const h = harness(t)
  const [from, to] = [await h.region(), await h.region()]
  const { session, confirm } = await movedAda(h, from, to)
  t.equal((await confirm(to)).statusCode, 200)
  const again = await confirm(to)
  t.equal(again.statusCode, 403)
  t.equal(again.body.code, 'not-your-agent')
  const back = await h.signed(from, 'PUT', `/sessions/${session.sessionId}/location`, { regionId: from.regionId })
  t.equal(back.body.code, 'not-your-agent', 'GRIDIM-LOC-15 ends with the confirmation')
  t.equal((await h.store.getSession(session.sessionId))!.regionId, to.regionId)
})

t.test('GRIDIM-LOC-16, GRIDIM-ERR-5: every other confirmation is refused and spends nothing', async (t) => {
  const h = harness(t)
  const [from, to, other] = [await h.region(), await h.region(), await h.region()]
  const lapsed = await h.region({ lease: false })
  const { session, confirm } = await movedAda(h, from, to)
  const brook = await h.user('Brook')
  const brookSession = await h.signOn(brook, other)
  const path = `/sessions/${session.sessionId}/handover`
  await expectRefusals(t, h, [
    ['schema-invalid body', () => confirm(to, { fromRegionId: 'nope' }), 400, 'invalid-request'],
    ['missing member', () => h.signed(to, 'POST', path, { userId: session.userId, fromRegionId: from.regionId }), 400, 'invalid-request'],
    ['unsigned', () => confirm(null), 401, 'unauthenticated'],
    ['GRIDIM-LEASE-7: the signer holds no lease', () => confirm(lapsed), 409, 'lease-expired'],
    ['unknown session', () => h.signed(to, 'POST', `/sessions/${crypto.randomUUID()}/handover`, { userId: session.userId, fromRegionId: from.regionId, sessionSecret: session.sessionSecret }), 404, 'unknown-session'],
    ['GRIDIM-ERR-4: an unknown user', () => confirm(to, { userId: crypto.randomUUID() }), 404, 'unknown-user'],
    ['GRIDIM-ERR-4: an unknown region handing over', () => confirm(to, { fromRegionId: crypto.randomUUID() }), 404, 'unknown-region'],
    ['GRIDIM-ERR-7: existence before authority', () => confirm(other, { fromRegionId: crypto.randomUUID(), sessionSecret: 'A'.repeat(43) }), 404, 'unknown-region'],
    ['another user\'s id', () => confirm(to, { userId: brook.userId }), 403, 'not-your-agent'],
    ['signed by a region the session is not placed at', () => confirm(other), 403, 'not-your-agent'],
    ['signed by the region the session left', () => confirm(from), 403, 'not-your-agent'],
    ['from a region it did not leave', () => confirm(to, { fromRegionId: other.regionId }), 403, 'not-your-agent'],
    ['a secret of the sender\'s choosing', () => confirm(to, { sessionSecret: 'A'.repeat(43) }), 403, 'not-your-agent'],
    ['a secret of another length', () => confirm(to, { sessionSecret: session.sessionSecret + 'x' }), 403, 'not-your-agent'],
    ['another user\'s real secret', () => confirm(to, { sessionSecret: brookSession.sessionSecret }), 403, 'not-your-agent'],
    ['a session never moved', () => h.signed(other, 'POST', `/sessions/${brookSession.sessionId}/handover`, { userId: brook.userId, fromRegionId: from.regionId, sessionSecret: brookSession.sessionSecret }), 403, 'not-your-agent']
  ], () => h.store.getSession(session.sessionId))
  t.equal((await confirm(to)).statusCode, 200, 'the real hand-over is still there to confirm')
})

t.test('GRIDIM-LOC-16: a move is confirmable for 60 seconds; undone, it is gone', async (t) => {
  const h = harness(t)
  const [from, to] = [await h.region(), await h.region()]
  const late = await movedAda(h, from, to)
  h.clock.now += 60_000
  await h.lease(from)
  await h.lease(to)
  t.equal((await late.confirm(to)).body.code, 'not-your-agent', 'not after 60 s')

  const undone = await movedAda(h, from, to, 'Cyd')
  await h.signed(from, 'PUT', `/sessions/${undone.session.sessionId}/location`, { regionId: from.regionId })
  await h.signed(from, 'PUT', `/sessions/${undone.session.sessionId}/location`, { regionId: to.regionId })
  t.equal((await undone.confirm(to)).statusCode, 200, 'a move made again is confirmable again')
})

t.test('the fault handover-confirmed-twice keeps the move after a confirmation (conformance/variants only)', async (t) => {
  const h = harness(t, { faults: new Set(['handover-confirmed-twice']) })
  const [from, to] = [await h.region(), await h.region()]
  const { confirm } = await movedAda(h, from, to)
  t.equal((await confirm(to)).statusCode, 200)
  t.equal((await confirm(to)).statusCode, 200)
  t.equal((await confirm(to, { sessionSecret: 'A'.repeat(43) })).body.code, 'not-your-agent', 'the secret is still checked')
})

t.test('GRIDIM-SEC-14: a stored secret hash of another length never matches (and never throws)', async (t) => {
  const h = harness(t)
  const [from, to] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const sessionId = crypto.randomUUID()
  await h.store.createSession({ sessionId, userId: ada.userId, secretHash: 'h', regionId: from.regionId, startedAt: h.clock.now })
  t.equal((await h.signed(from, 'PUT', `/sessions/${sessionId}/location`, { regionId: to.regionId })).statusCode, 204)
  const res = await h.signed(to, 'POST', `/sessions/${sessionId}/handover`, { userId: ada.userId, fromRegionId: from.regionId, sessionSecret: 'A'.repeat(43) })
  t.equal(res.statusCode, 403)
  t.equal(res.body.code, 'not-your-agent')
})
