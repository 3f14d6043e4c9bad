import t from 'tap'
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto'
import type { Fault } from '../faults.ts'
import { contentDigest } from './content-digest.ts'
import { signBase } from './ed25519.ts'
import type { HttpFields, HttpRequest } from './http-message.ts'
import { generateKeyPair } from './keys.ts'
import { NonceCache, type NonceRegistry } from './nonce-cache.ts'
import { signRequest, type SignOptions } from './sign.ts'
import { signatureBase } from './signature-base.ts'
import { signatureInput, type SignatureParams } from './signature-params.ts'
import { binary, item } from './structured-field.ts'
import { serializeDictionary } from './structured-field-serialize.ts'
import { verifyRequest, type VerifyOptions } from './verify.ts'

const NOW = 1_700_000_000
const region = generateKeyPair()
const stranger = generateKeyPair()
const nonEd25519Key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey
const BODY = '{"to":"agent","text":"hello"}'

/** RFC 9530: a Content-Digest field with only a sha-512 digest, which GRIDIM-SEC-2 does not allow. */
function sha512Digest (body: string): string {
  return `sha-512=:${createHash('sha512').update(body).digest('base64')}:`
}

/** A request as the verifier receives it: field names lower-cased, body as bytes. */
function received (request: HttpRequest, added: Record<string, string | undefined>): HttpRequest {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries({ ...request.headers, ...added })) if (value !== undefined) headers[name.toLowerCase()] = String(value)
  return { ...request, headers, body: request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body) }
}

function post (): HttpRequest {
  return { method: 'POST', url: 'https://user.grid.example/instant-messages?session=1', headers: { 'content-type': 'application/json' }, body: BODY }
}

function signed (options: Partial<SignOptions> = {}, request = post()): HttpRequest {
  return received(request, { ...signRequest(request, { keyId: 'region-1', privateKey: region.privateKey, created: NOW, ...options }) })
}

/** Signs with parameters signRequest would never produce. */
function signedWith (params: Partial<SignatureParams> & Record<string, unknown>, components = ['@method', '@target-uri', 'content-digest']): HttpRequest {
  const request = post()
  const digest = contentDigest(BODY)
  const all = { created: NOW, keyid: 'region-1', alg: 'ed25519', nonce: 'n-1-aaaaaaaaaaaaaaaaaaaa', ...params } as SignatureParams
  const input = signatureInput(components, all)
  for (const [name, value] of Object.entries(params)) if (value === undefined) input.params.delete(name)
  const withDigest = { ...request, headers: { ...request.headers, 'content-digest': digest } }
  const signature = signBase(signatureBase(withDigest, input), region.privateKey)
  return received(withDigest, {
    'signature-input': serializeDictionary(new Map([['gridim', input]])),
    signature: serializeDictionary(new Map([['gridim', item(binary(signature))]]))
  })
}

function options (overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  const keys = new Map<string, KeyObject>([['region-1', region.publicKey]])
  return { resolveKey: async (id) => keys.get(id) ?? null, nonceCache: new NonceCache(), now: NOW, ...overrides }
}

function withHeaders (request: HttpRequest, change: (headers: Record<string, string>) => void): HttpRequest {
  const headers = { ...request.headers } as Record<string, string>
  change(headers)
  return { ...request, headers: headers as HttpFields }
}

t.test('GRIDIM-SEC: a signed request verifies and names its key', async (t) => {
  t.same(await verifyRequest(signed(), options()), { keyId: 'region-1', created: NOW, components: ['@method', '@target-uri', 'content-digest'] })
  t.equal((await verifyRequest(signed({}, { method: 'GET', url: 'https://user.grid.example/regions/r1', headers: {} }), options())).keyId, 'region-1')
})

t.test('GRIDIM-SEC: created may be up to the window away from now, either side', async (t) => {
  for (const offset of [-60, 60]) await t.resolves(verifyRequest(signed({ created: NOW + offset }), options()), `created ${offset} s`)
  await t.resolves(verifyRequest(signed({ created: NOW - 300 }), options({ windowSeconds: 300 })), 'a wider admin window')
})

t.test('GRIDIM-SEC: only the gridim label is read; other signatures may sit beside it', async (t) => {
  const request = signed()
  const both = withHeaders(request, (h) => {
    h['signature-input'] = `other=("@method");created=1, ${h['signature-input']}`
    h.signature = `other=:AAAA:, ${h.signature}`
  })
  await t.resolves(verifyRequest(both, options()))
})

type Case = { name: string, request: () => HttpRequest, options?: () => Partial<VerifyOptions>, code: string }

const cases: Case[] = [
  // unauthenticated
  { name: 'no Signature field', request: () => withHeaders(signed(), (h) => { delete h.signature }), code: 'unauthenticated' },
  { name: 'no Signature-Input field', request: () => withHeaders(signed(), (h) => { delete h['signature-input'] }), code: 'unauthenticated' },
  { name: 'no signature fields at all', request: () => post(), code: 'unauthenticated' },
  { name: 'a signature under another label', request: () => signed({ label: 'sig1' }), code: 'unauthenticated' },
  { name: 'the label only in Signature-Input', request: () => withHeaders(signed(), (h) => { h.signature = 'x=:AAAA:' }), code: 'unauthenticated' },
  // bad-signature: the message changed
  { name: 'changed method', request: () => ({ ...signed(), method: 'PUT' }), code: 'bad-signature' },
  { name: 'changed path', request: () => ({ ...signed(), url: 'https://user.grid.example/offline-messages?session=1' }), code: 'bad-signature' },
  { name: 'changed query', request: () => ({ ...signed(), url: 'https://user.grid.example/instant-messages?session=2' }), code: 'bad-signature' },
  { name: 'changed authority', request: () => ({ ...signed(), url: 'https://evil.example/instant-messages?session=1' }), code: 'bad-signature' },
  { name: 'changed body (digest mismatch)', request: () => ({ ...signed(), body: Buffer.from(BODY.replace('hello', 'HELLO')) }), code: 'bad-signature' },
  {
    name: 'changed body with a Content-Digest to match',
    request: () => withHeaders({ ...signed(), body: Buffer.from('{}') }, (h) => { h['content-digest'] = contentDigest('{}') }),
    code: 'bad-signature'
  },
  { name: 'Content-Digest that is garbage', request: () => withHeaders(signed(), (h) => { h['content-digest'] = 'sha-256=nope' }), code: 'unauthenticated' },
  { name: 'Content-Digest removed', request: () => withHeaders(signed(), (h) => { delete h['content-digest'] }), code: 'unauthenticated' },
  { name: 'a body added to a request signed without one', request: () => ({ ...signed({}, { method: 'POST', url: 'https://user.grid.example/x', headers: {} }), body: Buffer.from('x') }), code: 'unauthenticated' },
  { name: 'signed by another key than the keyid names', request: () => signed({ privateKey: stranger.privateKey }), code: 'bad-signature' },
  { name: 'the directory holds a different key for the keyid', request: () => signed(), options: () => ({ resolveKey: async () => stranger.publicKey }), code: 'bad-signature' },
  { name: 'the directory holds a key that is not Ed25519', request: () => signed(), options: () => ({ resolveKey: async () => nonEd25519Key }), code: 'bad-signature' },
  { name: 'a truncated signature', request: () => withHeaders(signed(), (h) => { h.signature = h.signature!.replace(/:(.{8})/, ':') }), code: 'bad-signature' },
  { name: 'a signature of another request', request: () => withHeaders(signed(), (h) => { h.signature = signed({}, { method: 'GET', url: 'https://user.grid.example/', headers: {} }).headers.signature as string }), code: 'bad-signature' },
  // unauthenticated (GRIDIM-SEC-17): what the signature must cover
  { name: 'method not covered', request: () => signed({ components: ['@target-uri', 'content-digest'] }), code: 'unauthenticated' },
  { name: 'target URI not covered', request: () => signed({ components: ['@method', '@path', '@query', 'content-digest'] }), code: 'unauthenticated' },
  { name: 'a body but content-digest not covered', request: () => signed({ components: ['@method', '@target-uri'] }), code: 'unauthenticated' },
  {
    name: 'a covered field removed from the request',
    request: () => withHeaders(signed({ components: ['@method', '@target-uri', 'content-digest', 'content-type'] }), (h) => { delete h['content-type'] }),
    code: 'bad-signature'
  },
  { name: 'a required extra component not covered', request: () => signed(), options: () => ({ requiredComponents: ['@method', '@target-uri', 'content-type'] }), code: 'unauthenticated' },
  // unauthenticated (GRIDIM-SEC-17): parameters
  { name: 'alg is not ed25519', request: () => signedWith({ alg: 'rsa-pss-sha512' }), code: 'unauthenticated' },
  { name: 'alg is missing', request: () => signedWith({ alg: undefined }), code: 'unauthenticated' },
  { name: 'nonce is missing', request: () => signedWith({ nonce: undefined }), code: 'unauthenticated' },
  { name: 'created is missing', request: () => signedWith({ created: undefined }), code: 'unauthenticated' },
  { name: 'keyid is missing', request: () => signedWith({ keyid: undefined }), code: 'unauthenticated' },
  { name: 'GRIDIM-SEC-16: a one-character nonce', request: () => signed({ nonce: 'a' }), code: 'unauthenticated' },
  { name: 'GRIDIM-SEC-16: a 21-character nonce', request: () => signed({ nonce: 'a'.repeat(21) }), code: 'unauthenticated' },
  { name: 'GRIDIM-SEC-16: a nonce outside the base64url alphabet', request: () => signed({ nonce: 'k3Jq9w2H5nXyQbT0fLzV1g==' }), code: 'unauthenticated' },
  { name: 'GRIDIM-SEC-16: a nonce over 128 characters', request: () => signed({ nonce: 'a'.repeat(129) }), code: 'unauthenticated' },
  {
    name: 'GRIDIM-SEC-15: a Content-Digest with a right sha-512 and no sha-256',
    request: () => withHeaders(signed({ components: ['@method', '@target-uri', 'content-digest'] }), (h) => { h['content-digest'] = sha512Digest(BODY) }),
    code: 'unauthenticated'
  },
  { name: 'created is a string', request: () => withHeaders(signed(), (h) => { h['signature-input'] = h['signature-input']!.replace(/created=(\d+)/, 'created="$1"') }), code: 'unauthenticated' },
  { name: 'keyid is a token', request: () => withHeaders(signed(), (h) => { h['signature-input'] = h['signature-input']!.replace('keyid="region-1"', 'keyid=region-1') }), code: 'unauthenticated' },
  // unauthenticated (GRIDIM-SEC-5): garbage structured fields
  { name: 'Signature-Input that is not a dictionary', request: () => withHeaders(signed(), (h) => { h['signature-input'] = 'gridim=("@method" ' }), code: 'unauthenticated' },
  { name: 'Signature that is not a dictionary', request: () => withHeaders(signed(), (h) => { h.signature = 'gridim=:abc' }), code: 'unauthenticated' },
  { name: 'Signature-Input member that is not an inner list', request: () => withHeaders(signed(), (h) => { h['signature-input'] = 'gridim="@method"' }), code: 'unauthenticated' },
  { name: 'Signature member that is not a byte sequence', request: () => withHeaders(signed(), (h) => { h.signature = 'gridim="c2ln"' }), code: 'unauthenticated' },
  { name: 'covered component that is a token', request: () => withHeaders(signed(), (h) => { h['signature-input'] = h['signature-input']!.replace('"@method"', 'method') }), code: 'unauthenticated' },
  { name: 'binary junk in Signature-Input', request: () => withHeaders(signed(), (h) => { h['signature-input'] = '\u0000\u00ff\u{1F600}' }), code: 'unauthenticated' },
  { name: 'a component covered twice', request: () => withHeaders(signed(), (h) => { h['signature-input'] = h['signature-input']!.replace('("@method"', '("@method" "@method"') }), code: 'bad-signature' },
  // unknown-key
  { name: 'a keyid the directory does not know', request: () => signed({ keyId: 'region-9' }), code: 'unknown-key' },
  // replayed-request
  { name: 'created too far in the past', request: () => signed({ created: NOW - 61 }), code: 'replayed-request' },
  { name: 'created too far in the future', request: () => signed({ created: NOW + 61 }), code: 'replayed-request' },
  { name: 'expires has passed', request: () => signed({ created: NOW - 10, expires: NOW - 1 }), code: 'replayed-request' },
  { name: 'created outside a narrower admin window', request: () => signed({ created: NOW - 20 }), options: () => ({ windowSeconds: 10 }), code: 'replayed-request' }
]

t.test('GRIDIM-SEC, GRIDIM-ERR: every tampered or unacceptable request is refused with its code', async (t) => {
  for (const c of cases) {
    await t.rejects(verifyRequest(c.request(), options(c.options?.())), { code: c.code, status: 401, name: /Error$/ }, c.name)
  }
})

t.test('GRIDIM-SEC: a nonce is accepted once per window (replayed request)', async (t) => {
  const nonceCache = new NonceCache()
  const request = signed()
  await t.resolves(verifyRequest(request, options({ nonceCache })))
  await t.rejects(verifyRequest(request, options({ nonceCache, now: NOW + 30 })), { code: 'replayed-request' }, 'the same request again')
  await t.rejects(verifyRequest(request, options({ nonceCache, now: NOW + 61 })), { code: 'replayed-request' }, 'after the window, created is too old')
})

t.test('GRIDIM-SEC: the same nonce from two different keys are two different nonces', async (t) => {
  const nonceCache = new NonceCache()
  const other = generateKeyPair()
  const resolveKey = async (id: string): Promise<KeyObject | null> => (id === 'region-1' ? region.publicKey : other.publicKey)
  await t.resolves(verifyRequest(signed({ nonce: 'same-nonce-of-22-chars' }), options({ nonceCache, resolveKey })))
  await t.resolves(verifyRequest(signed({ nonce: 'same-nonce-of-22-chars', keyId: 'region-2', privateKey: other.privateKey }), options({ nonceCache, resolveKey })))
})

t.test('GRIDIM-SEC: a forged request does not use up the nonce of the genuine one', async (t) => {
  const nonceCache = new NonceCache()
  const genuine = signed({ nonce: 'fresh-nonce-of-22-chars' })
  const forged = { ...genuine, method: 'DELETE' }
  await t.rejects(verifyRequest(forged, options({ nonceCache })), { code: 'bad-signature' })
  await t.resolves(verifyRequest(genuine, options({ nonceCache })))
})

/** A registry another process keeps (a database's, issue 16): it answers later, through a promise. */
class RemoteRegistry implements NonceRegistry {
  readonly asked: Array<{ key: string, until: number, now: number }> = []
  readonly #seen = new Map<string, number>()
  constructor (readonly refuse: (key: string) => boolean = () => false) {}
  async remember (key: string, until: number, now: number): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve))
    this.asked.push({ key, until, now })
    if (this.refuse(key)) return false
    const live = this.#seen.get(key)
    if (live !== undefined && live >= now) return false
    this.#seen.set(key, until)
    return true
  }
}

t.test('GRIDIM-SEC: a registry answering asynchronously decides the replay (issue 16)', async (t) => {
  const refusing = new RemoteRegistry((key) => key === 'region-1\ntaken-nonce-of-22-chars')
  await t.rejects(verifyRequest(signed({ nonce: 'taken-nonce-of-22-chars' }), options({ nonceCache: refusing })),
    { code: 'replayed-request', status: 401, message: 'this nonce was already used' }, 'a key the registry refuses is a replay')
  t.same(refusing.asked, [{ key: 'region-1\ntaken-nonce-of-22-chars', until: NOW + 60, now: NOW }], 'asked with the signer, the nonce and the end of the window')
  await t.resolves(verifyRequest(signed({ nonce: 'other-nonce-of-22-chars' }), options({ nonceCache: refusing })), 'another key it takes')

  // Two verifiers (two user-server instances) sharing one registry: a replay to the other is refused.
  const shared = new RemoteRegistry()
  const request = signed({ nonce: 'shared-nonce-of-22-char' })
  await t.resolves(verifyRequest(request, options({ nonceCache: shared })))
  await t.rejects(verifyRequest(request, options({ nonceCache: shared, now: NOW + 5 })), { code: 'replayed-request' }, 'the same request at the other instance')

  const forged = { ...signed({ nonce: 'forged-nonce-of-22-char' }), method: 'DELETE' }
  const untouched = new RemoteRegistry()
  await t.rejects(verifyRequest(forged, options({ nonceCache: untouched })), { code: 'bad-signature' })
  t.same(untouched.asked, [], 'a forged request is not remembered')

  const down: NonceRegistry = { remember: async () => { throw new Error('the database is down') } }
  await t.rejects(verifyRequest(signed(), options({ nonceCache: down })), { message: 'the database is down' }, 'a registry that fails fails the verification: nothing is taken as fresh')
})

t.test('GRIDIM-SEC-16: a nonce of 22 to 128 base64url characters is accepted', async (t) => {
  await t.resolves(verifyRequest(signed({ nonce: 'k3Jq9w2H5nXyQbT0fLzV1g' }), options()))
  await t.resolves(verifyRequest(signed({ nonce: 'a'.repeat(128) }), options()))
})

t.test('the deliberate faults give the wrong answers they are named after', async (t) => {
  const faulty = (fault: Fault): Partial<VerifyOptions> => ({ faults: new Set([fault]) })
  await t.resolves(verifyRequest(signed({ nonce: 'a' }), options(faulty('short-nonce-accepted'))), 'short-nonce-accepted')
  await t.resolves(verifyRequest(signed({ nonce: 'a'.repeat(129) }), options(faulty('long-nonce-accepted'))), 'long-nonce-accepted')
  await t.rejects(verifyRequest(signed({ nonce: 'a' }), options(faulty('long-nonce-accepted'))), { code: 'unauthenticated' }, 'long-nonce-accepted: a short one is still refused')
  const forgetful = { ...faulty('nonce-forgotten-after-created'), nonceCache: new NonceCache() }
  const replayed = signed()
  await t.resolves(verifyRequest(replayed, options(forgetful)))
  await t.rejects(verifyRequest(replayed, options(forgetful)), { code: 'replayed-request' }, 'nonce-forgotten-after-created: a replay in the same second is refused')
  await t.resolves(verifyRequest(replayed, options({ ...forgetful, now: NOW + 2 })), 'nonce-forgotten-after-created: two seconds later it is accepted')
  await t.rejects(verifyRequest(signedWith({ alg: undefined }), options(faulty('malformed-signature-as-bad-signature'))), { code: 'bad-signature' })
  const sha512Only = withHeaders(signed(), (h) => { h['content-digest'] = sha512Digest(BODY) })
  await t.rejects(verifyRequest(sha512Only, options(faulty('any-digest-algorithm'))), { code: 'bad-signature' }, 'the digest passes, the signature (over the sha-256 field) does not')
})

t.test('the RFC 9421 B.2.6 request fails the GridIM profile: it has no alg and no nonce', async (t) => {
  const headers = {
    'signature-input': 'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    signature: 'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:'
  }
  await t.rejects(verifyRequest({ method: 'POST', url: 'http://example.com/foo', headers }, options({ label: 'sig-b26' })), { code: 'unauthenticated' })
})
