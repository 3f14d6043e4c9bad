import t from 'tap'
import { generateKeyPair, signRequest, type NonceRegistry } from '../signatures/index.ts'
import { signatureAuthenticator } from './peer-auth.ts'
import type { RawRequest } from './register-operations.ts'

const region = generateKeyPair()
const URL_ = 'http://127.0.0.1:4000/instant-messages'
const BODY = '{"text":"hello"}'

/** A request signed by region-1 `age` seconds ago, as the authenticator receives it. */
function signed (age = 0, nonce?: string): RawRequest {
  const request = { method: 'POST', url: URL_, headers: { 'content-type': 'application/json' }, body: BODY }
  const fields = signRequest(request, { keyId: 'region-1', privateKey: region.privateKey, created: Math.floor(Date.now() / 1000) - age, ...(nonce === undefined ? {} : { nonce }) })
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries({ ...request.headers, ...fields })) headers[name.toLowerCase()] = String(value)
  return { method: 'POST', url: URL_, headers, body: Buffer.from(BODY) }
}

const resolveKey = async (keyId: string) => keyId === 'region-1' ? region.publicKey : null
const later = async <T> (value: T): Promise<T> => { await new Promise((resolve) => setImmediate(resolve)); return value }

t.test('the replay window may come from a store, asynchronously, read on every request', async (t) => {
  let window = 300
  const authenticate = signatureAuthenticator({ resolveKey, windowSeconds: async () => await later(window) })
  t.same(await authenticate(signed(200)), { kind: 'peer', keyId: 'region-1' }, 'created 200 s ago, inside a window of 300 s')
  window = 10
  await t.rejects(Promise.resolve(authenticate(signed(200))), { code: 'replayed-request' }, 'the admin narrowed the window: too old')
  t.same(await signatureAuthenticator({ resolveKey, windowSeconds: () => 300 })(signed(200)), { kind: 'peer', keyId: 'region-1' }, 'a plain number still does')
  await t.rejects(Promise.resolve(signatureAuthenticator({ resolveKey })(signed(200))), { code: 'replayed-request' }, 'no window given: 60 s')
})

t.test('a shared nonce registry answering asynchronously refuses what it has seen', async (t) => {
  const seen = new Set<string>()
  const registry: NonceRegistry = { remember: async (key) => await later(!seen.has(key) && seen.add(key) !== undefined) }
  const one = signatureAuthenticator({ resolveKey, nonceCache: registry })
  const other = signatureAuthenticator({ resolveKey, nonceCache: registry })
  const request = signed(0, 'once-only-nonce-22-char')
  t.same(await one(request), { kind: 'peer', keyId: 'region-1' })
  await t.rejects(Promise.resolve(other(request)), { code: 'replayed-request' }, 'replayed to another instance')
  t.same([...seen], ['region-1\nonce-only-nonce-22-char'])
})
