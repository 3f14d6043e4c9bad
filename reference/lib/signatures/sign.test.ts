import t from 'tap'
import { sign } from 'node:crypto'
import { generateKeyPair } from './keys.ts'
import { NonceCache } from './nonce-cache.ts'
import { signRequest } from './sign.ts'
import { RFC_TEST_BODY, RFC_TEST_KEY } from './test-support.ts'
import { verifyRequest } from './verify.ts'

const created = 1618884473

t.test('GRIDIM-SEC, RFC 9421 §3.1: a request with a body is signed over method, target URI and Content-Digest', async (t) => {
  const headers = signRequest(
    { method: 'POST', url: 'https://example.com/foo?param=Value&Pet=dog', headers: { 'Content-Type': 'application/json' }, body: RFC_TEST_BODY },
    { keyId: RFC_TEST_KEY.keyId, privateKey: RFC_TEST_KEY.privateKey, created, nonce: 'b3k2pp5k7z-50gnwp.yemd' }
  )
  const digest = 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:'
  t.equal(headers['Content-Digest'], digest)
  t.equal(headers['Signature-Input'],
    'gridim=("@method" "@target-uri" "content-digest");created=1618884473;keyid="test-key-ed25519";alg="ed25519";nonce="b3k2pp5k7z-50gnwp.yemd"')
  const base = '"@method": POST\n' +
    '"@target-uri": https://example.com/foo?param=Value&Pet=dog\n' +
    `"content-digest": ${digest}\n` +
    '"@signature-params": ("@method" "@target-uri" "content-digest");created=1618884473;keyid="test-key-ed25519";alg="ed25519";nonce="b3k2pp5k7z-50gnwp.yemd"'
  t.equal(headers.Signature, `gridim=:${sign(null, Buffer.from(base), RFC_TEST_KEY.privateKey).toString('base64')}:`)
})

t.test('GRIDIM-SEC: a request without a body covers only method and target URI, and gets no Content-Digest', async (t) => {
  for (const body of [undefined, '', Buffer.alloc(0)]) {
    const headers = signRequest({ method: 'GET', url: 'https://example.com/x', headers: {}, body }, { ...RFC_TEST_KEY, created, nonce: 'n' })
    t.equal(headers['Content-Digest'], undefined)
    t.equal(headers['Signature-Input'], 'gridim=("@method" "@target-uri");created=1618884473;keyid="test-key-ed25519";alg="ed25519";nonce="n"')
  }
})

t.test('signing honours label, components and expires, and makes a fresh nonce each time', async (t) => {
  const request = { method: 'PUT', url: 'https://example.com/x', headers: { 'content-type': 'text/plain' }, body: 'hi' }
  const headers = signRequest(request, { ...RFC_TEST_KEY, label: 'peer', components: ['@method', '@path', 'content-type', 'content-digest'], created, expires: created + 30, nonce: 'n' })
  t.equal(headers['Signature-Input'],
    'peer=("@method" "@path" "content-type" "content-digest");created=1618884473;keyid="test-key-ed25519";alg="ed25519";nonce="n";expires=1618884503')
  t.match(headers.Signature, /^peer=:[A-Za-z0-9+/]{86}==:$/)
  const a = signRequest(request, RFC_TEST_KEY)['Signature-Input']
  const b = signRequest(request, RFC_TEST_KEY)['Signature-Input']
  t.not(a, b)
  t.match(a, /;nonce="[A-Za-z0-9_-]{22}"$/)
})

t.test('a Content-Digest set by the caller is replaced by the one for the actual body', async (t) => {
  const headers = signRequest({ method: 'POST', url: 'https://example.com/', headers: { 'Content-Digest': 'sha-256=:AAAA:' }, body: RFC_TEST_BODY }, RFC_TEST_KEY)
  t.equal(headers['Content-Digest'], 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:')
})

t.test('signing a component the request does not have fails', async (t) => {
  t.throws(() => signRequest({ method: 'GET', url: 'https://example.com/', headers: {} }, { ...RFC_TEST_KEY, components: ['date'] }), { code: 'bad-signature' })
})

t.test('RFC 9421 §2.5: a component named twice is not signed', async (t) => {
  t.throws(() => signRequest({ method: 'GET', url: 'https://example.com/', headers: {} }, { ...RFC_TEST_KEY, components: ['@method', '@method'] }), { code: 'bad-signature' })
})

t.test('the contract\'s components given explicitly sign exactly as the default does', async (t) => {
  const request = { method: 'POST', url: 'https://example.com/foo', headers: { 'content-digest': 'sha-256=:AAAA:', Date: 'x' }, body: RFC_TEST_BODY }
  const options = { ...RFC_TEST_KEY, created, nonce: 'b3k2pp5k7z-50gnwp.yemd' }
  t.same(signRequest(request, { ...options, components: ['@method', '@target-uri', 'content-digest'] }), signRequest(request, options))
  const withDate = signRequest(request, { ...options, components: ['@method', 'date', 'content-digest'] })
  const base = '"@method": POST\n"date": x\n"content-digest": sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:\n' +
    '"@signature-params": ("@method" "date" "content-digest");created=1618884473;keyid="test-key-ed25519";alg="ed25519";nonce="b3k2pp5k7z-50gnwp.yemd"'
  t.equal(withDate.Signature, `gridim=:${sign(null, Buffer.from(base), RFC_TEST_KEY.privateKey).toString('base64')}:`, 'other covered fields are read from the request, the digest is the new one')
})

t.test('a body given as a view into a larger buffer is digested as exactly its bytes', async (t) => {
  const backing = Buffer.from(`xx${RFC_TEST_BODY}yy`)
  const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, Buffer.byteLength(RFC_TEST_BODY))
  const headers = signRequest({ method: 'POST', url: 'https://example.com/', headers: {}, body: view }, RFC_TEST_KEY)
  t.equal(headers['Content-Digest'], 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:')
})

t.test('GRIDIM-SEC: round trip — what signRequest signs, verifyRequest accepts', async (t) => {
  const { publicKey, privateKey } = generateKeyPair()
  for (const body of [undefined, '{"a":1}', Buffer.from([0, 1, 2, 255])]) {
    const request = { method: 'POST', url: 'http://127.0.0.1:8080/instant-messages?x=1', headers: { 'content-type': 'application/json' }, body }
    const added = signRequest(request, { keyId: 'region-1', privateKey })
    // on the wire field names arrive lower-cased
    const received = { ...request, headers: Object.fromEntries(Object.entries({ ...request.headers, ...added }).map(([k, v]) => [k.toLowerCase(), v])) }
    const verified = await verifyRequest(received, { resolveKey: async (id) => (id === 'region-1' ? publicKey : null), nonceCache: new NonceCache() })
    t.equal(verified.keyId, 'region-1')
  }
})
