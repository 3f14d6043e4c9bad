// Shared fixtures for the signature tests.
import { createPrivateKey, createPublicKey } from 'node:crypto'

/** RFC 9421 Appendix B.1.4, "test-key-ed25519". Published, so only ever a test key. */
export const RFC_TEST_KEY = {
  keyId: 'test-key-ed25519',
  privateKey: createPrivateKey(`-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
-----END PRIVATE KEY-----`),
  publicKey: createPublicKey(`-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
-----END PUBLIC KEY-----`)
}

/** RFC 9421 Appendix B.2, the body of "test-request". */
export const RFC_TEST_BODY = '{"hello": "world"}'
