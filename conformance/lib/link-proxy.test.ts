// The runner's proxy in front of a role: it forwards and records what passes, and misbehaves on
// order as a network does (partition, delay, hold, hold-answer, blackhole), per signer and operation.
import { Agent, createServer, request, type Server } from 'node:http'
import t, { type Test } from 'tap'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import { frameHead, keyIdOf, LinkProxy, operationOf } from './link-proxy.ts'

/** A role behind the proxy: answers every request with what it got, counts them. */
async function startRole (): Promise<{ url: string, hits: string[], server: Server, connections: () => number }> {
  const hits: string[] = []
  let connections = 0
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => { body += c.toString('utf8') })
    req.on('end', () => {
      hits.push(`${req.method} ${req.url}`)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: 'delivered', got: body === '' ? null : JSON.parse(body), host: req.headers.host }))
    })
  })
  server.on('connection', () => { connections++ })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.address() as { port: number }
  return { url: `http://127.0.0.1:${address.port}`, hits, server, connections: () => connections }
}

/** One request over `agent` (one kept-alive connection), with a body of `size` bytes. */
async function post (url: string, agent: Agent, size = 20, headers: Record<string, string> = {}): Promise<{ status: number, body: any } | { error: string }> {
  const body = JSON.stringify({ messageId: 'm', pad: 'x'.repeat(Math.max(0, size - 30)) })
  return await new Promise((resolve) => {
    const req = request(`${url}/instant-messages`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => { text += c.toString('utf8') })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }) })
    })
    req.on('error', (err) => { resolve({ error: err.message }) })
    req.end(body)
  })
}

const signed = (keyId: string): Record<string, string> => ({ 'signature-input': `gridim=("@method");keyid="${keyId}";alg="ed25519"` })

async function deliver (url: string, headers: Record<string, string> = {}): Promise<{ status: number, body: any } | { error: string }> {
  try {
    const res = await fetch(`${url}/instant-messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ messageId: 'm' }) })
    return { status: res.status, body: await res.json() }
  } catch (err) {
    return { error: (err as Error).message }
  }
}

async function setUp (t: Test, observe?: (x: ObservedExchange) => void) {
  const role = await startRole()
  const proxy = new LinkProxy(observe === undefined ? {} : { observe })
  await proxy.listen()
  proxy.upstream = role.url + '/'
  t.teardown(async () => {
    await proxy.close()
    await new Promise<void>((resolve) => role.server.close(() => resolve()))
  })
  return { role, proxy }
}

t.test('operations by method and path, signers by keyid', async (t) => {
  t.equal(operationOf('POST', '/instant-messages'), 'deliverInstantMessage')
  t.equal(operationOf('put', '/regions/abc/lease?x=1'), 'renewRegionLease')
  t.equal(operationOf('GET', '/nowhere'), undefined)
  t.equal(keyIdOf({ 'signature-input': 'gridim=();keyid="user-server"' }), 'user-server')
  t.equal(keyIdOf({}), undefined)
})

t.test('a request head gives its method, target, signer and body length; what the framing leaves to HTTP gives nothing', async (t) => {
  const head = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1')
  t.same(frameHead(head(['PUT /regions/r/lease HTTP/1.1', 'Host: x', 'Content-Length: 12', 'Signature-Input: gridim=();keyid="r1"'])), { method: 'PUT', target: '/regions/r/lease', signatureInput: 'gridim=();keyid="r1"', contentLength: 12 })
  t.same(frameHead(head(['GET /events?after=3 HTTP/1.1', 'Host: x'])), { method: 'GET', target: '/events?after=3', signatureInput: '', contentLength: 0 }, 'no body without Content-Length')
  t.equal(frameHead(head(['POST /x HTTP/1.1', 'Transfer-Encoding: chunked'])), undefined, 'a chunked body')
  t.equal(frameHead(head(['GET /client/stream HTTP/1.1', 'Upgrade: websocket', 'Connection: Upgrade'])), undefined, 'a WebSocket handshake')
  t.equal(frameHead(head(['POST /x HTTP/1.1', 'Content-Length: 2', 'Content-Length: 3'])), undefined, 'two lengths')
  t.equal(frameHead(head(['POST /x HTTP/1.1', 'Content-Length: -1'])), undefined, 'a bad length')
  t.equal(frameHead(head(['garbage'])), undefined, 'no request line')
})

t.test('without a fault the requests of a kept-alive connection pass as they are, over one connection to the role', async (t) => {
  const { role, proxy } = await setUp(t)
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  t.teardown(() => { agent.destroy() })
  for (const size of [20, 200_000, 20]) t.match(await post(proxy.url, agent, size), { status: 200, body: { got: { messageId: 'm' } } }, `a body of ${size} bytes`)
  t.equal(role.connections(), 1, 'one connection to the role')
  proxy.add({ kind: 'partition', count: 1 })
  t.match(await post(proxy.url, agent), { error: String }, 'a fault added later cuts the next request of the same connection')
  t.match(await post(proxy.url, agent), { status: 200 }, 'the count spent, the next request passes')
  t.equal(role.hits.length, 4)
})

t.test('a role that starts again elsewhere gets the next request of a kept-alive connection', async (t) => {
  const { role, proxy } = await setUp(t)
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  t.teardown(() => { agent.destroy() })
  t.match(await post(proxy.url, agent), { status: 200 })
  const again = await startRole()
  t.teardown(async () => { await new Promise<void>((resolve) => again.server.close(() => resolve())) })
  proxy.upstream = again.url
  t.match(await post(proxy.url, agent), { status: 200 })
  t.same([role.hits.length, again.hits.length], [1, 1])
})

t.test('forwards a request whole, Host kept, and records the exchange', async (t) => {
  const seen: ObservedExchange[] = []
  const { role, proxy } = await setUp(t, (x) => seen.push(x))
  const answer = await deliver(proxy.url, signed('r1'))
  t.match(answer, { status: 200, body: { status: 'delivered', got: { messageId: 'm' }, host: new URL(proxy.url).host } })
  t.same(role.hits, ['POST /instant-messages'])
  t.match(seen, [{ operationId: 'deliverInstantMessage', method: 'POST', url: `${proxy.url}/instant-messages`, keyId: 'r1', requestBody: { messageId: 'm' }, status: 200, responseBody: { status: 'delivered' } }])
})

t.test('a partition from one signer closes its connections unanswered; others pass; a heal ends it', async (t) => {
  const { role, proxy } = await setUp(t)
  proxy.add({ kind: 'partition', from: 'r1' })
  t.match(await deliver(proxy.url, signed('r1')), { error: String })
  t.match(await deliver(proxy.url, signed('r2')), { status: 200 })
  t.match(await deliver(proxy.url), { status: 200 }, 'an unsigned request is nobody\'s')
  proxy.heal()
  t.match(await deliver(proxy.url, signed('r1')), { status: 200 })
  t.equal(role.hits.length, 3)
})

t.test('operations narrow a fault, and count ends it after that many requests', async (t) => {
  const { role, proxy } = await setUp(t)
  proxy.add({ kind: 'partition', operationIds: ['deliverNotices'] })
  t.match(await deliver(proxy.url), { status: 200 }, 'another operation passes')
  proxy.add({ kind: 'partition', operationIds: ['deliverInstantMessage'], count: 1 })
  t.match(await deliver(proxy.url), { error: String })
  t.match(await deliver(proxy.url), { status: 200 }, 'the second passes')
  t.equal(role.hits.length, 2)
})

t.test('a delay forwards later', async (t) => {
  const { proxy } = await setUp(t)
  proxy.add({ kind: 'delay', ms: 150 })
  const started = Date.now()
  t.match(await deliver(proxy.url), { status: 200 })
  t.ok(Date.now() - started >= 140, 'not before the delay')
})

t.test('hold keeps a request from the role until the heal', async (t) => {
  const { role, proxy } = await setUp(t)
  proxy.add({ kind: 'hold' })
  const pending = deliver(proxy.url)
  t.ok(await proxy.whenHolding(1, 2000), 'held')
  t.same(role.hits, [], 'the role has not seen it')
  proxy.heal()
  t.match(await pending, { status: 200 })
  t.same(role.hits, ['POST /instant-messages'])
})

t.test('hold-answer lets the role act and keeps its answer until the heal', async (t) => {
  const { role, proxy } = await setUp(t)
  proxy.add({ kind: 'hold-answer' })
  let answered = false
  const pending = deliver(proxy.url).then((a) => { answered = true; return a })
  t.ok(await proxy.whenHolding(1, 2000), 'the answer is held')
  t.same(role.hits, ['POST /instant-messages'], 'the role has acted')
  t.notOk(answered, 'the caller has no answer yet')
  proxy.heal()
  t.match(await pending, { status: 200, body: { status: 'delivered' } })
})

t.test('a blackhole never answers; a heal drops the connection, the role saw nothing', async (t) => {
  const { role, proxy } = await setUp(t)
  proxy.add({ kind: 'blackhole' })
  const pending = deliver(proxy.url)
  t.ok(await proxy.whenHolding(1, 2000))
  t.equal(proxy.holding, 1)
  proxy.heal()
  t.match(await pending, { error: String })
  t.same(role.hits, [])
})

t.test('a heal for one owner leaves another owner\'s faults and held requests', async (t) => {
  const { role, proxy } = await setUp(t)
  proxy.add({ kind: 'hold', owner: 'flow-a', from: 'a' })
  proxy.add({ kind: 'partition', owner: 'flow-b', from: 'b' })
  const pending = deliver(proxy.url, signed('a'))
  t.ok(await proxy.whenHolding(1, 2000))
  proxy.heal('flow-b')
  t.equal(proxy.holding, 1, 'flow-a\'s request is still held')
  t.equal(proxy.heldFor('flow-a'), 1)
  t.equal(proxy.heldFor('flow-b'), 0)
  t.ok(await proxy.whenHolding(1, 100, 'flow-a'))
  t.match(await deliver(proxy.url, signed('b')), { status: 200 }, 'flow-b\'s partition is over')
  proxy.heal('flow-a')
  t.match(await pending, { status: 200 })
  t.equal(role.hits.length, 2)
})

t.test('drop loses what is held and keeps the faults; the latest fault decides', async (t) => {
  const { role, proxy } = await setUp(t)
  proxy.add({ kind: 'hold-answer' })
  const pending = deliver(proxy.url)
  t.ok(await proxy.whenHolding(1, 2000))
  proxy.add({ kind: 'partition' })
  proxy.drop()
  t.match(await pending, { error: String }, 'the held answer is lost')
  t.equal(role.hits.length, 1, 'though the role acted')
  t.match(await deliver(proxy.url), { error: String }, 'the partition, added last, decides')
  t.equal(role.hits.length, 1)
})

t.test('a held answer whose caller gave up is let go quietly', async (t) => {
  const { role, proxy } = await setUp(t)
  proxy.add({ kind: 'hold-answer' })
  const aborted = fetch(`${proxy.url}/instant-messages`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(300) }).then(() => 'answered', () => 'gave up')
  t.ok(await proxy.whenHolding(1, 2000))
  t.equal(await aborted, 'gave up')
  await new Promise((resolve) => setTimeout(resolve, 50))
  proxy.heal()
  t.equal(role.hits.length, 1)
  t.match(await deliver(proxy.url), { status: 200 }, 'the proxy goes on')
})

t.test('whenHolding gives up after its timeout', async (t) => {
  const { proxy } = await setUp(t)
  t.equal(await proxy.whenHolding(1, 50), false)
})

t.test('close drops what is held', async (t) => {
  const { proxy } = await setUp(t)
  proxy.add({ kind: 'hold' })
  const pending = deliver(proxy.url)
  t.ok(await proxy.whenHolding(1, 2000))
  await proxy.close()
  t.match(await pending, { error: String })
})

t.test('an unreachable role, or none yet, closes the connection unanswered', async (t) => {
  const proxy = new LinkProxy()
  await proxy.listen()
  t.teardown(async () => { await proxy.close() })
  t.match(await deliver(proxy.url), { error: String }, 'no upstream yet')
  proxy.upstream = 'http://127.0.0.1:1'
  t.match(await deliver(proxy.url), { error: String }, 'nothing listens there')
})

t.test('bad faults are refused', async (t) => {
  const proxy = new LinkProxy()
  t.throws(() => proxy.add({ kind: 'cut' as 'partition' }), /unknown link fault cut/)
  t.throws(() => proxy.add({ kind: 'delay' }), /a delay needs ms/)
  t.throws(() => proxy.add({ kind: 'hold', count: 0 }), /count must be a whole number/)
  await proxy.close()
})

t.test('a WebSocket handshake goes through to the role, and the connection is joined both ways (the client stream)', async (t) => {
  const { WebSocketServer } = await import('ws')
  const { ClientStream } = await import('./client-stream.ts')
  const role = await startRole()
  const wss = new WebSocketServer({ server: role.server, path: '/client/stream', handleProtocols: () => 'gridim.client.v1' })
  wss.on('connection', (ws) => { ws.on('message', () => { ws.send(JSON.stringify({ type: 'ready', userId: '0190a7a0-0000-7000-8000-000000000001', keepAliveSeconds: 15 })) }) })
  const proxy = new LinkProxy()
  await proxy.listen()
  t.teardown(async () => { await proxy.close(); wss.close(); role.server.closeAllConnections(); role.server.close() })
  await t.rejects(ClientStream.connect(proxy.url), /could not be opened/, 'no upstream yet: the connection is dropped')
  proxy.upstream = role.url
  const stream = await ClientStream.connect(proxy.url)
  t.match(await stream.hello('secret'), { type: 'ready' }, 'hello and ready pass through')
  await proxy.close()
  t.ok(await stream.until(() => stream.closed !== undefined, 2000), 'closing the proxy drops the tunnelled connection')
})
