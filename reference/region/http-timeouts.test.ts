// A region's HTTP timeouts over real sockets (GRIDIM-LIM-17..20): short ones here, so that a
// long poll and an event stream that outlast all of them show they are never cut by them.
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { dribble, openSocket, statusOf } from '../lib/http/raw-socket.ts'
import { bearer, uuid } from './test-support.ts'
import { testRegion } from './test-region.ts'

const TIMEOUTS = { headersMs: 300, requestMs: 400, idleMs: 300 }
const presence = (name: string) => ({ noticeId: uuid(), userId: uuid(), name, status: 'online' as const })

t.test('a region listens with the HTTP timeouts it is given, the defaults otherwise', async (t) => {
  const short = await testRegion(t, { httpTimeouts: TIMEOUTS })
  t.same([short.region.server.listener.headersTimeout, short.region.server.listener.requestTimeout, short.region.server.listener.keepAliveTimeout], [300, 400, 300])
  const usual = await testRegion(t)
  t.same([usual.region.server.listener.headersTimeout, usual.region.server.listener.requestTimeout, usual.region.server.listener.keepAliveTimeout], [10_000, 30_000, 5_000])
})

t.test('GRIDIM-LIM-20: a long poll held longer than every timeout is answered with what came', async (t) => {
  const g = await testRegion(t, { port: 0, host: '127.0.0.1', httpTimeouts: TIMEOUTS })
  await g.region.server.start()
  const ada = g.admit()
  const started = Date.now()
  const poll = fetch(`${g.region.server.info.uri}/client/events?wait=3`, { headers: bearer(ada.sessionSecret) })
  await sleep(1200)
  const event = ada.log.append('presence', presence('Bea Late'))
  const res = await poll
  t.equal(res.status, 200)
  t.same(((await res.json()) as { events: Array<{ id: string }> }).events.map((e) => e.id), [event.id])
  t.ok(Date.now() - started >= 1200, 'answered only when the event came, past every timeout')
})

t.test('GRIDIM-LIM-20: an event stream quiet for longer than every timeout stays open and delivers', async (t) => {
  // Heartbeats far apart: nothing is written on the stream until the event.
  const g = await testRegion(t, { port: 0, host: '127.0.0.1', httpTimeouts: TIMEOUTS, heartbeatSeconds: 60 })
  await g.region.server.start()
  const ada = g.admit()
  const controller = new AbortController()
  t.teardown(() => controller.abort())
  const res = await fetch(`${g.region.server.info.uri}/client/events/stream`, { headers: bearer(ada.sessionSecret), signal: controller.signal })
  t.equal(res.status, 200)
  await sleep(1200)
  const event = ada.log.append('presence', presence('Bea Later'))
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  const timer = setTimeout(() => { void reader.cancel() }, 5000)
  while (!text.includes(`id: ${event.id}`)) {
    const { value, done } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
  }
  clearTimeout(timer)
  t.match(text, `id: ${event.id}`, 'the event arrives on the stream opened before the quiet spell')
})

t.test('GRIDIM-LIM-18: an operation\'s body sent a byte every 50 ms is cut off at the request timeout', async (t) => {
  const g = await testRegion(t, { port: 0, host: '127.0.0.1', httpTimeouts: TIMEOUTS })
  await g.region.server.start()
  const ada = g.admit()
  const { socket, ended } = openSocket((g.region.server.listener.address() as AddressInfo).port, 5000)
  socket.write(`POST /client/instant-messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ada.sessionSecret}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`)
  dribble(socket, ' '.repeat(100), 50)
  const end = await ended
  t.ok(end.closedAfterMs < TIMEOUTS.requestMs + 700, `closed after ${end.closedAfterMs} ms`)
  // The connection closes; hapi, reading the cut-off body, may first answer it invalid-request.
  const status = statusOf(end.data)
  t.ok(status === undefined || status === 408 || (status === 400 && end.data.includes('"code":"invalid-request"')), 'never an answer from the operation', { data: end.data })
  t.same(g.peer.callsOf('locateUser'), [])
})
