import t from 'tap'
import type { HttpRequest } from './http-message.ts'
import { signatureBase } from './signature-base.ts'
import { signatureInput } from './signature-params.ts'
import type { InnerList } from './structured-field.ts'

const params = { created: 1618884473, keyid: 'test-key-ed25519', alg: 'ed25519', nonce: 'n0nce' }
const PARAMS_TEXT = ';created=1618884473;keyid="test-key-ed25519";alg="ed25519";nonce="n0nce"'

function base (request: Partial<HttpRequest>, components: string[]): string {
  return signatureBase({ method: 'POST', url: 'https://example.com/foo', headers: {}, ...request }, signatureInput(components, params))
}

function lastValue (request: Partial<HttpRequest>, component: string): string {
  return base(request, [component]).split('\n')[0]!.slice(`"${component}": `.length)
}

t.test('RFC 9421 §2.5: one line per component, then "@signature-params" with no trailing newline', async (t) => {
  const digest = 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:'
  t.equal(
    base({ url: 'https://example.com/foo?param=Value&Pet=dog', headers: { 'Content-Digest': digest } }, ['@method', '@target-uri', 'content-digest']),
    '"@method": POST\n' +
    '"@target-uri": https://example.com/foo?param=Value&Pet=dog\n' +
    `"content-digest": ${digest}\n` +
    `"@signature-params": ("@method" "@target-uri" "content-digest")${PARAMS_TEXT}`
  )
})

t.test('RFC 9421 §2.2: derived component values', async (t) => {
  const table: Array<[string, string, string]> = [
    ['@method', 'https://example.com/', 'POST'],
    ['@target-uri', 'https://example.com/a%20b?x=1#frag', 'https://example.com/a%20b?x=1'],
    ['@target-uri', 'https://example.com/a?x=1#', 'https://example.com/a?x=1'],
    ['@target-uri', 'https://example.com/a%23b?x=%23#f#g', 'https://example.com/a%23b?x=%23'],
    ['@target-uri', 'HTTPS://EXAMPLE.com:443', 'https://example.com/'],
    ['@authority', 'https://Example.COM:443/x', 'example.com'],
    ['@authority', 'http://example.com:8080/x', 'example.com:8080'],
    ['@authority', 'http://[::1]:8080/x', '[::1]:8080'],
    ['@path', 'https://example.com', '/'],
    ['@path', 'https://example.com/a/b/', '/a/b/'],
    ['@query', 'https://example.com/foo?param=value&foo=bar&baz=bat%2Dman', '?param=value&foo=bar&baz=bat%2Dman'],
    ['@query', 'https://example.com/foo', '?'],
    ['@query', 'https://example.com/foo?', '?']
  ]
  for (const [component, url, value] of table) t.equal(lastValue({ url }, component), value, `${component} of ${url}`)
  t.equal(lastValue({ method: 'get' }, '@method'), 'get', '§2.2.1: the method is not normalized')
})

t.test('RFC 9421 §2.1: field values are trimmed and repeated lines joined with ", "', async (t) => {
  t.equal(lastValue({ headers: { 'X-Multi': ['  a ', 'b  '] } }, 'x-multi'), 'a, b')
  t.equal(lastValue({ headers: { 'x-one': '  spaced  value ' } }, 'x-one'), 'spaced  value')
  t.equal(lastValue({ headers: { 'Content-Length': 18 } }, 'content-length'), '18')
  t.equal(lastValue({ headers: { 'x-empty': '' } }, 'x-empty'), '', 'an empty field is covered with an empty value')
})

t.test('RFC 9421 §2.5: components that cannot be covered make the base fail with bad-signature', async (t) => {
  const table: Array<[string, Partial<HttpRequest>, string[] | InnerList]> = [
    ['an absent field', {}, ['content-digest']],
    ['a repeated component', {}, ['@method', '@method']],
    ['an upper-case field name', { headers: { 'Content-Type': 'x' } }, ['Content-Type']],
    ['an unsupported derived component', {}, ['@request-target']],
    ['a value with a newline', { headers: { 'x-a': 'one\ntwo' } }, ['x-a']],
    ['a value that is not ASCII', { headers: { 'x-a': 'café' } }, ['x-a']]
  ]
  for (const [name, request, components] of table) {
    t.throws(() => base(request, components as string[]), { code: 'bad-signature' }, name)
  }
  const withParameter = signatureInput(['content-type'], params)
  withParameter.items[0]!.params.set('sf', { type: 'boolean', value: true })
  t.throws(() => signatureBase({ method: 'GET', url: 'https://example.com/', headers: { 'content-type': 'x' } }, withParameter),
    { code: 'bad-signature' }, 'a component parameter (;sf)')
  const notAString: InnerList = { kind: 'inner-list', items: [{ kind: 'item', value: { type: 'token', value: 'date' }, params: new Map() }], params: new Map() }
  t.throws(() => signatureBase({ method: 'GET', url: 'https://example.com/', headers: {} }, notAString), { code: 'bad-signature' }, 'a token identifier')
})

t.test('a relative request URL is a programming error, not a bad signature', async (t) => {
  t.throws(() => base({ url: '/foo' }, ['@method']), TypeError)
})
