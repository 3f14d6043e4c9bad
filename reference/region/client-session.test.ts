import t from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import { REGION_URL, bearer, uuid } from './test-support.ts'
import { OTHER_URL, testRegion, type TestRegion } from './test-region.ts'

const SECRET = 'mX3f9QvZr2Lk8Wt1Yp6Bn0Hc4Jd7Gs5Ae_uR-oTiVy'
const ADA = { firstName: 'Ada', lastName: 'Lovelace', password: 'analytical-engine-1843' }

function stored (toUserId: string, body: string) {
  return { messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId, body, sentAt: '2024-11-24T09:15:00Z' }
}

/** A user server that knows Ada; signOn can be given a hook that runs while it is in flight. */
function knowAda (g: TestRegion, extra: { offlineMessages?: object[], moreOfflineMessages?: boolean, during?: () => Promise<void> } = {}) {
  const userId = uuid()
  const sessionId = uuid()
  g.handlers.lookupUser = (call) => {
    if (call.options.query?.name !== 'Ada Lovelace') throw new GridImError('unknown-user')
    return { userId, name: 'Ada Lovelace', firstName: 'Ada', lastName: 'Lovelace' }
  }
  g.handlers.signOn = async (call) => {
    if ((call.options.body as { password: string }).password !== ADA.password) throw new GridImError('invalid-credentials', 'wrong password')
    await extra.during?.()
    g.placeAt(userId, 'here')
    return { sessionId, sessionSecret: SECRET, userId, name: 'Ada Lovelace', friends: [], offlineMessages: extra.offlineMessages ?? [], moreOfflineMessages: extra.moreOfflineMessages ?? false }
  }
  return { userId, sessionId }
}

const login = async (g: TestRegion, body: object = ADA) => await g.region.server.inject({ method: 'POST', url: `${REGION_URL}/client/login`, payload: body })

t.test('GRIDIM-CLI-1: login signs on at the user server and hosts the agent', async (t) => {
  const g = await testRegion(t)
  const { userId, sessionId } = knowAda(g)
  const res = await login(g)
  t.equal(res.statusCode, 200)
  t.same(res.result, { sessionId, sessionSecret: SECRET, userId, name: 'Ada Lovelace', friends: [], regionId: g.regionId })
  t.same(g.peer.callsOf('signOn')[0]!.options.body, { ...ADA, regionId: g.regionId })
  t.equal(g.region.agents.byUserId(userId)?.sessionId, sessionId)
  const status = await g.region.server.inject(`${REGION_URL}/status`)
  t.equal(JSON.parse(status.payload).agents, 1)
})

t.test('GRIDIM-SIGN-5: a notice sent while signOn is in flight is not refused and reaches the new session', async (t) => {
  const g = await testRegion(t)
  let during: unknown
  const { userId } = knowAda(g, {
    during: async () => {
      const offer = { type: 'friendshipOffer', noticeId: uuid(), toUserId: userId, offerId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter' }
      during = (await g.fromUserServer('POST', '/notices', { notices: [offer] })).result
    }
  })
  const res = await login(g)
  t.same(during, { accepted: 1, notHere: [] })
  const events = await g.asClient(JSON.parse(res.payload).sessionSecret, 'GET', '/client/events')
  t.same(JSON.parse(events.payload).events.map((e: { type: string }) => e.type), ['friendshipOffer'])
})

t.test('GRIDIM-SIGN-2: an unknown name and a wrong password get the same refusal, and change nothing', async (t) => {
  const g = await testRegion(t)
  const { userId } = knowAda(g)
  const wrong = await login(g, { ...ADA, password: 'guess' })
  const unknown = await login(g, { ...ADA, firstName: 'Nobody' })
  t.equal(wrong.statusCode, 401)
  t.same(JSON.parse(wrong.payload), JSON.parse(unknown.payload))
  t.equal(JSON.parse(wrong.payload).code, 'invalid-credentials')
  t.equal(g.region.agents.size, 0)
  t.equal(g.region.agents.logFor(userId), undefined, 'no reservation is left behind')
  const calls = g.peer.calls.length
  const invalid = await login(g, { firstName: 'Ada', lastName: 'Love lace', password: 'x' })
  t.equal(invalid.statusCode, 400)
  t.equal(g.peer.calls.length, calls, 'a schema-invalid login reaches nobody')
})

t.test('GRIDIM-OFFL-8, GRIDIM-OFFL-9: stored messages become events and are acknowledged only once read past', async (t) => {
  const g = await testRegion(t)
  let userId = ''
  const first = () => [stored(userId, 'one'), stored(userId, 'two')]
  const ids = knowAda(g, { moreOfflineMessages: true })
  userId = ids.userId
  const page1 = first()
  const signOn = g.handlers.signOn!
  g.handlers.signOn = async (call) => ({ ...(await signOn(call) as object), offlineMessages: page1 })
  const page2 = [stored(userId, 'three')]
  g.handlers.acknowledgeOfflineMessages = (call) => ({ deleted: (call.options.body as { messageIds: string[] }).messageIds.length })
  g.handlers.listOfflineMessages = () => ({ messages: page2, more: false })
  const secret = JSON.parse((await login(g)).payload).sessionSecret

  const all = JSON.parse((await g.asClient(secret, 'GET', '/client/events')).payload)
  t.same(all.events.map((e: { data: { body: string } }) => e.data.body), ['one', 'two'])
  t.equal(g.peer.callsOf('acknowledgeOfflineMessages').length, 0, 'nothing acknowledged before the client reads past it')

  await g.asClient(secret, 'GET', `/client/events?after=${all.events[0].id}`)
  t.same(g.peer.callsOf('acknowledgeOfflineMessages').map((c) => c.options.body), [{ messageIds: [page1[0]!.messageId] }])
  t.equal(g.peer.callsOf('listOfflineMessages').length, 0, 'the next page waits until this one is acknowledged')

  const next = JSON.parse((await g.asClient(secret, 'GET', `/client/events?after=${all.cursor}`)).payload)
  t.same(g.peer.callsOf('acknowledgeOfflineMessages').at(-1)!.options.body, { messageIds: [page1[1]!.messageId] })
  t.same(next.events.map((e: { data: { body: string } }) => e.data.body), ['three'], 'the next page follows at once')
  await g.asClient(secret, 'GET', `/client/events?after=${next.cursor}`)
  t.same(g.peer.callsOf('acknowledgeOfflineMessages').at(-1)!.options.body, { messageIds: [page2[0]!.messageId] })
  t.equal(g.peer.callsOf('listOfflineMessages').length, 1)
})

t.test('GRIDIM-CLI-2: client operations without a hosted session secret are refused', async (t) => {
  const g = await testRegion(t)
  g.admit()
  for (const headers of [{}, bearer('not-a-session-secret-but-long-enough-000'), { authorization: 'Basic YWRhOnB3' }]) {
    const res = await g.region.server.inject({ method: 'GET', url: `${REGION_URL}/client/friends`, headers })
    t.equal(res.statusCode, 401)
    t.equal(JSON.parse(res.payload).code, 'unauthenticated')
  }
  const send = await g.region.server.inject({ method: 'POST', url: `${REGION_URL}/client/instant-messages`, headers: bearer('x'.repeat(40)), payload: { toUserId: uuid(), body: 'hi' } })
  t.equal(send.statusCode, 401)
  t.equal(g.peer.calls.length, 0)
})

t.test('GRIDIM-CLI-4: logout signs off, answers 204, and the secret stops working', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  g.handlers.signOff = () => undefined
  const res = await g.asClient(ada.sessionSecret, 'POST', '/client/logout')
  t.equal(res.statusCode, 204)
  t.same(g.peer.callsOf('signOff')[0]!.options.params, { sessionId: ada.sessionId })
  t.equal((await g.asClient(ada.sessionSecret, 'GET', '/client/events')).statusCode, 401)

  const bob = g.admit('Bob Baker')
  g.handlers.signOff = () => { throw new GridImError('unknown-session') }
  t.equal((await g.asClient(bob.sessionSecret, 'POST', '/client/logout')).statusCode, 204, 'a session already ended counts as signed off')

  const cyd = g.admit('Cyd Carter')
  g.handlers.signOff = () => { throw new GridImError('unavailable') }
  t.equal((await g.asClient(cyd.sessionSecret, 'POST', '/client/logout')).statusCode, 503)
  t.ok(g.region.agents.byUserId(cyd.userId), 'kept, so that the client can try again')
})

t.test('GRIDIM-CLI-20, GRIDIM-LOC-10, GRIDIM-LOC-11: teleport moves the session, hands the agent over and lets go', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  ada.log.append('presence', { noticeId: uuid(), userId: uuid(), name: 'Cyd Carter', status: 'online' })
  g.handlers.updateLocation = () => undefined
  let deliveredDuring: number | undefined
  g.handlers.acceptAgent = async () => {
    deliveredDuring = (await g.fromOther('POST', '/chat-states', { fromUserId: uuid(), fromName: 'Cyd Carter', toUserId: ada.userId, state: 'composing' })).statusCode
    return { sessionId: ada.sessionId, userId: ada.userId, regionId: g.otherId }
  }
  const res = await g.asClient(ada.sessionSecret, 'POST', '/client/teleport', { regionId: g.otherId })
  t.equal(res.statusCode, 200)
  t.same(res.result, { regionId: g.otherId, regionUrl: OTHER_URL })
  t.same(g.peer.ops().slice(0, 3), ['getRegion', 'updateLocation', 'acceptAgent'])
  t.same(g.peer.callsOf('updateLocation')[0]!.options, { params: { sessionId: ada.sessionId }, body: { regionId: g.otherId } })
  const handover = g.peer.callsOf('acceptAgent')[0]!
  t.equal(handover.baseUrl, OTHER_URL)
  t.same(handover.options.body, { sessionId: ada.sessionId, sessionSecret: ada.sessionSecret, userId: ada.userId, name: 'Ada Lovelace', friends: [] })
  t.equal(deliveredDuring, 404, 'deliveries during the hand-over answer agent-not-here')
  t.equal(g.region.agents.byUserId(ada.userId), undefined)

  const old = await g.asClient(ada.sessionSecret, 'GET', '/client/events')
  t.equal(old.statusCode, 200, 'GRIDIM-CLI-21: the old log stays readable for a minute')
  t.same(JSON.parse(old.payload).events.map((e: { type: string }) => e.type), ['presence'])
  t.equal((await g.asClient(ada.sessionSecret, 'GET', '/client/friends')).statusCode, 401, 'but nothing else works here')
})

t.test('GRIDIM-LOC-15: a refused hand-over moves the session back and keeps the agent', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  g.handlers.updateLocation = () => undefined
  g.handlers.acceptAgent = () => { throw new GridImError('not-your-agent', 'not placed here') }
  const res = await g.asClient(ada.sessionSecret, 'POST', '/client/teleport', { regionId: g.otherId })
  t.equal(res.statusCode, 403)
  t.equal(JSON.parse(res.payload).code, 'not-your-agent', 'the client gets the code (GRIDIM-CLI-3)')
  t.same(g.peer.callsOf('updateLocation').map((c) => c.options.body), [{ regionId: g.otherId }, { regionId: g.regionId }])
  t.equal(g.region.agents.byUserId(ada.userId), ada)
  t.equal((await g.asClient(ada.sessionSecret, 'GET', '/client/events')).statusCode, 200)
})

t.test('teleport to an unknown or unleased region is refused with unknown-region, changing nothing', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const unknown = await g.asClient(ada.sessionSecret, 'POST', '/client/teleport', { regionId: uuid() })
  t.equal(JSON.parse(unknown.payload).code, 'unknown-region')
  const getRegion = g.handlers.getRegion!
  g.handlers.getRegion = (call) => ({ ...(getRegion(call) as object), online: false, url: null })
  const offline = await g.asClient(ada.sessionSecret, 'POST', '/client/teleport', { regionId: g.otherId })
  t.equal(offline.statusCode, 404)
  t.equal(g.peer.callsOf('updateLocation').length, 0)
  const here = await g.asClient(ada.sessionSecret, 'POST', '/client/teleport', { regionId: g.regionId })
  t.same(here.result, { regionId: g.regionId, regionUrl: REGION_URL }, 'a teleport to here is a no-op')
  t.equal(g.region.agents.byUserId(ada.userId), ada)
})
