// ClientSession over the client stream: events from event frames, acknowledged once taken;
// messages and chat states as frames, their answers as HTTP would give them; a stream the region
// closed opened again after the last event; a refused hello as the answer of the request it
// stopped; a teleport's new region greeted anew.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { WebSocketServer, type WebSocket } from 'ws'
import { CLIENT_STREAM_PROTOCOL } from '../../openapi/client-stream/frames.ts'
import { ClientSession, is } from './client-session.ts'
import type { FrameRecord } from './client-stream.ts'

const USER = '0190a7a0-0000-7000-8000-000000000001'
const OTHER = '0190a7a0-0000-7000-8000-000000000002'
const MESSAGE_ID = '0190a7a0-0000-7000-8000-0000000000aa'
const PROBLEM = (code: string, status: number): object => ({ type: `urn:gridim:problem:${code}`, title: code, status, code })
const event = (id: string): object => ({ id, type: 'chatState', at: '2026-12-02T08:00:00Z', data: { fromUserId: OTHER, fromName: 'Bo Test', toUserId: USER, state: 'composing' } })

/** Waits (bounded: 2 s) until `done` holds: what the fake region received arrives in its own time. */
async function until (done: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 2000; !done() && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 10))
}

type Region = { url: string, hellos: Array<{ after?: string }>, acks: string[], sockets: WebSocket[], secretValid: boolean, push: (id: string) => void }

/** A region that logs in anyone, and serves the stream: ready, the events after `after`, results for requests. */
async function fakeRegion (t: Test, options: { answerRefs?: boolean } = {}): Promise<Region> {
  const log: string[] = ['1']
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/client/login') { res.end(JSON.stringify({ sessionId: 's', sessionSecret: 'secret', userId: USER, name: 'Ada Test', friends: [], regionId: OTHER })); return }
    res.statusCode = 204
    res.end()
  })
  const wss = new WebSocketServer({ server, path: '/client/stream', handleProtocols: (offered) => offered.has(CLIENT_STREAM_PROTOCOL) ? CLIENT_STREAM_PROTOCOL : false })
  const region: Region = { url: '', hellos: [], acks: [], sockets: [], secretValid: true, push: () => {} }
  region.push = (id) => { log.push(id); for (const ws of region.sockets) ws.send(JSON.stringify({ type: 'event', event: event(id) })) }
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString())
      if (frame.type === 'hello') {
        region.hellos.push({ after: frame.after })
        if (!region.secretValid) { ws.send(JSON.stringify({ type: 'problem', problem: PROBLEM('unauthenticated', 401) })); ws.close(4401); return }
        region.sockets.push(ws)
        ws.send(JSON.stringify({ type: 'ready', userId: USER, keepAliveSeconds: 15 }))
        for (const id of log.slice(frame.after === undefined ? 0 : log.indexOf(frame.after) + 1)) ws.send(JSON.stringify({ type: 'event', event: event(id) }))
      } else if (frame.type === 'ack') region.acks.push(frame.cursor)
      else if (options.answerRefs === false) return
      else if (frame.message?.body === 'refuse') ws.send(JSON.stringify({ type: 'problem', ref: frame.ref, problem: PROBLEM('unknown-user', 404) }))
      else if (frame.type === 'sendInstantMessage') ws.send(JSON.stringify({ type: 'result', ref: frame.ref, result: { messageId: MESSAGE_ID, outcome: 'delivered' } }))
      else ws.send(JSON.stringify({ type: 'result', ref: frame.ref }))
    })
    ws.on('close', () => { region.sockets = region.sockets.filter((s) => s !== ws) })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { for (const c of wss.clients) c.terminate(); wss.close(); server.closeAllConnections(); server.close() })
  region.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return region
}

t.test('over the stream: events from frames, acknowledged once taken; sends answered as HTTP answers them', async (t) => {
  const region = await fakeRegion(t)
  const traced: FrameRecord[] = []
  const a = await ClientSession.login(region.url, 'Ada', 'Test', 'pw', undefined, { clientInterface: 'stream', onFrame: (r) => traced.push(r) })
  t.teardown(() => a.close())
  t.equal(a.clientInterface, 'stream')
  t.equal(region.hellos.length, 1, 'hello at sign-on')
  t.same(region.hellos[0], { after: undefined }, 'without after: every retained event')
  await a.waitFor(is.type('chatState'), 2000)
  region.push('2')
  const e2 = await a.waitFor((e) => e.id === '2', 2000)
  t.equal(e2.id, '2')
  t.same(await a.poll(0), [], 'a read now finds nothing new (the ping came back after the frames)')
  await until(() => region.acks.length === 2)
  t.same(region.acks, ['1', '2'], 'each event acknowledged once taken')
  t.same(await a.viaStream('clientSendInstantMessage', { toUserId: OTHER, body: 'hi' }), { status: 200, body: { messageId: MESSAGE_ID, outcome: 'delivered' } })
  t.same(await a.viaStream('clientSendChatState', { toUserId: OTHER, state: 'active' }), { status: 204, body: undefined })
  t.match(await a.viaStream('clientSendInstantMessage', { toUserId: OTHER, body: 'refuse' }), { status: 404, body: { code: 'unknown-user' } })
  t.ok(traced.some((r) => r.direction === 'sent' && (r.frame as { type: string }).type === 'sendChatState'), 'frames traced')

  // The region drops the connection: the next read opens the stream again after the last event taken.
  for (const ws of region.sockets) ws.terminate()
  await a.stream!.until(() => a.stream!.closed !== undefined, 2000)
  region.push('3')
  await a.waitFor((e) => e.id === '3', 3000)
  t.same(region.hellos[1], { after: '2' }, 'reopened after the last event taken')

  // The region drops it again, then refuses every hello: the session is over.
  region.secretValid = false
  for (const ws of region.sockets) ws.terminate()
  await a.stream!.until(() => a.stream!.closed !== undefined, 2000)
  t.match(await a.viaStream('clientSendInstantMessage', { toUserId: OTHER, body: 'late' }), { status: 401, body: { code: 'unauthenticated' } }, 'a refused hello is the refused request')
  await t.rejects(a.poll(1), /closed .* could not be opened again/, 'and reading says why it cannot')
})

t.test('a teleport greets the new region without a cursor; a stream refused at sign-on fails the sign-on', async (t) => {
  const r1 = await fakeRegion(t)
  const r2 = await fakeRegion(t)
  const a = await ClientSession.login(r1.url, 'Ada', 'Test', 'pw', undefined, { clientInterface: 'stream' })
  t.teardown(() => a.close())
  await a.waitFor((e) => e.id === '1', 2000)
  await a.moveTo(r2.url)
  t.equal(a.regionUrl, r2.url)
  t.same(r2.hellos, [{ after: undefined }], 'hello at the new region, every retained event')
  t.ok(a.stream!.regionUrl === r2.url && a.streams.length === 2 && a.streams[0]!.closed !== undefined, 'the old stream closed')

  const refusing = await fakeRegion(t)
  refusing.secretValid = false
  await t.rejects(ClientSession.login(refusing.url, 'Ada', 'Test', 'pw', undefined, { clientInterface: 'stream' }), /did not answer hello with ready.*unauthenticated/)

  const http = await ClientSession.login(r1.url, 'Ada', 'Test', 'pw')
  t.equal(http.stream, undefined, 'over http there is no stream')
  await http.moveTo(r2.url)
  await http.close()
  await t.rejects(http.viaStream('clientSendChatState', {}), /has no client stream/)
})

t.test('a request whose stream closes unanswered, and which is then greeted again, is an error', async (t) => {
  const region = await fakeRegion(t, { answerRefs: false })
  const a = await ClientSession.login(region.url, 'Ada', 'Test', 'pw', undefined, { clientInterface: 'stream' })
  t.teardown(() => a.close())
  const sending = a.viaStream('clientSendInstantMessage', { toUserId: OTHER, body: 'lost' })
  await a.stream!.until(() => region.sockets.length === 1, 1000)
  setTimeout(() => { for (const ws of region.sockets) ws.terminate() }, 50)
  await t.rejects(sending, /no result or problem frame with ref r1/)
})
