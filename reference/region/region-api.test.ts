import t from 'tap'
import { signRequest } from '../lib/signatures/index.ts'
import { REGION_URL, keyPair, signedInject, uuid } from './test-support.ts'
import { testRegion } from './test-region.ts'

const im = (toUserId: string, fromUserId = uuid(), extra: object = {}) => ({
  messageId: uuid(), fromUserId, fromName: 'Cyd Carter', toUserId, body: 'Hello from the gardens', sentAt: '2024-11-24T14:30:00Z', ...extra
})

t.test('GRIDIM-ROLE-7: getRegionStatus answers unsigned with identity and agent count', async (t) => {
  const g = await testRegion(t)
  g.admit()
  const res = await g.region.server.inject(`${REGION_URL}/status`)
  t.equal(res.statusCode, 200)
  t.same(res.result, { regionId: g.regionId, name: 'Babbage Plaza', kind: 'region', agents: 1 })
})

t.test('GRIDIM-IM-13, GRIDIM-IM-14: a message from the region hosting the sender reaches the agent once', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const message = im(ada.userId)
  g.placeAt(message.fromUserId, 'other')
  const first = await g.fromOther('POST', '/instant-messages', message)
  t.equal(first.statusCode, 200)
  t.same(first.result, { status: 'delivered' })
  const again = await g.fromOther('POST', '/instant-messages', message)
  t.same(again.result, { status: 'duplicate' }, 'a retry is recognised by messageId')
  t.same(ada.log.after().events.map((e) => e.data), [message], 'shown once')
  t.equal(g.region.metrics.delivered, 1)
  t.equal(g.region.metrics.duplicate, 1)
})

t.test('seed step 9.3, GRIDIM-IM-11: the sender\'s location is cached, so the next message needs no lookup', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const sender = uuid()
  g.placeAt(sender, 'other')
  await g.fromOther('POST', '/instant-messages', im(ada.userId, sender))
  await g.fromOther('POST', '/instant-messages', im(ada.userId, sender))
  t.equal(g.peer.callsOf('locateUser').length, 1)
  t.same(g.peer.callsOf('locateUser')[0]!.options.query, { for: ada.userId })
  t.equal(g.peer.callsOf('getRegion').length, 1, 'the signing key is cached too')
  t.equal(g.region.context.cache.get(sender)?.regionId, g.otherId)
})

t.test('GRIDIM-IM-10: a region may not speak for a user it does not host', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const sender = uuid()
  g.placeAt(sender, 'here')
  const res = await g.fromOther('POST', '/instant-messages', im(ada.userId, sender))
  t.equal(res.statusCode, 403)
  t.equal(JSON.parse(res.payload).code, 'not-your-agent')
  const offline = await g.fromOther('POST', '/instant-messages', im(ada.userId))
  t.equal(JSON.parse(offline.payload).code, 'not-your-agent', 'nor for a user who is offline')
  t.equal(ada.log.size, 0, 'nothing delivered')
  t.equal(g.region.context.cache.get(sender), undefined, 'a refusal caches nothing (GRIDIM-ERR-5)')
})

t.test('GRIDIM-IM-12: a stored message redelivered by the user server needs no sender check', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const res = await g.fromUserServer('POST', '/instant-messages', im(ada.userId))
  t.same(res.result, { status: 'delivered' })
  t.equal(g.peer.callsOf('locateUser').length, 0)
  t.equal(ada.log.size, 1)
})

t.test('GRIDIM-LOC-4: a foreign user reachable at the gateway is believed while offline', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const dana = uuid()
  g.locations.set(dana, { online: false, regionId: g.otherId, regionUrl: 'http://other.test', kind: 'gateway' })
  const res = await g.fromOther('POST', '/instant-messages', im(ada.userId, dana))
  t.same(res.result, { status: 'delivered' })
})

t.test('a stale cached sender location is checked afresh before refusing', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const sender = uuid()
  g.region.context.cache.set(sender, { regionId: uuid(), url: 'http://old.test' })
  g.placeAt(sender, 'other')
  const res = await g.fromOther('POST', '/instant-messages', im(ada.userId, sender))
  t.same(res.result, { status: 'delivered' })
})

t.test('GRIDIM-IM-9: deliverInstantMessage for a user not here answers agent-not-here', async (t) => {
  const g = await testRegion(t)
  const res = await g.fromOther('POST', '/instant-messages', im(uuid()))
  t.equal(res.statusCode, 404)
  t.equal(JSON.parse(res.payload).code, 'agent-not-here')
})

t.test('GRIDIM-SEC-5: missing, forged or unknown signatures are refused with 401 and change nothing', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const message = im(ada.userId)
  g.placeAt(message.fromUserId, 'other')
  const unsigned = await g.region.server.inject({ method: 'POST', url: `${REGION_URL}/instant-messages`, payload: message })
  t.equal(unsigned.statusCode, 401)
  t.equal(JSON.parse(unsigned.payload).code, 'unauthenticated')

  const forger = keyPair()
  const forged = await signedInject(g.region.server, { method: 'POST', path: '/instant-messages', body: message, keyId: g.otherId, privateKey: forger.privateKey })
  t.equal(JSON.parse(forged.payload).code, 'bad-signature')

  const unknown = await signedInject(g.region.server, { method: 'POST', path: '/instant-messages', body: message, keyId: uuid(), privateKey: forger.privateKey })
  t.equal(JSON.parse(unknown.payload).code, 'unknown-key')

  const payload = JSON.stringify(message)
  const headers = signRequest({ method: 'POST', url: `${REGION_URL}/instant-messages`, headers: {}, body: payload }, { keyId: g.otherId, privateKey: g.other.privateKey })
  const tampered = await g.region.server.inject({ method: 'POST', url: `${REGION_URL}/instant-messages`, headers: { ...headers, 'content-type': 'application/json' }, payload: payload.replace('Hello', 'Hullo') })
  t.equal(JSON.parse(tampered.payload).code, 'bad-signature', 'a changed body breaks the digest')
  const replay = await g.region.server.inject({ method: 'POST', url: `${REGION_URL}/instant-messages`, headers: { ...headers, 'content-type': 'application/json' }, payload })
  t.equal(replay.statusCode, 200)
  const replayed = await g.region.server.inject({ method: 'POST', url: `${REGION_URL}/instant-messages`, headers: { ...headers, 'content-type': 'application/json' }, payload })
  t.equal(JSON.parse(replayed.payload).code, 'replayed-request')
  t.equal(ada.log.size, 1, 'only the genuine request delivered')
})

t.test('GRIDIM-ERR-5, GRIDIM-LIM-1: schema-invalid and oversized messages are refused and change nothing', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const sender = uuid()
  g.placeAt(sender, 'other')
  for (const [name, body] of [
    ['a missing member', { ...im(ada.userId, sender), sentAt: undefined }],
    ['an unknown member', { ...im(ada.userId, sender), extra: 1 }],
    ['a malformed uuid', im('not-a-uuid', sender)],
    ['an empty body', im(ada.userId, sender, { body: '' })]
  ] as const) {
    const res = await g.fromOther('POST', '/instant-messages', body)
    t.equal(res.statusCode, 400, name)
    t.equal(JSON.parse(res.payload).code, 'invalid-request', name)
  }
  const tooLong = await g.fromOther('POST', '/instant-messages', im(ada.userId, sender, { body: 'é'.repeat(600) }))
  t.equal(tooLong.statusCode, 400)
  t.equal(JSON.parse(tooLong.payload).code, 'message-too-long', '600 characters but 1200 bytes')
  const tooMany = await g.fromOther('POST', '/instant-messages', im(ada.userId, sender, { body: 'x'.repeat(1024) }))
  t.equal(JSON.parse(tooMany.payload).code, 'message-too-long', '1024 characters, caught by the schema, is message-too-long too')
  const exact = await g.fromOther('POST', '/instant-messages', im(ada.userId, sender, { body: 'a'.repeat(1021) + 'é' }))
  t.equal(exact.statusCode, 200, '1023 bytes is allowed')
  t.equal(ada.log.size, 1)
})

t.test('GRIDIM-IM-18: typing reaches the agent; not-here and foreign senders are refused', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const sender = uuid()
  g.placeAt(sender, 'other')
  const state = { fromUserId: sender, fromName: 'Cyd Carter', toUserId: ada.userId, state: 'composing' }
  const ok = await g.fromOther('POST', '/chat-states', state)
  t.same(ok.result, { status: 'delivered' })
  t.same(ada.log.after().events.map((e) => [e.type, e.data]), [['chatState', state]])
  const gone = await g.fromOther('POST', '/chat-states', { ...state, toUserId: uuid() })
  t.equal(JSON.parse(gone.payload).code, 'agent-not-here')
  const impostor = await g.fromOther('POST', '/chat-states', { ...state, fromUserId: uuid() })
  t.equal(JSON.parse(impostor.payload).code, 'not-your-agent')
  const bad = await g.fromOther('POST', '/chat-states', { ...state, state: 'shouting' })
  t.equal(bad.statusCode, 400)
  t.equal(ada.log.size, 1)
})

t.test('GRIDIM-SEC-4: the signature is checked against the advertised base URL, whatever Host says', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const message = im(ada.userId)
  g.placeAt(message.fromUserId, 'other')
  const payload = JSON.stringify(message)
  const headers = signRequest({ method: 'POST', url: `${REGION_URL}/instant-messages`, headers: {}, body: payload }, { keyId: g.otherId, privateKey: g.other.privateKey })
  const viaProxy = await g.region.server.inject({ method: 'POST', url: 'http://10.0.0.7:8701/instant-messages', headers: { ...headers, 'content-type': 'application/json' }, payload })
  t.equal(viaProxy.statusCode, 200, 'a request relayed to another host name still verifies')
  const wrongTarget = signRequest({ method: 'POST', url: 'http://elsewhere.test/instant-messages', headers: {}, body: payload }, { keyId: g.otherId, privateKey: g.other.privateKey })
  const res = await g.region.server.inject({ method: 'POST', url: 'http://elsewhere.test/instant-messages', headers: { ...wrongTarget, 'content-type': 'application/json' }, payload })
  t.equal(JSON.parse(res.payload).code, 'bad-signature', 'a signature for another base URL does not')
})

t.test('GRIDIM-SEC-7: a cached key that fails is fetched again once, so a re-provisioned key works', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const sender = uuid()
  g.placeAt(sender, 'other')
  t.equal((await g.fromOther('POST', '/instant-messages', im(ada.userId, sender))).statusCode, 200)
  const rotated = keyPair()
  const getRegion = g.handlers.getRegion!
  g.handlers.getRegion = (call) => ({ ...(getRegion(call) as object), publicKey: rotated.raw })
  const res = await signedInject(g.region.server, { method: 'POST', path: '/instant-messages', body: im(ada.userId, sender), keyId: g.otherId, privateKey: rotated.privateKey })
  t.equal(res.statusCode, 200)
  t.equal(g.peer.callsOf('getRegion').length, 2, 'fetched once more')
  const forged = await signedInject(g.region.server, { method: 'POST', path: '/instant-messages', body: im(ada.userId, sender), keyId: g.otherId, privateKey: keyPair().privateKey })
  t.equal(JSON.parse(forged.payload).code, 'bad-signature', 'a forgery is refused after one more look')
  t.equal(g.peer.callsOf('getRegion').length, 3)
})
