// The forged signatures differ from GridIM's in exactly the way they name: the unbent one
// verifies with the reference's verifier, each bent one does not.
import t from 'tap'
import { generateKeyPairSync } from 'node:crypto'
import { NonceCache, verifyRequest } from '../../reference/lib/signatures/index.ts'
import { sha512Digest, signatureHeaders, type Forgery } from './forge-signature.ts'

const { privateKey, publicKey } = generateKeyPairSync('ed25519')
const other = generateKeyPairSync('ed25519').privateKey
const body = Buffer.from('{"hello":"world"}')
const url = 'http://127.0.0.1:9/friendship-offers?x=1'

async function verifies (forgery?: Forgery, withBody = true): Promise<boolean> {
  const req = { method: 'POST', url, headers: { 'content-type': 'application/json' }, ...(withBody ? { body } : {}) }
  const headers = { ...req.headers, ...signatureHeaders(req, 'k1', privateKey, forgery) }
  try {
    await verifyRequest({ method: 'POST', url, headers, body: withBody ? body : Buffer.alloc(0) }, { resolveKey: async (id) => id === 'k1' ? publicKey : null, nonceCache: new NonceCache() })
    return true
  } catch {
    return false
  }
}

t.test('GridIM\'s own signature verifies, with and without a body', async (t) => {
  t.ok(await verifies())
  t.ok(await verifies(undefined, false))
})

t.test('each forgery fails verification', async (t) => {
  const forgeries: Array<[string, Forgery]> = [
    ['another key', { privateKey: other }],
    ['no nonce', { params: { nonce: null } }],
    ['no created', { params: { created: null } }],
    ['stale', { params: { created: Math.floor(Date.now() / 1000) - 3600 } }],
    ['another target URI', { signedUrl: 'http://evil.example:1/friendship-offers?x=1' }],
    ['another label', { label: 'sig1' }],
    ['a digest of other bytes', { digest: sha512Digest(Buffer.from('other')).replace('sha-512', 'sha-256') }],
    ['GRIDIM-SEC-15: a sha-512 digest only', { digest: sha512Digest(body) }]
  ]
  for (const [name, forgery] of forgeries) t.notOk(await verifies(forgery), name)
})

t.test('a sha-512 digest is RFC 9530\'s form', async (t) => {
  t.match(sha512Digest(body), /^sha-512=:[A-Za-z0-9+/]{86}==:$/)
})
