import t from 'tap'
import { contentDigest, verifyContentDigest } from './content-digest.ts'
import { RFC_TEST_BODY } from './test-support.ts'

// RFC 9530 and RFC 9421 Appendix B.2 use the body {"hello": "world"}.
const SHA_256 = 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:'
const SHA_512 = 'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:'

t.test('RFC 9530 §2: the digest of a body is its sha-256 as a byte sequence', async (t) => {
  t.equal(contentDigest(RFC_TEST_BODY), SHA_256)
  t.equal(contentDigest(Buffer.from(RFC_TEST_BODY)), SHA_256)
  t.equal(contentDigest(new TextEncoder().encode(RFC_TEST_BODY)), SHA_256)
})

t.test('RFC 9530 §2: a field is accepted when every known digest matches and at least one is known', async (t) => {
  const table: Array<[string, string, boolean]> = [
    ['sha-256 alone', SHA_256, true],
    ['sha-512 alone (RFC 9421 B.2 test-request)', SHA_512, true],
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
