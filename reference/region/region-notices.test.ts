import t from 'tap'
import { REGION_URL, bearer, uuid } from './test-support.ts'
import { testRegion } from './test-region.ts'

const presence = (toUserId: string, userId: string, status = 'online') =>
  ({ type: 'presence', noticeId: uuid(), toUserId, userId, name: 'Brook Baker', status })

t.test('GRIDIM-SIGN-18: notices become client events in order; other addressees are notHere', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const absent = uuid()
  const offer = { type: 'friendshipOffer', noticeId: uuid(), toUserId: ada.userId, offerId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', message: 'Friends?' }
  const first = presence(ada.userId, uuid())
  const res = await g.fromUserServer('POST', '/notices', { notices: [first, offer, presence(absent, uuid()), presence(absent, uuid())] })
  t.equal(res.statusCode, 200)
  t.same(res.result, { accepted: 2, notHere: [absent] })
  const events = ada.log.after().events
  t.same(events.map((e) => e.type), ['presence', 'friendshipOffer'])
  const { type: _t, toUserId: _u, ...data } = offer
  t.same(events[1]!.data, data, 'the event carries the notice without type and toUserId')
})

t.test('GRIDIM-SIGN-19, GRIDIM-SIGN-24: a repeated noticeId is acknowledged, and counted in accepted, without a second event', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const notice = presence(ada.userId, uuid())
  await g.fromUserServer('POST', '/notices', { notices: [notice] })
  const again = await g.fromUserServer('POST', '/notices', { notices: [notice] })
  t.same(again.result, { accepted: 1, notHere: [] })
  t.equal(ada.log.size, 1)
})

t.test('the fault repeated-notice-not-accepted leaves a repeat out of accepted', async (t) => {
  const g = await testRegion(t, { faults: new Set(['repeated-notice-not-accepted']) })
  const ada = g.admit()
  const notice = presence(ada.userId, uuid())
  t.same((await g.fromUserServer('POST', '/notices', { notices: [notice] })).result, { accepted: 1, notHere: [] })
  t.same((await g.fromUserServer('POST', '/notices', { notices: [notice] })).result, { accepted: 0, notHere: [] })
})

t.test('GRIDIM-SEC-9: only the user server may send notices or group messages', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const res = await g.fromOther('POST', '/notices', { notices: [presence(ada.userId, uuid())] })
  t.equal(res.statusCode, 403)
  t.equal(JSON.parse(res.payload).code, 'forbidden')
  const group = await g.fromOther('POST', '/group-messages', {
    groupSessionId: uuid(), messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', body: 'hi', sentAt: '2024-11-24T14:40:00Z', toUserIds: [ada.userId]
  })
  t.equal(JSON.parse(group.payload).code, 'forbidden')
  t.equal(ada.log.size, 0)
  const invalid = await g.fromUserServer('POST', '/notices', { notices: [{ ...presence(ada.userId, uuid()), status: 'away' }] })
  t.equal(invalid.statusCode, 400, 'a notice that matches no Notice schema')
  const empty = await g.fromUserServer('POST', '/notices', { notices: [] })
  t.equal(empty.statusCode, 400)
  t.equal(ada.log.size, 0)
})

t.test('GRIDIM-IM-16: notices keep the agent\'s friend list and CanSeeOnline knowledge current', async (t) => {
  const g = await testRegion(t)
  const brook = uuid()
  const ada = g.admit('Ada Lovelace', [{ userId: brook, name: 'Brook Baker', rightsGranted: 1, rightsReceived: 1, online: false }])
  const cyd = uuid()
  await g.fromUserServer('POST', '/notices', {
    notices: [
      presence(ada.userId, brook),
      { type: 'friendshipAccepted', noticeId: uuid(), toUserId: ada.userId, offerId: uuid(), friendId: cyd, friendName: 'Cyd Carter' }
    ]
  })
  t.same(ada.friends.map((f) => [f.name, f.rightsReceived, f.online]), [['Brook Baker', 1, true], ['Cyd Carter', 1, undefined]])
  await g.fromUserServer('POST', '/notices', {
    notices: [
      { type: 'rightsChanged', noticeId: uuid(), toUserId: ada.userId, friendId: brook, rights: 0 },
      { type: 'friendshipEnded', noticeId: uuid(), toUserId: ada.userId, friendId: cyd }
    ]
  })
  t.same(ada.friends, [{ userId: brook, name: 'Brook Baker', rightsGranted: 1, rightsReceived: 0 }], 'online is gone with the right to see it')
  t.same([...ada.seesOnline], [[cyd, false], [brook, false]])
})

t.test('GRIDIM-LOC-5: an offline presence notice evicts the cached location of that user', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const brook = uuid()
  g.region.context.cache.set(brook, { regionId: g.otherId, url: 'http://other.test' })
  await g.fromUserServer('POST', '/notices', { notices: [presence(ada.userId, brook, 'offline')] })
  t.equal(g.region.context.cache.get(brook), undefined)
})

t.test('GRIDIM-SIGN-9: an offline presence notice about an agent to itself drops the agent', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const res = await g.fromUserServer('POST', '/notices', { notices: [presence(ada.userId, ada.userId, 'offline')] })
  t.same(res.result, { accepted: 1, notHere: [] })
  t.equal(g.region.agents.byUserId(ada.userId), undefined)
  t.ok(ada.log.closed)
  const client = await g.region.server.inject({ url: `${REGION_URL}/client/events`, headers: bearer(ada.sessionSecret) })
  t.equal(client.statusCode, 401, 'the session secret stops working')
  const later = await g.fromUserServer('POST', '/notices', { notices: [presence(ada.userId, uuid())] })
  t.same(later.result, { accepted: 0, notHere: [ada.userId] })
})

t.test('seed step 13.3, GRIDIM-GRP-21: deliverGroupMessage hands the message to each listed member here, once', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const cyd = g.admit('Cyd Carter')
  const gone = uuid()
  const delivery = {
    groupSessionId: uuid(), messageId: uuid(), fromUserId: uuid(), fromName: 'Brook Baker', body: 'Welcome, all', sentAt: '2024-11-24T14:40:00Z', toUserIds: [ada.userId, cyd.userId, gone]
  }
  const res = await g.fromUserServer('POST', '/group-messages', delivery)
  t.equal(res.statusCode, 200)
  t.same(res.result, { delivered: [ada.userId, cyd.userId], notHere: [gone] })
  const { toUserIds: _, ...message } = delivery
  t.same(ada.log.after().events.map((e) => [e.type, e.data]), [['groupMessage', message]])
  const again = await g.fromUserServer('POST', '/group-messages', delivery)
  t.same(again.result, { delivered: [ada.userId, cyd.userId], notHere: [gone] })
  t.equal(ada.log.size, 1, 'a retry is not shown twice')
  const long = await g.fromUserServer('POST', '/group-messages', { ...delivery, messageId: uuid(), body: '€'.repeat(400) })
  t.equal(JSON.parse(long.payload).code, 'message-too-long')
})
