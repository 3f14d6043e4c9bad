import t from 'tap'
import { sign, verify } from 'node:crypto'
import { exportPrivateKey, exportPublicKey, generateKeyPair, importPrivateKey, importPublicKey } from './keys.ts'
import { RFC_TEST_KEY } from './test-support.ts'

t.test('a generated key pair survives export and import in the directory and PEM forms', async (t) => {
  const { publicKey, privateKey } = generateKeyPair()
  const raw = exportPublicKey(publicKey)
  t.match(raw, /^[A-Za-z0-9_-]{43}$/)
  t.equal(Buffer.from(raw, 'base64url').length, 32)
  const pem = exportPrivateKey(privateKey)
  t.match(pem, /^-----BEGIN PRIVATE KEY-----\n/)
  const signature = sign(null, Buffer.from('x'), importPrivateKey(pem))
  t.ok(verify(null, Buffer.from('x'), importPublicKey(raw), signature))
})

t.test('the RFC 9421 B.1.4 public key is stored as its raw 32 bytes, base64url', async (t) => {
  t.equal(exportPublicKey(RFC_TEST_KEY.publicKey), 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs')
  t.equal(exportPublicKey(RFC_TEST_KEY.privateKey), 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs', 'from the private key too')
  t.ok(importPublicKey('JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs').equals(RFC_TEST_KEY.publicKey))
})

t.test('anything but an Ed25519 key is refused', async (t) => {
  t.throws(() => importPublicKey('too-short'), TypeError)
  t.throws(() => importPublicKey('JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs'), TypeError, 'base64, not base64url')
  t.throws(() => exportPrivateKey(RFC_TEST_KEY.publicKey), TypeError)
  const { generateKeyPairSync } = await import('node:crypto')
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  t.throws(() => exportPublicKey(ec.publicKey), TypeError)
  t.throws(() => importPrivateKey(ec.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string), TypeError)
})
