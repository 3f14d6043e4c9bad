import t, { type Test } from 'tap'
import { createServer, type Server } from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'
import { CLIENT_STREAM_PROTOCOL } from '../../openapi/client-stream/frames.ts'
import { ClientStream, HandshakeRefused, streamUrl, type FrameRecord } from './client-stream.ts'

const USER = '0190a7a0-0000-7000-8000-000000000001'
const EVENT = { id: '1', type: 'chatState', at: '2026-12-02T08:00:00Z', data: { fromUserId: USER, fromName: 'Ada Test', toUserId: USER, state: 'composing' } }
const MESSAGE = { toUserId: USER, body: 'hi' }

/**
 * A region's client stream as a test plays it: `behave` answers each frame the client sends
 * (the frames to send back, as objects or raw text), and `protocol` is the subprotocol it selects.
 */
async function fakeRegion (t: Test, behave: (frame: any, ws: WebSocket) => Array<object | string>, protocol: string | false = CLIENT_STREAM_PROTOCOL): Promise<string> {
  const server: Server = createServer((_req, res) => { res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"code":"unknown-operation"}') })
  const wss = new WebSocketServer({ noServer: true, handleProtocols: () => protocol })
  server.on('upgrade', (req, socket, head) => {
    if (req.url !== '/client/stream') { socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n'); return }
    if (req.headers['sec-websocket-protocol'] === undefined) {
      const body = '{"code":"invalid-request"}'
      socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\ncontent-length: ${body.length}\r\n\r\n${body}`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data) => {
        let frame: unknown = data.toString()
        try { frame = JSON.parse(data.toString()) } catch {}
        for (const answer of behave(frame, ws)) ws.send(typeof answer === 'string' ? answer : JSON.stringify(answer))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { for (const c of wss.clients) c.terminate(); wss.close(); server.closeAllConnections(); server.close() })
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`
}

/** A region that does as the frames say. */
const faithful = (frame: any): object[] => {
  if (frame.type === 'hello') return frame.sessionSecret === 'good' ? [{ type: 'ready', userId: USER, keepAliveSeconds: 15 }, { type: 'event', event: EVENT }] : [{ type: 'problem', problem: { type: 'urn:gridim:problem:unauthenticated', title: 'No', status: 401, code: 'unauthenticated' } }]
  if (frame.type === 'sendInstantMessage') return [{ type: 'result', ref: frame.ref, result: { messageId: '0190a7a0-0000-7000-8000-0000000000aa', outcome: 'delivered' } }]
  if (frame.type === 'sendChatState') return [{ type: 'result', ref: frame.ref }]
  return []
}

t.test('the stream URL is the region base URL with ws(s) and /client/stream', async (t) => {
  t.equal(streamUrl('http://127.0.0.1:8001/'), 'ws://127.0.0.1:8001/client/stream')
  t.equal(streamUrl('https://r1.example/grid'), 'wss://r1.example/grid/client/stream')
})

t.test('an ordinary client: hello, ready, events, a request answered by its ref, acks, frames traced, closed', async (t) => {
  const acks: string[] = []
  const url = await fakeRegion(t, (frame) => { if (frame.type === 'ack') acks.push(frame.cursor); return faithful(frame) })
  const traced: FrameRecord[] = []
  const events: unknown[] = []
  const stream = await ClientStream.connect(url, { onFrame: (r) => traced.push(r), onEvent: (e) => events.push(e) })
  const ready = await stream.hello('good')
  t.match(ready, { type: 'ready', userId: USER })
  t.ok(await stream.until(() => events.length === 1, 2000), 'the event frame reaches the listener')
  const answer = await stream.request({ type: 'sendInstantMessage', message: MESSAGE })
  t.match(answer, { type: 'result', ref: 'r1', result: { outcome: 'delivered' } })
  t.match(await stream.request({ type: 'sendChatState', chatState: { toUserId: USER, state: 'active' } }), { type: 'result', ref: 'r2' })
  stream.ack('1')
  t.ok(await stream.barrier(), 'a ping is answered after what came before it')
  t.same(acks, ['1'])
  t.same(stream.violations, [])
  t.same(traced.map((r) => `${r.direction} ${(r.frame as { type: string }).type}`), ['sent hello', 'received ready', 'received event', 'sent sendInstantMessage', 'received result', 'sent sendChatState', 'received result', 'sent ack'])
  await stream.close()
  t.ok(stream.closed !== undefined && !stream.isOpen, 'closed')
  t.throws(() => { stream.send({ type: 'ack', cursor: '1' }) }, /closed/)
  stream.ack('1') // on a closed stream: nothing to send, no error
  t.equal(await stream.barrier(), false, 'no ping on a closed stream')
  await stream.close() // twice: nothing more to do
})

t.test('a hello refused with a problem frame, and a region that closes at once, are errors naming what came', async (t) => {
  const url = await fakeRegion(t, (frame, ws) => { if (frame.sessionSecret === 'closes') { ws.close(1008); return [] } return faithful(frame) })
  const refused = await ClientStream.connect(url)
  await t.rejects(refused.hello('wrong'), /did not answer hello with ready.*"problem".*unauthenticated/)
  await refused.close()
  const closing = await ClientStream.connect(url)
  await t.rejects(closing.hello('closes'), /sent nothing and closed \(1008\)/)
})

t.test('frames that break the schemas, and answers to refs no request carries, are violations; a request without its answer times out', async (t) => {
  const url = await fakeRegion(t, (frame) => {
    if (frame.type === 'hello') return [{ type: 'ready', userId: 'not-a-uuid', keepAliveSeconds: 15 }, 'not json', '[1]', { type: 'welcome' }, { type: 'result', ref: 'someone-else', result: { messageId: '0190a7a0-0000-7000-8000-0000000000aa', outcome: 'delivered' } }]
    return [{ type: 'result', ref: `${String(frame.ref)}x`, result: { messageId: '0190a7a0-0000-7000-8000-0000000000aa', outcome: 'delivered' } }]
  })
  const stream = await ClientStream.connect(url)
  await t.rejects(stream.hello('good'), /did not answer hello with ready/, 'a ready that breaks the schema is no ready')
  t.ok(await stream.until(() => stream.violations.length === 5, 2000), 'five violations')
  t.match(stream.violations.map((v) => v.problems[0]!.message), [/format/, /not JSON/, /not a JSON object/, /no frame a region sends/, /ref of no request/])
  await t.rejects(stream.request({ type: 'sendInstantMessage', message: MESSAGE }, 300), /no result or problem frame with ref r1 .*within 300 ms; the stream sent 1 frame.*"r1x"/)
  t.equal(stream.violations.length, 6, 'the answer with the wrong ref is a violation too')
  await stream.close()
})

t.test('a binary frame is a violation', async (t) => {
  const url = await fakeRegion(t, (_frame, ws) => { ws.send(Buffer.from('{"type":"ready"}'), { binary: true }); return [] })
  const stream = await ClientStream.connect(url)
  stream.send('hello?')
  t.ok(await stream.until(() => stream.violations.length === 1, 2000))
  t.match(stream.violations[0]!.problems[0]!.message, /binary/)
  await stream.close()
})

t.test('a refused handshake and a missing subprotocol are errors naming what the region did', async (t) => {
  const none = await fakeRegion(t, faithful, false)
  await t.rejects(ClientStream.connect(none), /subprotocol/)
  const url = await fakeRegion(t, faithful)
  await t.rejects(ClientStream.connect(url.replace(/\/?$/, '/elsewhere')), /refused the client stream's handshake with 404/)
  const refused = await ClientStream.connect(url, { protocols: [] }).catch((err: unknown) => err)
  t.ok(refused instanceof HandshakeRefused, 'a handshake without the subprotocol, refused before any upgrade')
  t.match(refused, { status: 400, body: { code: 'invalid-request' }, contentType: 'application/problem+json' })
  await t.rejects(ClientStream.connect('http://127.0.0.1:1'), /could not be opened/)
})

t.test('frames before hello, frames after a closing problem, and the wrong close code break the stream rules', async (t) => {
  const url = await fakeRegion(t, (frame, ws) => {
    if (frame === 'go') {
      // An event nobody said hello for (GRIDIM-CLI-34), then a closing problem, a frame after it and a plain close (GRIDIM-CLI-36).
      setTimeout(() => { ws.close(1000) }, 50)
      return [{ type: 'event', event: EVENT }, { type: 'problem', problem: { type: 'urn:gridim:problem:invalid-request', title: 'No', status: 400, code: 'invalid-request' } }, { type: 'ready', userId: USER, keepAliveSeconds: 15 }]
    }
    return []
  })
  const stream = await ClientStream.connect(url)
  stream.send('go')
  t.ok(await stream.until(() => stream.closed !== undefined, 2000), 'closed')
  t.same(stream.violations.map((v) => v.requirements), [['GRIDIM-CLI-34'], ['GRIDIM-CLI-36'], ['GRIDIM-CLI-34'], ['GRIDIM-CLI-36']])
  t.match(stream.violations.map((v) => v.problems[0]!.message), [/event frame before the client sent hello/, /after the problem frame without ref/, /ready frame before/, /closed with 1000 after a problem frame of status 400, not 4400/])
})
