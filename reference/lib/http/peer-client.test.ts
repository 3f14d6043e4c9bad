// PeerClient's transport: kept-alive node:http connections, one retry when a kept-alive
// connection turns out closed, and every failure as `unavailable` (callers retry with the same
// message id) — against bare node:http servers, so the edge cases can be staged.
import t, { type Test } from 'tap'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { generateKeyPair } from '../signatures/index.ts'
import { signerFor } from './peer-auth.ts'
import { PeerClient, retryAfterMs } from './peer-client.ts'

async function serve (t: Test, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string, server: Server, sockets: Set<Socket> }> {
  const server = createServer(handler)
  const sockets = new Set<Socket>()
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, sockets }
}

const settings = { leaseSeconds: 60, groupIdleSeconds: 600, replayWindowSeconds: 300 }

const problem = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' })
  res.end(JSON.stringify(body))
}

t.test('a JSON answer, with the body sent and its length declared; the connection is kept alive', async (t) => {
  const seen: Array<{ length: string | undefined, body: string, port: number | undefined }> = []
  const { url } = await serve(t, (req, res) => {
    let body = ''
    req.on('data', (c) => { body += c })
    req.on('end', () => { seen.push({ length: req.headers['content-length'], body, port: req.socket.remotePort }); problem(res, 200, { ok: true }) })
  })
  const client = new PeerClient()
  const body = { name: 'é', memberIds: [] }
  const answer = await client.call(url, 'adminCreateGroup', { body, headers: { authorization: 'Bearer x' } })
  t.same(answer, { status: 200, body: { ok: true } })
  await client.call(url, 'adminCreateGroup', { body })
  t.equal(seen[0]!.length, String(Buffer.byteLength(JSON.stringify(body))), 'Content-Length in bytes, not characters')
  t.same(JSON.parse(seen[0]!.body), body)
  t.equal(seen[1]!.port, seen[0]!.port, 'the second call reuses the connection')
})

t.test('a kept-alive connection the peer closed is retried once on a fresh one', async (t) => {
  const ports: Array<number | undefined> = []
  const { url } = await serve(t, (req, res) => {
    ports.push(req.socket.remotePort)
    req.resume()
    // The second request arrives on the kept-alive connection as the peer drops it (a restart).
    if (ports.length === 2) { req.socket.destroy(); return }
    problem(res, 200, { n: ports.length })
  })
  const client = new PeerClient()
  await client.call(url, 'adminUpdateSettings', { body: settings })
  const again = await client.call(url, 'adminUpdateSettings', { body: settings })
  t.same(again.body, { n: 3 }, 'answered by the retry')
  t.equal(ports[1], ports[0], 'the dropped request came on the kept-alive connection')
  t.not(ports[2], ports[1], 'the retry on a fresh one')
  // A dropped request on a fresh connection is not retried: it fails as unavailable.
  const { url: url2 } = await serve(t, (req) => { req.socket.destroy() })
  await t.rejects(client.call(url2, 'adminUpdateSettings', { body: settings }), { code: 'unavailable', message: /socket hang up/ })
})

t.test('a signed request sent again on a fresh connection is signed anew: the first may have reached the peer (a balancer\'s dead instance) and spent its nonce', async (t) => {
  const signatures: string[] = []
  const { url } = await serve(t, (req, res) => {
    signatures.push(String(req.headers['signature-input']))
    req.resume()
    if (signatures.length === 2) { req.socket.destroy(); return }
    problem(res, 200, { regionId: 'r', name: 'R', kind: 'region', publicKey: 'k', url: 'http://r', leaseExpiresAt: 1 })
  })
  const { privateKey } = generateKeyPair()
  const client = new PeerClient({ signer: signerFor('r', privateKey) })
  const lease = { params: { regionId: '00000000-0000-4000-8000-000000000001' }, body: { url: 'http://r' } }
  await client.callUnchecked(url, 'renewRegionLease', lease)
  await client.callUnchecked(url, 'renewRegionLease', lease)
  t.equal(signatures.length, 3, 'the dropped request was sent again')
  const nonce = (input: string): string | undefined => /nonce="([^"]+)"/.exec(input)?.[1]
  t.ok(nonce(signatures[1]!), 'signed')
  t.not(nonce(signatures[2]!), nonce(signatures[1]!), 'with a nonce of its own')
  // The fault resend-same-signature (GRIDIM-SEC-18): the first one's headers, nonce and all.
  const faulty = new PeerClient({ signer: signerFor('r', privateKey), faults: new Set(['resend-same-signature']) })
  signatures.length = 0
  const { url: url2 } = await serve(t, (req, res) => {
    signatures.push(String(req.headers['signature-input']))
    req.resume()
    if (signatures.length === 2) { req.socket.destroy(); return }
    problem(res, 200, { regionId: 'r', name: 'R', kind: 'region', publicKey: 'k', url: 'http://r', leaseExpiresAt: 1 })
  })
  await faulty.callUnchecked(url2, 'renewRegionLease', lease)
  await faulty.callUnchecked(url2, 'renewRegionLease', lease)
  t.equal(signatures.length, 3, 'under the fault too, sent again')
  t.equal(signatures[2], signatures[1], 'but with the same signature and nonce')
})

t.test('a request the peer held and then cut is not sent again, kept-alive connection or not (GRIDIM-LIM-20)', async (t) => {
  let requests = 0
  const { url } = await serve(t, (req, res) => {
    requests++
    req.resume()
    // The second request, on the kept-alive connection, is held a while and then cut.
    if (requests === 2) { setTimeout(() => req.socket.destroy(), 1200); return }
    problem(res, 200, { n: requests })
  })
  const client = new PeerClient()
  await client.call(url, 'adminUpdateSettings', { body: settings })
  await t.rejects(client.call(url, 'adminUpdateSettings', { body: settings }), { code: 'unavailable', message: /socket hang up/ })
  t.equal(requests, 2, 'the cut request was not sent again')
})

t.test('failures are unavailable: refused, timed out, not JSON, too large; problem details become their error', async (t) => {
  const client = new PeerClient({ timeoutMs: 200 })
  const { url, server } = await serve(t, (req, res) => {
    req.resume()
    if (req.url?.includes('settings') && req.headers['x-case'] === 'slow') return // never answers
    if (req.headers['x-case'] === 'text') { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('hello'); return }
    if (req.headers['x-case'] === 'huge') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(Buffer.alloc(9 * 1024 * 1024, 0x20)); return }
    problem(res, 404, { type: 'urn:gridim:problem:unknown-user', title: 'no such user', status: 404, code: 'unknown-user' })
  })
  await t.rejects(client.call(url, 'adminUpdateSettings', { body: settings, headers: { 'x-case': 'slow' } }), { code: 'unavailable', message: /no answer within 200 ms/ })
  await t.rejects(client.call(url, 'adminUpdateSettings', { body: settings, headers: { 'x-case': 'text' } }), { code: 'unavailable', message: /not JSON/ })
  await t.rejects(client.call(url, 'adminUpdateSettings', { body: settings, headers: { 'x-case': 'huge' }, timeoutMs: 5000 }), { code: 'unavailable', message: /larger than/ })
  await t.rejects(client.call(url, 'adminUpdateSettings', { body: settings }), { code: 'unknown-user' })
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeAllConnections()
  await t.rejects(client.call(`http://127.0.0.1:${port}`, 'adminUpdateSettings', { body: settings }), { code: 'unavailable', message: /ECONNREFUSED/ })
})

t.test('an error answer keeps what the peer said: status, its code (known or not) and Retry-After (GRIDIM-ERR-3, GRIDIM-IM-5)', async (t) => {
  const client = new PeerClient({ timeoutMs: 2000 })
  const { url } = await serve(t, (req, res) => {
    req.resume()
    const which = req.headers['x-case']
    if (which === 'newer') { problem(res, 503, { type: 'urn:gridim:problem:overloaded', title: 'Overloaded', status: 503, code: 'overloaded' }); return }
    if (which === 'newer-4xx') { problem(res, 422, { type: 'urn:gridim:problem:quota-exceeded', title: 'Quota', status: 422, code: 'quota-exceeded' }); return }
    res.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '3' })
    res.end(JSON.stringify({ type: 'urn:gridim:problem:rate-limited', title: 'Slow down', status: 429, code: 'rate-limited' }))
  })
  const caught = async (which: string): Promise<unknown> => await client.call(url, 'adminUpdateSettings', { body: settings, headers: { 'x-case': which } }).catch((err: unknown) => err)
  t.match(await caught('limited'), { code: 'rate-limited', peerAnswer: { status: 429, code: 'rate-limited', retryAfterMs: 3000 } })
  t.match(await caught('newer'), { code: 'unavailable', peerAnswer: { status: 503, code: 'overloaded' } }, 'an unknown 5xx code is read as unavailable')
  t.match(await caught('newer-4xx'), { code: 'invalid-request', peerAnswer: { status: 422, code: 'quota-exceeded' } }, 'an unknown 4xx code as a final refusal')
})

t.test('Retry-After is delay-seconds or an HTTP-date (RFC 9110 §10.2.3)', async (t) => {
  const now = Date.parse('2026-01-01T00:00:00Z')
  t.equal(retryAfterMs(undefined, now), undefined)
  t.equal(retryAfterMs(' 2 ', now), 2000)
  t.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000)
  t.equal(retryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now), 0, 'a date in the past asks for no wait')
  t.equal(retryAfterMs('soon', now), undefined)
})
