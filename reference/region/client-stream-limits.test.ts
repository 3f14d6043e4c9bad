// The client stream's edges (GRIDIM-CLI-33, -36, -41..45): the handshake, malformed frames,
// keep-alive, idleness, slow readers, rate limits and the region stopping.
import { request as httpRequest } from 'node:http'
import t from 'tap'
import { WebSocket } from 'ws'
import { CLIENT_STREAM_PATH } from '../../openapi/client-stream/frames.ts'
import type { Fault } from '../lib/faults.ts'
import { MAX_FRAME_BYTES } from './client-stream-frames.ts'
import { eventually, openStream, type StreamClient } from './client-stream-test-client.ts'
import { uuid } from './test-support.ts'
import { testRegion } from './test-region.ts'

async function started (t: { teardown: (fn: () => unknown) => void }, options: Parameters<typeof testRegion>[1] = {}) {
  const g = await testRegion(t, { port: 0, host: '127.0.0.1', ...options })
  await g.region.server.start()
  return { ...g, base: g.region.server.info.uri }
}

async function ready (base: string, secret: string): Promise<StreamClient> {
  const s = await openStream(base)
  s.send({ type: 'hello', sessionSecret: secret })
  const first = await s.next()
  if (first.type !== 'ready') throw new Error(`expected ready, got ${JSON.stringify(first)}`)
  return s
}

/** A raw handshake: the status line and body the region answers. */
async function handshake (base: string, headers: Record<string, string>, path = CLIENT_STREAM_PATH): Promise<{ status: number, body: string }> {
  return await new Promise((resolve, reject) => {
    const req = httpRequest(base + path, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers } })
    req.on('response', (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => { body += chunk.toString() })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve({ status: res.statusCode ?? 0, body: '' }) })
    req.on('error', reject)
    req.end()
  })
}

t.test('GRIDIM-CLI-33: the handshake must offer gridim.client.v1; a bad one gets a problem', async (t) => {
  const g = await started(t)
  const refused = await handshake(g.base, { 'sec-websocket-protocol': 'xmpp' })
  t.equal(refused.status, 400)
  t.match(JSON.parse(refused.body), { code: 'invalid-request', detail: /gridim\.client\.v1/, instance: CLIENT_STREAM_PATH })
  t.equal((await handshake(g.base, { 'sec-websocket-protocol': 'gridim.client.v1', 'sec-websocket-key': 'short' })).status, 400)
  t.equal((await handshake(g.base, { 'sec-websocket-protocol': 'gridim.client.v1', 'content-length': '70000' })).status, 413, 'GRIDIM-LIM-3')
  t.equal((await handshake(g.base, { 'sec-websocket-protocol': 'x, gridim.client.v1' })).status, 101, 'offered among others, it is selected')
  await t.rejects(handshake(g.base, { 'sec-websocket-protocol': 'gridim.client.v1' }, '/elsewhere'), 'an upgrade elsewhere is dropped')
  const s = await openStream(g.base)
  t.equal(s.ws.protocol, 'gridim.client.v1')
  s.ws.close()
})

t.test('GRIDIM-CLI-42: malformed frames after hello — answered by ref and the stream goes on, else closed', async (t) => {
  const g = await started(t)
  const ada = g.admit()
  const s = await ready(g.base, ada.sessionSecret)
  s.send({ type: 'sendChatState', ref: 'bad', chatState: { toUserId: uuid(), state: 'shouting' } })
  t.match(await s.next(), { type: 'problem', ref: 'bad', problem: { code: 'invalid-request', detail: /sendChatState frame: .*chatState\/state/ } })
  s.send({ type: 'subscribe', ref: 'what' })
  t.match(await s.next(), { type: 'problem', ref: 'what', problem: { code: 'invalid-request', detail: /unknown frame type "subscribe"/ } })
  s.send({ type: 'sendInstantMessage', ref: 'x'.repeat(65), message: {} })
  t.match(await s.next(), { type: 'problem', problem: { code: 'invalid-request' } }, 'an unreadable ref is no ref')
  t.equal((await s.closed).code, 4400)
  t.equal(g.peer.calls.length, 0, 'nothing was sent')
  t.equal(ada.log.size, 0)

  const cases: Array<[string, string | Buffer | object, string, number]> = [
    ['a second hello', { type: 'hello', sessionSecret: ada.sessionSecret }, 'invalid-request', 4400],
    ['an array', '[]', 'invalid-request', 4400],
    ['a binary message', Buffer.from('{}'), 'invalid-request', 4400],
    ['a frame over 64 KiB', JSON.stringify({ type: 'sendChatState', ref: 'big', pad: 'x'.repeat(MAX_FRAME_BYTES) }), 'body-too-large', 4413]
  ]
  for (const [name, frame, code, closeCode] of cases) {
    const c = await ready(g.base, ada.sessionSecret)
    c.send(frame)
    t.match(await c.next(), { type: 'problem', problem: { code } }, name)
    t.equal((await c.closed).code, closeCode, name)
  }
  const huge = await ready(g.base, ada.sessionSecret)
  huge.send('x'.repeat(3 * MAX_FRAME_BYTES))
  t.equal((await huge.closed).code, 1009, 'far over the limit: ws closes, Message Too Big')
  t.ok(await eventually(() => ada.streams === 0))
})

t.test('GRIDIM-CLI-43: pings at least every keepAliveSeconds; a client that answers none is let go', async (t) => {
  const g = await started(t, { heartbeatSeconds: 0.2 })
  const ada = g.admit()
  const s = await ready(g.base, ada.sessionSecret)
  t.ok(await eventually(() => s.pings() >= 3, 2000), 'pinged')
  t.equal(ada.streams, 1, 'a client that answers pings stays')
  const mute = new WebSocket(g.base.replace(/^http/, 'ws') + CLIENT_STREAM_PATH, 'gridim.client.v1', { autoPong: false })
  await new Promise((resolve) => mute.once('open', resolve))
  mute.send(JSON.stringify({ type: 'hello', sessionSecret: ada.sessionSecret }))
  t.ok(await eventually(() => ada.streams === 2, 1000))
  const code = await new Promise<number>((resolve) => mute.once('close', resolve))
  t.equal(code, 1006, 'terminated without a close frame')
  t.equal(ada.streams, 1)
  s.ws.close()
})

t.test('GRIDIM-CLI-41, GRIDIM-SIGN-13: an open stream keeps its session from idling; closed, it does not', async (t) => {
  let clock = Date.now()
  const g = await started(t, { now: () => clock, idleSeconds: 10 })
  g.handlers.signOff = () => ({})
  const ada = g.admit()
  const s = await ready(g.base, ada.sessionSecret)
  clock += 60_000
  await g.region.signOffIdle()
  t.equal(g.region.agents.byUserId(ada.userId), ada, 'not idle while the stream is open')
  s.ws.close()
  t.ok(await eventually(() => ada.streams === 0))
  t.equal(ada.lastActive, clock, 'its close is the last activity')
  clock += 11_000
  await g.region.signOffIdle()
  t.equal(g.region.agents.byUserId(ada.userId), undefined, 'idle once the stream is gone')
  t.equal(g.peer.callsOf('signOff').length, 1)
})

t.test('GRIDIM-CLI-44: a client that does not read is cut off with 1013, not buffered for', async (t) => {
  const g = await started(t)
  const ada = g.admit()
  const s = await ready(g.base, ada.sessionSecret)
  const socket = (s.ws as unknown as { _socket: { pause: () => void, resume: () => void } })._socket
  socket.pause()
  const data = { noticeId: uuid(), userId: uuid(), name: 'Bea '.repeat(200).trim(), status: 'online' as const }
  for (let i = 0; i < 20_000 && ada.streams > 0; i++) ada.log.append('presence', { ...data, noticeId: uuid() })
  t.equal(ada.streams, 0, 'the stream was given up before 20,000 events')
  socket.resume()
  t.equal((await s.closed).code, 1013)
})

t.test('GRIDIM-CLI-45: the session\'s rate limit applies to frames, with retryAfter', async (t) => {
  for (const [fault, retryAfter] of [['client-rate-limit-below-floor', 1], ['rate-limited-without-retry-after', undefined]] as Array<[Fault, number | undefined]>) {
    const g = await started(t, { faults: new Set([fault]) })
    const cyd = g.admit('Cyd Carter')
    const ada = g.admit()
    const s = await ready(g.base, ada.sessionSecret)
    const count = 25
    for (let i = 0; i < count; i++) s.send({ type: 'sendChatState', ref: `c${i}`, chatState: { toUserId: cyd.userId, state: 'composing' } })
    const answers = []
    for (let i = 0; i < count; i++) answers.push(await s.next())
    const limited = answers.filter((a) => a.type === 'problem')
    t.ok(limited.length > 0, `${fault}: some are refused`)
    t.match(limited[0], { problem: { code: 'rate-limited', status: 429 } })
    t.equal((limited[0] as { problem: { retryAfter?: number } }).problem.retryAfter, retryAfter, fault)
    t.same(new Set(answers.map((a) => a.type === 'problem' || a.type === 'result' ? a.ref : '')).size, count, 'each ref answered once')
    s.ws.close()
  }
})

t.test('GRIDIM-CLI-35: a session that ends while its hello is acknowledged gets ready and then the close', async (t) => {
  const g = await started(t)
  const ada = g.admit()
  g.handlers.acknowledgeOfflineMessages = () => { g.region.agents.drop(ada); return { deleted: 1 } }
  g.region.context.offline.take(ada, [{ messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId: ada.userId, body: 'hi', sentAt: '2026-12-02T08:00:00Z' }], false)
  const s = await openStream(g.base)
  s.send({ type: 'hello', sessionSecret: ada.sessionSecret, after: ada.log.head })
  t.match(await s.next(), { type: 'ready' })
  t.match(await s.next(), { type: 'problem', problem: { code: 'unauthenticated' } })
  t.equal((await s.closed).code, 4401)
})

t.test('stopping the region closes every stream with 1001', async (t) => {
  const g = await started(t)
  const ada = g.admit()
  const s = await ready(g.base, ada.sessionSecret)
  const waiting = await openStream(g.base)
  const began = Date.now()
  await g.region.server.stop({ timeout: 5000 })
  t.equal((await s.closed).code, 1001)
  t.equal((await waiting.closed).code, 1001, 'a stream still without hello too')
  t.ok(Date.now() - began < 4000, 'the stop did not wait for its timeout')
})

t.test('GRIDIM-CLI-33: clientOpenStream without an upgrade is a 400 problem, not an unknown operation', async (t) => {
  const g = await started(t)
  const plain = await fetch(g.base + CLIENT_STREAM_PATH)
  t.equal(plain.status, 400)
  t.match(await plain.json(), { code: 'invalid-request' })
  const headed = await g.region.server.inject({ method: 'GET', url: CLIENT_STREAM_PATH, headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13', 'sec-websocket-protocol': 'gridim.client.v1' } })
  t.equal(headed.statusCode, 400, 'every header there, but no upgrade event: still refused')
  t.match(JSON.parse(headed.payload), { code: 'invalid-request', detail: /asks for no upgrade/ })
})

t.test('GRIDIM-LIM-20: the HTTP timeouts do not cut an open stream', async (t) => {
  const g = await started(t, { httpTimeouts: { headersMs: 100, requestMs: 150, idleMs: 100 }, heartbeatSeconds: 5 })
  const ada = g.admit()
  const s = await ready(g.base, ada.sessionSecret)
  await t.rejects(s.next(600), /no frame within/, 'quiet for four times the request timeout')
  const event = ada.log.append('presence', { noticeId: uuid(), userId: uuid(), name: 'Bea One', status: 'online' })
  t.same(await s.next(), { type: 'event', event }, 'and still open')
  s.ws.close()
})
