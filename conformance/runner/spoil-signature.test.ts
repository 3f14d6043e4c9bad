// The nonces the runner's spoilt signatures carry (GRIDIM-SEC-16): each spoil breaks one rule only.
import t from 'tap'
import { generateKeyPair, NONCE_FORM } from '../../reference/lib/signatures/index.ts'
import { LONG_NONCE_LENGTH, nonceFor, PROFILE_SPOILS, spoilSignature } from './spoil-signature.ts'

t.test('long-nonce: random base64url, one character over the 128 a receiver takes', async (t) => {
  const nonce = nonceFor('long-nonce')
  t.equal(nonce.length, LONG_NONCE_LENGTH)
  t.equal(LONG_NONCE_LENGTH, 129)
  t.match(nonce, /^[A-Za-z0-9_-]+$/, 'only its length is wrong')
  t.notOk(NONCE_FORM.test(nonce))
  t.not(nonceFor('long-nonce'), nonce, 'a new one each time')
})

t.test('short-nonce is one character; the other spoils sign with a nonce of the right form', async (t) => {
  t.equal(nonceFor('short-nonce'), 'x')
  for (const spoil of PROFILE_SPOILS.filter((s) => s !== 'short-nonce' && s !== 'long-nonce')) t.ok(NONCE_FORM.test(nonceFor(spoil)), spoil)
})

t.test('the long nonce is the one the signature carries', async (t) => {
  const { privateKey } = generateKeyPair()
  const { headers } = spoilSignature('long-nonce', { method: 'GET', url: 'http://127.0.0.1:1/regions/r', headers: {} }, { keyId: 'rx', privateKey })
  const nonce = /;nonce="([^"]*)"/.exec(headers['signature-input'] ?? '')?.[1]
  t.equal(nonce?.length, LONG_NONCE_LENGTH)
})
