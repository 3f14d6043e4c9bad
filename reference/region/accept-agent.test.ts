import t from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import { REGION_URL, bearer, signedInject, uuid } from './test-support.ts'
import { testRegion, type TestRegion } from './test-region.ts'

const SECRET = 'mX3f9QvZr2Lk8Wt1Yp6Bn0Hc4Jd7Gs5Ae_uR-oTiVy'
const CHOSEN = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

const handover = (extra: object = {}) =>
  ({ sessionId: uuid(), sessionSecret: SECRET, userId: uuid(), name: 'Ada Lovelace', friends: [], ...extra })

/** The user server of the test confirms exactly the hand-overs in `moves` (sessionId → from, secret). */
function confirming (g: TestRegion, moves: Map<string, { from: string, secret: string }>): void {
  g.handlers.listOfflineMessages = () => ({ messages: [], more: false })
  g.handlers.confirmHandover = (call) => {
    const sessionId = call.options.params!.sessionId!
    const { fromRegionId, sessionSecret, userId } = call.options.body as Record<string, string>
    const move = moves.get(sessionId)
    if (move === undefined || move.from !== fromRegionId || move.secret !== sessionSecret) throw new GridImError('not-your-agent', 'not confirmed')
    moves.delete(sessionId)
    return { sessionId, userId, regionId: g.regionId }
  }
}

const events = async (g: TestRegion, secret: string) =>
  await g.region.server.inject({ url: `${REGION_URL}/client/events`, headers: bearer(secret) })

t.test('GRIDIM-LOC-12, GRIDIM-LOC-13, GRIDIM-LOC-14: an agent is hosted once the user server confirms the hand-over', async (t) => {
  const g = await testRegion(t)
  const agent = handover()
  const stored = { messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId: agent.userId, body: 'while you travelled', sentAt: '2024-11-24T14:30:00Z' }
  confirming(g, new Map([[agent.sessionId, { from: g.otherId, secret: SECRET }]]))
  g.handlers.listOfflineMessages = () => ({ messages: [stored], more: false })
  const res = await g.fromOther('POST', '/agents', agent)
  t.equal(res.statusCode, 200)
  t.same(res.result, { sessionId: agent.sessionId, userId: agent.userId, regionId: g.regionId })
  t.same(g.peer.callsOf('confirmHandover').map((c) => c.options), [{
    params: { sessionId: agent.sessionId }, body: { userId: agent.userId, fromRegionId: g.otherId, sessionSecret: SECRET }
  }], 'fromRegionId is the keyid of the verified signature')
  t.equal(g.peer.callsOf('locateUser').length, 0, 'where the user is placed proves nothing')
  const read = await events(g, SECRET)
  t.equal(read.statusCode, 200, 'the client keeps its secret')
  t.same(JSON.parse(read.payload).events.map((e: { data: unknown }) => e.data), [stored], 'stored messages are fetched at once')
})

t.test('GRIDIM-LOC-12: a hand-over the user server does not confirm is refused and changes nothing', async (t) => {
  const g = await testRegion(t)
  confirming(g, new Map())
  const forged = handover({ sessionSecret: CHOSEN })
  g.placeAt(forged.userId, 'here')
  const res = await g.fromOther('POST', '/agents', forged)
  t.equal(res.statusCode, 403)
  t.equal(JSON.parse(res.payload).code, 'not-your-agent')
  t.equal(g.region.agents.size, 0)
  t.equal((await events(g, CHOSEN)).statusCode, 401, 'the chosen secret opens nothing')
  t.equal(g.peer.callsOf('listOfflineMessages').length, 0)

  for (const code of ['unknown-session', 'unknown-user', 'unknown-region'] as const) {
    g.handlers.confirmHandover = () => { throw new GridImError(code, 'no such thing') }
    const unknown = await g.fromOther('POST', '/agents', handover())
    t.equal(unknown.statusCode, 403, `${code}: not a hand-over either`)
    t.equal(JSON.parse(unknown.payload).code, 'not-your-agent')
  }

  g.handlers.confirmHandover = () => { throw new GridImError('unavailable', 'user server down') }
  const down = await g.fromOther('POST', '/agents', handover())
  t.equal(down.statusCode, 503, 'an unreachable user server is not a refusal: the leaving region keeps the agent')
  t.equal(JSON.parse(down.payload).code, 'unavailable')
  t.equal(g.region.agents.size, 0)
})

t.test('GRIDIM-LOC-18: a repeated hand-over changes nothing; another secret for the session is refused', async (t) => {
  const g = await testRegion(t)
  const agent = handover()
  confirming(g, new Map([[agent.sessionId, { from: g.otherId, secret: SECRET }]]))
  t.equal((await g.fromOther('POST', '/agents', agent)).statusCode, 200)
  const hosted = g.region.agents.byUserId(agent.userId)
  const repeat = await g.fromOther('POST', '/agents', agent)
  t.equal(repeat.statusCode, 200)
  t.same(repeat.result, { sessionId: agent.sessionId, userId: agent.userId, regionId: g.regionId })
  t.equal(g.peer.callsOf('confirmHandover').length, 1, 'not asked again')
  t.equal(g.peer.callsOf('listOfflineMessages').length, 1, 'not fetched again')

  const replay = await g.fromOther('POST', '/agents', { ...agent, sessionSecret: CHOSEN })
  t.equal(replay.statusCode, 403)
  t.equal(JSON.parse(replay.payload).code, 'not-your-agent')
  t.equal(g.region.agents.byUserId(agent.userId), hosted, 'the hosted agent is untouched')
  t.equal((await events(g, SECRET)).statusCode, 200)
  t.equal((await events(g, CHOSEN)).statusCode, 401)
  t.equal(g.peer.callsOf('confirmHandover').length, 1)
})

t.test('GRIDIM-LOC-12: a newer session of a hosted user, confirmed, replaces the old one', async (t) => {
  const g = await testRegion(t)
  const old = g.admit()
  const newer = handover({ userId: old.userId })
  confirming(g, new Map([[newer.sessionId, { from: g.otherId, secret: SECRET }]]))
  t.equal((await g.fromOther('POST', '/agents', newer)).statusCode, 200)
  t.equal(g.region.agents.byUserId(old.userId)?.sessionId, newer.sessionId)
  t.equal((await events(g, old.sessionSecret)).statusCode, 401)
})

t.test('acceptAgent is signed: unsigned or schema-invalid hand-overs are refused before the user server is asked', async (t) => {
  const g = await testRegion(t)
  confirming(g, new Map())
  const unsigned = await g.region.server.inject({ method: 'POST', url: `${REGION_URL}/agents`, payload: handover() })
  t.equal(unsigned.statusCode, 401)
  const invalid = await g.fromOther('POST', '/agents', handover({ fromRegionId: g.otherId }))
  t.equal(invalid.statusCode, 400, 'no member names the region handing over')
  const forged = await signedInject(g.region.server, { method: 'POST', path: '/agents', body: handover(), keyId: g.otherId, privateKey: g.me.privateKey })
  t.equal(JSON.parse(forged.payload).code, 'bad-signature')
  t.equal(g.peer.callsOf('confirmHandover').length, 0)
})

t.test('the fault region-trusts-any-handover hosts whoever locateUser places here (conformance/variants only)', async (t) => {
  const g = await testRegion(t, { faults: new Set(['region-trusts-any-handover']) })
  g.handlers.listOfflineMessages = () => ({ messages: [], more: false })
  const forged = handover({ sessionSecret: CHOSEN })
  t.equal((await g.fromOther('POST', '/agents', forged)).statusCode, 403, 'placed elsewhere')
  g.placeAt(forged.userId, 'here')
  t.equal((await g.fromOther('POST', '/agents', forged)).statusCode, 200)
  t.equal((await g.fromOther('POST', '/agents', forged)).statusCode, 200, 'a repeat changes nothing')
  t.equal((await g.fromOther('POST', '/agents', { ...forged, sessionSecret: SECRET })).statusCode, 200, 'another secret takes the session over')
  t.equal((await events(g, SECRET)).statusCode, 200)
  t.equal(g.peer.callsOf('confirmHandover').length, 0)
  t.equal(g.peer.callsOf('listOfflineMessages').length, 2)
})
