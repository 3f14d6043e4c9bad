// The bench's client-stream link against a tiny WebSocket server in the test (loopback, free
// port) that plays a region: the frames it sends (hello first, then sendInstantMessage with a
// ref), the frames it understands (ready, event, result, problem), and how it reports a region
// without a client stream (404/426: skipped, not failed) or a broken one.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { WebSocketServer, type WebSocket } from 'ws'
import { CLIENT_STREAM_PATH, CLIENT_STREAM_PROTOCOL, type ClientFrame, type RegionFrame } from '../../../openapi/client-stream/frames.ts'
import { openClientStream, openStreamLink, probeClientStream, streamUrl } from './stream-link.ts'

const ALICE = { userId: '00000000-0000-4000-8000-00000000000a', secret: 'secret-a' }
const BOB = { userId: '00000000-0000-4000-8000-00000000000b', secret: 'secret-b' }
const MESSAGE_ID = '00000000-0000-4000-8000-0000000000ff'

type FakeRegion = { url: string, frames: ClientFrame[], paths: string[], sockets: Map<string, WebSocket>, close: () => Promise<void> }

/**
 * A region's client stream, just enough of it: hello with a known secret gets ready (an unknown
 * one a problem); sendInstantMessage gets a result, and the recipient's stream the event. `on`
 * may answer a frame itself (return true) to play a misbehaving region.
 */
async function fakeRegion (options: { protocol?: string | false, on?: (frame: ClientFrame, ws: WebSocket) => boolean } = {}): Promise<FakeRegion> {
  const server = createServer((_req, res) => { res.writeHead(404); res.end() })
  const wss = new WebSocketServer({ server, handleProtocols: (offered) => options.protocol ?? (offered.has(CLIENT_STREAM_PROTOCOL) ? CLIENT_STREAM_PROTOCOL : false) })
  const region: FakeRegion = { url: '', frames: [], paths: [], sockets: new Map(), close: async () => {} }
  const send = (ws: WebSocket, frame: RegionFrame): void => ws.send(JSON.stringify(frame))
  wss.on('connection', (ws, req) => {
    region.paths.push(req.url ?? '')
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ClientFrame
      region.frames.push(frame)
      if (options.on?.(frame, ws) === true) return
      if (frame.type === 'hello') {
        const user = [ALICE, BOB].find((u) => u.secret === frame.sessionSecret)
        if (user === undefined) return send(ws, { type: 'problem', problem: { type: 'urn:gridim:problem:unauthenticated', title: 'unknown session', status: 401, code: 'unauthenticated' } })
        region.sockets.set(user.userId, ws)
        return send(ws, { type: 'ready', userId: user.userId, keepAliveSeconds: 30 })
      }
      if (frame.type === 'sendInstantMessage') {
        const to = region.sockets.get(frame.message.toUserId)!
        send(to, { type: 'event', event: { id: '1', type: 'instantMessage', at: new Date().toISOString(), data: { messageId: MESSAGE_ID, fromUserId: ALICE.userId, fromName: 'Alice A', toUserId: frame.message.toUserId, body: frame.message.body, sentAt: new Date().toISOString() } } })
        send(ws, { type: 'result', ref: frame.ref, result: { messageId: MESSAGE_ID, outcome: 'delivered' } })
      }
    })
  })
  region.url = await listen(server)
  region.close = async () => {
    for (const ws of wss.clients) ws.terminate()
    wss.close()
    await stop(server)
  }
  return region
}

async function listen (server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function stop (server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
}

/** A plain HTTP server answering every request (upgrades included) with `status`. */
async function plainServer (status: number): Promise<{ url: string, close: () => Promise<void> }> {
  const server = createServer((_req, res) => { res.writeHead(status); res.end() })
  const url = await listen(server)
  return { url, close: async () => await stop(server) }
}

const pair = (url: string) => ({ from: { regionUrl: url, userId: ALICE.userId, sessionSecret: ALICE.secret }, to: { regionUrl: url, userId: BOB.userId, sessionSecret: BOB.secret } })

t.test('the stream URL is the region URL with ws: or wss: and the client stream path', async (t) => {
  t.equal(streamUrl('http://127.0.0.1:8080/'), `ws://127.0.0.1:8080${CLIENT_STREAM_PATH}`)
  t.equal(streamUrl('https://region.example'), `wss://region.example${CLIENT_STREAM_PATH}`)
})

t.test('a message crosses the link: hello first, then sendInstantMessage; result and event read back', async (t) => {
  const region = await fakeRegion()
  t.teardown(region.close)
  const link = await openStreamLink([pair(region.url)], 64)
  t.teardown(() => link.close())
  const delivered = new Promise<number>((resolve) => { link.delivered = resolve })
  link.send(0, 42)
  t.equal(await delivered, 42, 'the recipient read message 42 from an event frame')
  t.same(region.paths, [CLIENT_STREAM_PATH, CLIENT_STREAM_PATH], 'one stream per user')
  t.same(region.frames.slice(0, 2).map((f) => f.type), ['hello', 'hello'], 'each stream starts with hello')
  const sent = region.frames[2]!
  t.match(sent, { type: 'sendInstantMessage', ref: '42', message: { toUserId: BOB.userId } })
  t.equal(sent.type === 'sendInstantMessage' && sent.message.body.length, 64, 'the body has the payload size')
  // The result may come after the event; wait for it without sleeping.
  while (link.outcomes.delivered !== 1) await new Promise((resolve) => setImmediate(resolve))
  t.equal(link.errors, 0)
  // GRIDIM-CLI-26: the recipient acknowledges what it took, so nothing goes back at its session's end.
  while (!region.frames.some((f) => f.type === 'ack')) await new Promise((resolve) => setImmediate(resolve))
  t.same(region.frames.filter((f) => f.type === 'ack'), [{ type: 'ack', cursor: '1' }], 'one ack with the event id')
})

t.test('events that arrive together are acknowledged once, with the last id; none after close', async (t) => {
  const event = (id: string): RegionFrame => ({ type: 'event', event: { id, type: 'chatState', at: new Date().toISOString(), data: { fromUserId: ALICE.userId, fromName: 'Alice A', toUserId: BOB.userId, state: 'composing' } } })
  const region = await fakeRegion({
    on: (frame, ws) => {
      if (frame.type !== 'sendChatState') return false
      // Three frames written in one turn of this (same) process: the client reads them in one.
      for (const id of ['7', '8', '9']) ws.send(JSON.stringify(event(id)))
      return true
    }
  })
  t.teardown(region.close)
  const seen: string[] = []
  const stream = await openClientStream(region.url, BOB.secret, { event: (e) => seen.push(e.id) })
  stream.send({ type: 'sendChatState', ref: 'c', chatState: { toUserId: ALICE.userId, state: 'composing' } })
  while (!region.frames.some((f) => f.type === 'ack')) await new Promise((resolve) => setImmediate(resolve))
  t.same(seen, ['7', '8', '9'])
  t.same(region.frames.filter((f) => f.type === 'ack'), [{ type: 'ack', cursor: '9' }], 'one ack, naming the last event')
  // An event the client takes just before it closes its stream: no ack is sent on the closed stream.
  const closing = await openClientStream(region.url, BOB.secret, { event: () => closing.close() })
  const before = region.frames.length
  closing.send({ type: 'sendChatState', ref: 'd', chatState: { toUserId: ALICE.userId, state: 'composing' } })
  await new Promise<void>((resolve) => region.sockets.get(BOB.userId)!.once('close', () => resolve()))
  t.same(region.frames.slice(before).map((f) => f.type), ['sendChatState'], 'no ack after close')
  stream.close()
})

t.test('a region without the client stream: the probe says so for 404 and 426, the link throws ClientStreamRefused', async (t) => {
  for (const status of [404, 426]) {
    const plain = await plainServer(status)
    const probe = await probeClientStream(plain.url)
    t.same(probe.available, false, `${status}: not available`)
    t.match(probe, { reason: new RegExp(`the region has no client stream: GET .* was answered ${status}`) })
    await t.rejects(openStreamLink([pair(plain.url)], 64), { name: 'ClientStreamRefused', status })
    await plain.close()
  }
  const region = await fakeRegion()
  t.same(await probeClientStream(region.url), { available: true }, 'a region with the stream is available')
  await region.close()
})

t.test('a broken stream is an error, not a skip', async (t) => {
  const broken = await plainServer(500)
  await t.rejects(probeClientStream(broken.url), /the upgrade was answered 500/)
  await broken.close()
  const other = await fakeRegion({ protocol: false })
  await t.rejects(openClientStream(other.url, ALICE.secret, {}), /Server sent no subprotocol/)
  await other.close()
  const closed = await plainServer(404)
  await closed.close()
  await t.rejects(probeClientStream(closed.url), /ECONNREFUSED/, 'nothing listening')
})

t.test('hello refused, silence, or a wrong frame before ready: opening fails with the reason', async (t) => {
  const region = await fakeRegion({
    on: (frame, ws) => {
      if (frame.type !== 'hello') return false
      if (frame.sessionSecret === 'silent') return true
      if (frame.sessionSecret === 'early') { ws.send(JSON.stringify({ type: 'result', ref: 'x' })); return true }
      if (frame.sessionSecret === 'garbage') { ws.send('not json'); return true }
      if (frame.sessionSecret === 'binary') { ws.send(Buffer.from([1, 2])); return true }
      if (frame.sessionSecret === 'unknown') { ws.send(JSON.stringify({ type: 'welcome' })); return true }
      if (frame.sessionSecret === 'hangup') { ws.close(4000, 'bye'); return true }
      return false
    }
  })
  t.teardown(region.close)
  await t.rejects(openClientStream(region.url, 'wrong', {}), /hello was refused: 401 unknown session/)
  await t.rejects(openClientStream(region.url, 'silent', {}, 300), /no ready frame within 300 ms/)
  await t.rejects(openClientStream(region.url, 'early', {}), /a result frame before ready/)
  await t.rejects(openClientStream(region.url, 'garbage', {}), /not JSON/)
  await t.rejects(openClientStream(region.url, 'binary', {}), /binary frame/)
  await t.rejects(openClientStream(region.url, 'unknown', {}), /unknown type "welcome"/)
  await t.rejects(openClientStream(region.url, 'hangup', {}), /the stream closed \(4000 bye\)/)
})

t.test('after ready: problems, odd frames and a dropped stream count as errors', async (t) => {
  const region = await fakeRegion({
    on: (frame, ws) => {
      if (frame.type !== 'sendInstantMessage') return false
      const answers: Record<string, () => void> = {
        1: () => ws.send(JSON.stringify({ type: 'problem', ref: frame.ref, problem: { type: 'urn:gridim:problem:not-friends', title: 'not friends', status: 403, code: 'not-friends' } })),
        2: () => ws.send('{'),
        3: () => ws.send(JSON.stringify({ type: 'ready', userId: ALICE.userId, keepAliveSeconds: 30 })),
        4: () => ws.send(JSON.stringify({ type: 'result', ref: frame.ref })),
        5: () => ws.close(1011, 'gone')
      }
      answers[frame.ref]!()
      return true
    }
  })
  t.teardown(region.close)
  const link = await openStreamLink([pair(region.url)], 16)
  t.teardown(() => link.close())
  const settle = async (errors: number): Promise<void> => { while (link.errors < errors) await new Promise((resolve) => setImmediate(resolve)) }
  link.send(0, 1)
  await settle(1)
  t.same(link.problems, { 'not-friends': 1 }, 'a problem with a ref counts by its code')
  link.send(0, 2)
  await settle(2)
  link.send(0, 3)
  await settle(3)
  link.send(0, 4)
  while (link.outcomes['(none)'] !== 1) await new Promise((resolve) => setImmediate(resolve))
  t.equal(link.errors, 3, 'a result without a result member is counted, not an error')
  link.send(0, 5)
  await settle(4)
  t.equal(link.errors, 4, 'the stream closing under the link is an error')
})
