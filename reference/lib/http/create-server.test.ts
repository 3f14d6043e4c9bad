// createServer over real loopback sockets (server.inject has none): the timeouts of
// GRIDIM-LIM-17..19 close what is slow or silent, and never what is waiting on the server
// (GRIDIM-LIM-20); bodies are measured whatever the method (GRIDIM-LIM-3); an unknown
// operation is `unknown-operation` (GRIDIM-ERR-12).
import t, { type Test } from 'tap'
import { connect, type AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Fault } from '../faults.ts'
import { createServer } from './create-server.ts'
import { httpListener } from './http-timeouts.ts'
import { createLogger } from './logger.ts'
import { dribble, openSocket, statusOf } from './raw-socket.ts'

const TIMEOUTS = { headersMs: 300, requestMs: 600, idleMs: 300 }
/** A timeout is kept to within its check interval and a scheduler's slack. */
const SLACK_MS = 700

async function listening (t: Test, faults?: ReadonlySet<Fault>) {
  const server = createServer({ logger: createLogger({}, () => {}), timeouts: TIMEOUTS, faults })
  server.route({ method: 'GET', path: '/hello', handler: () => ({ hello: 'world' }) })
  server.route({ method: 'POST', path: '/echo', options: { payload: { parse: false, output: 'data', maxBytes: 65_536 } }, handler: (request) => ({ bytes: (request.payload as Buffer).length }) })
  // Waits longer than every timeout before it answers, as a long poll does.
  server.route({ method: 'GET', path: '/long-poll', handler: async () => { await sleep(1500); return { events: [] } } })
  await server.start()
  t.teardown(() => server.stop({ timeout: 100 }))
  return (server.listener.address() as AddressInfo).port
}

t.test('GRIDIM-LIM-17: a connection that sends nothing is closed after the header timeout', async (t) => {
  const port = await listening(t)
  const end = await openSocket(port, 5000).ended
  t.ok(end.closedAfterMs >= TIMEOUTS.headersMs - 50 && end.closedAfterMs < TIMEOUTS.headersMs + SLACK_MS, `closed after ${end.closedAfterMs} ms`)
})

t.test('GRIDIM-LIM-17: connections that never read and never close are gone from the server too', async (t) => {
  const server = createServer({ logger: createLogger({}, () => {}), timeouts: { headersMs: 300, requestMs: 2000, idleMs: 300 } })
  await server.start()
  t.teardown(() => server.stop({ timeout: 100 }))
  const { port } = server.listener.address() as AddressInfo
  // Paused sockets: they read nothing, so they never see the answer or the close.
  const sockets = Array.from({ length: 20 }, () => connect(port, '127.0.0.1').on('error', () => {}).pause())
  t.teardown(() => { for (const socket of sockets) socket.destroy() })
  const count = (): Promise<number> => new Promise((resolve, reject) => server.listener.getConnections((err, n) => err ? reject(err) : resolve(n)))
  /** Polls the server's count of connections until `done`, or for at most `ms`. */
  const until = async (done: (n: number) => boolean, ms: number): Promise<number> => {
    const deadline = Date.now() + ms
    let n = await count()
    while (!done(n) && Date.now() < deadline) {
      await sleep(20)
      n = await count()
    }
    return n
  }
  t.equal(await until((n) => n === 20, 2000), 20, 'the server accepted all 20')
  t.equal(await until((n) => n === 0, 300 + 3000), 0, 'and holds none of them after the header timeout')
})

t.test('GRIDIM-LIM-17: a slowloris, a header byte every 50 ms, is closed before its headers are done', async (t) => {
  const port = await listening(t)
  const { socket, ended } = openSocket(port, 5000)
  dribble(socket, 'GET /hello HTTP/1.1\r\nHost: x\r\n' + 'X-Pad: y\r\n'.repeat(20) + '\r\n', 50)
  const end = await ended
  t.ok(end.closedAfterMs < TIMEOUTS.headersMs + SLACK_MS, `closed after ${end.closedAfterMs} ms`)
  t.not(statusOf(end.data), 200, 'and never answered as a request')
})

t.test('GRIDIM-LIM-18: a slow body, a byte every 50 ms, is closed at the request timeout', async (t) => {
  const port = await listening(t)
  const { socket, ended } = openSocket(port, 5000)
  socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\n')
  dribble(socket, 'x'.repeat(100), 50)
  const end = await ended
  t.ok(end.closedAfterMs < TIMEOUTS.requestMs + SLACK_MS, `closed after ${end.closedAfterMs} ms`)
  t.not(statusOf(end.data), 200)
})

t.test('GRIDIM-LIM-19: a kept-alive connection is closed once idle for the idle timeout', async (t) => {
  const port = await listening(t)
  const { socket, ended } = openSocket(port, 5000)
  socket.write('GET /hello HTTP/1.1\r\nHost: x\r\n\r\n')
  const end = await ended
  t.equal(statusOf(end.data), 200, 'the request was answered')
  t.match(end.data, new RegExp(`Keep-Alive: timeout=${Math.floor(TIMEOUTS.idleMs / 1000)}`), 'the client is told the idle timeout')
  // Node closes one second after the Keep-Alive timeout it advertises, so no client races it.
  t.ok(end.closedAfterMs < TIMEOUTS.idleMs + 1000 + SLACK_MS, `then closed after ${end.closedAfterMs} ms`)
})

t.test('GRIDIM-LIM-20: a request the server holds longer than every timeout is answered, not cut', async (t) => {
  const port = await listening(t)
  const { socket, ended } = openSocket(port, 5000)
  socket.write('GET /long-poll HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  const end = await ended
  t.equal(statusOf(end.data), 200)
  t.match(end.data, /"events":\[\]/)
})

t.test('GRIDIM-LIM-3: a GET body over 65 536 bytes is refused with body-too-large, and the answer arrives', async (t) => {
  const port = await listening(t)
  const cases: Array<[string, string, number]> = [
    ['declared by Content-Length', `GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\nConnection: close\r\n\r\n${'x'.repeat(70_000)}`, 413],
    ['chunked', `GET /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${(70_000).toString(16)}\r\n${'x'.repeat(70_000)}\r\n0\r\n\r\n`, 413],
    ['chunked, small', 'GET /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n', 200],
    ['a POST declared too large', 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\nConnection: close\r\n\r\n', 413]
  ]
  for (const [name, request, status] of cases) {
    const { socket, ended } = openSocket(port, 5000)
    socket.write(request)
    const end = await ended
    t.equal(statusOf(end.data), status, name)
    if (status === 413) t.match(end.data, /"code":"body-too-large"/, `${name}: as problem details`)
  }
})

t.test('the get-body-unlimited fault answers a GET with a huge body as if it had none', async (t) => {
  const port = await listening(t, new Set(['get-body-unlimited']))
  const { socket, ended } = openSocket(port, 5000)
  socket.write(`GET /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${(70_000).toString(16)}\r\n${'x'.repeat(70_000)}\r\n0\r\n\r\n`)
  t.equal(statusOf((await ended).data), 200)
})

t.test('GRIDIM-ERR-12: no operation at a path (an empty segment too) or method is unknown-operation, 404', async (t) => {
  const port = await listening(t)
  for (const request of ['GET /nowhere HTTP/1.1', 'GET /users//friends HTTP/1.1', 'DELETE /hello HTTP/1.1']) {
    const { socket, ended } = openSocket(port, 5000)
    socket.write(`${request}\r\nHost: x\r\nConnection: close\r\n\r\n`)
    const end = await ended
    t.equal(statusOf(end.data), 404, request)
    t.match(end.data, /"code":"unknown-operation"/, request)
  }
})

t.test('GRIDIM-ERR-13: a request to no operation is unknown-operation before its body is measured, never 405', async (t) => {
  const port = await listening(t)
  const requests = [
    `POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 70000\r\nConnection: close\r\n\r\n${'x'.repeat(70_000)}`,
    'PUT /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
  ]
  for (const request of requests) {
    const { socket, ended } = openSocket(port, 5000)
    socket.write(request)
    const end = await ended
    t.equal(statusOf(end.data), 404, request.slice(0, 20))
    t.match(end.data, /"code":"unknown-operation"/, request.slice(0, 20))
  }
})

t.test('GRIDIM-ERR-14: HEAD at the path of a GET operation is answered as the GET, without content', async (t) => {
  const port = await listening(t)
  const { socket, ended } = openSocket(port, 5000)
  socket.write('HEAD /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  const end = await ended
  t.equal(statusOf(end.data), 200)
  t.notMatch(end.data, /world/, 'no content')
})

t.test('the faults of a late router: HEAD unknown, a body measured before routing; problems as plain JSON', async (t) => {
  const ask = async (port: number, request: string): Promise<string> => {
    const { socket, ended } = openSocket(port, 5000)
    socket.write(request)
    return (await ended).data
  }
  const head = await ask(await listening(t, new Set(['head-as-unknown-operation'])), 'HEAD /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.equal(statusOf(head), 404, 'HEAD is unknown-operation under head-as-unknown-operation')
  const early = await listening(t, new Set(['body-limit-before-routing']))
  const big = `POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 70000\r\nConnection: close\r\n\r\n${'x'.repeat(70_000)}`
  t.equal(statusOf(await ask(early, big)), 413, 'body-too-large before routing under body-limit-before-routing')
  t.equal(statusOf(await ask(early, 'GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')), 200, 'a small request is routed as usual')
  const plain = await ask(await listening(t, new Set(['problems-as-plain-json'])), 'GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.match(plain, /content-type: application\/json/i, 'a problem labelled application/json under problems-as-plain-json')
  t.match(plain, /"code":"unknown-operation"/)
})

t.test('GRIDIM-ERR-6: an unexpected failure is 500 internal with no detail; the fault stack-in-5xx shows the stack', async (t) => {
  const answer = async (faults?: ReadonlySet<Fault>): Promise<string> => {
    const server = createServer({ logger: createLogger({}, () => {}), timeouts: TIMEOUTS, faults })
    server.route({ method: 'GET', path: '/broken', handler: () => { throw new Error('disk /var/lib/gridim full') } })
    await server.start()
    t.teardown(() => server.stop({ timeout: 100 }))
    const { socket, ended } = openSocket((server.listener.address() as AddressInfo).port, 5000)
    socket.write('GET /broken HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    return (await ended).data
  }
  const plain = await answer()
  t.equal(statusOf(plain), 500)
  t.match(plain, /"code":"internal"/)
  t.notMatch(plain, /"detail"/, 'nothing of the failure is told')
  t.match(await answer(new Set(['stack-in-5xx'])), /"detail":"[^"]*\\n\s+at /, 'the stack, under the fault')
})

t.test('timeouts that contradict each other are a setup mistake', async (t) => {
  t.throws(() => httpListener({ headersMs: 2000, requestMs: 1000 }), /headersMs <= requestMs/)
  t.throws(() => httpListener({ idleMs: 0 }))
})

t.test('the defaults are 10 s for headers, 30 s for a request, 5 s idle', async (t) => {
  const listener = httpListener()
  t.same([listener.headersTimeout, listener.requestTimeout, listener.keepAliveTimeout], [10_000, 30_000, 5_000])
})

t.test('GRIDIM-LIM-12: a rate-limited refusal carries a Retry-After in seconds, unless the fault rate-limited-without-retry-after', async (t) => {
  const { GridImError } = await import('../errors/index.ts')
  for (const [faults, expected] of [[undefined, '1'], [new Set<Fault>(['rate-limited-without-retry-after']), null]] as const) {
    const server = createServer({ logger: createLogger({}, () => {}), timeouts: TIMEOUTS, faults })
    server.route({ method: 'GET', path: '/busy', handler: () => { throw new GridImError('rate-limited', 'slow down') } })
    const res = await server.inject({ method: 'GET', url: '/busy' })
    t.equal(res.statusCode, 429)
    t.equal(res.headers['retry-after'] ?? null, expected, faults === undefined ? 'one second' : 'none under the fault')
  }
})
