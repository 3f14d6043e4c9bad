// RFC 9421 Appendix B.2.6, "Signing a Request Using ed25519", checked byte for byte.
import t from 'tap'
import { signBase, verifyBase } from './ed25519.ts'
import type { HttpRequest } from './http-message.ts'
import { signatureBase } from './signature-base.ts'
import { labelledSignature } from './signature-fields.ts'
import { serializeInnerList } from './structured-field-serialize.ts'
import { RFC_TEST_BODY, RFC_TEST_KEY } from './test-support.ts'

// The RFC prints these wrapped per RFC 8792; here they are unwrapped.
const SIGNATURE_INPUT = 'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"'
const SIGNATURE = 'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:'
const BASE = [
  '"date": Tue, 20 Apr 2021 02:07:55 GMT',
  '"@method": POST',
  '"@path": /foo',
  '"@authority": example.com',
  '"content-type": application/json',
  '"content-length": 18',
  '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"'
].join('\n')

// Appendix B.2, "test-request"
const request: HttpRequest = {
  method: 'POST',
  url: 'http://example.com/foo?param=Value&Pet=dog',
  headers: {
    Host: 'example.com',
    Date: 'Tue, 20 Apr 2021 02:07:55 GMT',
    'Content-Type': 'application/json',
    'Content-Digest': 'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
    'Content-Length': '18',
    'Signature-Input': SIGNATURE_INPUT,
    Signature: SIGNATURE
  },
  body: RFC_TEST_BODY
}

t.test('RFC 9421 B.2.6: the Signature-Input member re-serializes to the same text', async (t) => {
  const { input } = labelledSignature(request.headers, 'sig-b26')
  t.equal(`sig-b26=${serializeInnerList(input)}`, SIGNATURE_INPUT)
})

t.test('RFC 9421 B.2.6: the signature base is the published one', async (t) => {
  const { input } = labelledSignature(request.headers, 'sig-b26')
  t.equal(signatureBase(request, input), BASE)
})

t.test('RFC 9421 B.2.6: the published signature verifies with test-key-ed25519', async (t) => {
  const { input, signature } = labelledSignature(request.headers, 'sig-b26')
  t.ok(verifyBase(signatureBase(request, input), signature, RFC_TEST_KEY.publicKey))
})

t.test('RFC 9421 B.2.6: signing the base reproduces the published signature (Ed25519 is deterministic)', async (t) => {
  const { signature } = labelledSignature(request.headers, 'sig-b26')
  t.equal(signBase(BASE, RFC_TEST_KEY.privateKey).toString('base64'), signature.toString('base64'))
})

t.test('RFC 9421 B.2.6: a changed base does not verify', async (t) => {
  const { signature } = labelledSignature(request.headers, 'sig-b26')
  t.notOk(verifyBase(BASE.replace('POST', 'PUT'), signature, RFC_TEST_KEY.publicKey))
})
