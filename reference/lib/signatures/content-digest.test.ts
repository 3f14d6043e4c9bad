import t from 'tap'
import { checkContentDigest, contentDigest, verifyContentDigest, type DigestCheck } from './content-digest.ts'
import { RFC_TEST_BODY } from './test-support.ts'

// RFC 9530 and RFC 9421 Appendix B.2 use the body {"hello": "world"}.
const SHA_256 = 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:'
const SHA_512 = 'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:'

t.test('RFC 9530 §2: the digest of a body is its sha-256 as a byte sequence', async (t) => {
  t.equal(contentDigest(RFC_TEST_BODY), SHA_256)
  t.equal(contentDigest(Buffer.from(RFC_TEST_BODY)), SHA_256)
  t.equal(contentDigest(new TextEncoder().encode(RFC_TEST_BODY)), SHA_256)
})

t.test('RFC 9530 §2, GRIDIM-SEC-15: a field is accepted when it has a sha-256 and every known digest matches', async (t) => {
  const table: Array<[string, string, boolean]> = [
    ['sha-256 alone', SHA_256, true],
    ['sha-512 alone (RFC 9421 B.2 test-request): no sha-256', SHA_512, false],
    ['both', `${SHA_256}, ${SHA_512}`, true],
    ['an unknown algorithm is ignored', `unixsum=:AAAA:, ${SHA_256}`, true],
    ['a deprecated algorithm is ignored', `md5=:Sd/dVLAcvNLSq16eXua5uQ==:, ${SHA_256}`, true],
    ['only unknown algorithms', 'foo=:AAAA:, md5=:Sd/dVLAcvNLSq16eXua5uQ==:', false],
    ['a wrong sha-256', 'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:', false],
    ['a right sha-256 with a wrong sha-512', `${SHA_256}, sha-512=:AAAA:`, false],
    ['a truncated digest', 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWx:', false],
    ['a digest that is not a byte sequence', 'sha-256="X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="', false],
    ['an inner list', 'sha-256=(:AAAA:)', false],
    ['the obsolete Digest syntax', 'SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=', false],
    ['garbage', ':::', false],
    ['empty', '', false],
    ['a key named like an Object member', `constructor=:AAAA:, ${SHA_256}`, true]
  ]
  for (const [name, field, expected] of table) t.equal(verifyContentDigest(field, RFC_TEST_BODY), expected, name)
})

t.test('RFC 9530 §2: a changed body no longer matches', async (t) => {
  t.notOk(verifyContentDigest(SHA_256, '{"hello": "world!"}'))
  t.ok(verifyContentDigest(contentDigest(''), ''))
})

t.test('GRIDIM-SEC-15: a missing sha-256 or a malformed field is malformed; a digest that differs is a mismatch', async (t) => {
  const table: Array<[string, string, DigestCheck]> = [
    ['sha-256 alone', SHA_256, 'ok'],
    ['sha-512 alone', SHA_512, 'malformed'],
    ['only unknown algorithms', 'foo=:AAAA:', 'malformed'],
    ['not a dictionary', ':::', 'malformed'],
    ['sha-256 that is not a byte sequence', 'sha-256="X48E"', 'malformed'],
    ['a wrong sha-256', 'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:', 'mismatch'],
    ['a right sha-256 with a wrong sha-512', `${SHA_256}, sha-512=:AAAA:`, 'mismatch']
  ]
  for (const [name, field, expected] of table) t.equal(checkContentDigest(field, RFC_TEST_BODY), expected, name)
})

t.test('without the sha-256 rule (the any-digest-algorithm fault) any one active algorithm will do', async (t) => {
  t.equal(checkContentDigest(SHA_512, RFC_TEST_BODY, false), 'ok')
  t.equal(checkContentDigest('foo=:AAAA:', RFC_TEST_BODY, false), 'malformed')
})
