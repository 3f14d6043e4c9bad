// End to end over a real socket: signedFetch on one side, verifyRequest on a node:http server.
import t from 'tap'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SignatureError } from './errors.ts'
import { signedFetch } from './fetch.ts'
import { generateKeyPair } from './keys.ts'
import { NonceCache } from './nonce-cache.ts'
import { verifyRequest } from './verify.ts'

const region = generateKeyPair()
const nonceCache = new NonceCache()

async function readBody (req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

const server = createServer((req, res) => {
  void (async () => {
    const body = await readBody(req)
    try {
      const { keyId } = await verifyRequest(
        { method: req.method ?? '', url: `http://${req.headers.host}${req.url}`, headers: req.headers, body },
        { resolveKey: async (id) => (id === 'region-1' ? region.publicKey : null), nonceCache }
      )
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keyId, body: body.toString() }))
    } catch (error) {
      if (!(error instanceof SignatureError)) throw error
      res.writeHead(error.status, { 'content-type': 'application/problem+json' }).end(JSON.stringify(error.toProblem()))
    }
  })()
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const signer = { keyId: 'region-1', privateKey: region.privateKey }

t.test('GRIDIM-SEC: a signed POST with a JSON body is accepted by a verifying server', async (t) => {
  const res = await signedFetch(`${base}/instant-messages?x=1`, { method: 'post', headers: { 'content-type': 'application/json' }, body: '{"text":"hello"}' }, signer)
  t.equal(res.status, 200)
  t.same(await res.json(), { keyId: 'region-1', body: '{"text":"hello"}' })
})

t.test('GRIDIM-SEC: a signed GET without a body is accepted', async (t) => {
  const res = await signedFetch(new URL(`${base}/regions/r1`), {}, signer)
  t.equal(res.status, 200)
})

t.test('GRIDIM-SEC: a request signed by a key the server does not know is refused with unknown-key', async (t) => {
  const res = await signedFetch(`${base}/x`, {}, { keyId: 'region-2', privateKey: generateKeyPair().privateKey })
  t.equal(res.status, 401)
  t.match(await res.json(), { code: 'unknown-key' })
})

t.test('an unsigned request is refused with unauthenticated', async (t) => {
  const res = await fetch(`${base}/x`)
  t.equal(res.status, 401)
  t.match(await res.json(), { code: 'unauthenticated' })
})

t.test('a body that is not text or bytes cannot be signed', async (t) => {
  await t.rejects(signedFetch(`${base}/x`, { method: 'POST', body: new URLSearchParams('a=1') }, signer), TypeError)
})
