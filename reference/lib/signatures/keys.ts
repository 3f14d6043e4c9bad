// Ed25519 keys (RFC 8032) for request signatures. The directory stores a public key as the
// base64url of its 32 raw bytes (the JWK "x" of RFC 8037 §2); a service keeps its private key
// as PKCS #8 PEM (RFC 5958, RFC 8410 §7).
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'

export type Ed25519KeyPair = { publicKey: KeyObject, privateKey: KeyObject }

const RAW_PUBLIC_KEY = /^[A-Za-z0-9_-]{43}$/

export function generateKeyPair (): Ed25519KeyPair {
  return generateKeyPairSync('ed25519')
}

/** The base64url (no padding) of the raw 32-byte public key; a private key gives its public half. */
export function exportPublicKey (key: KeyObject): string {
  assertEd25519(key)
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' })
  return jwk.x as string
}

/** The inverse of exportPublicKey; throws TypeError for anything but 32 base64url bytes. */
export function importPublicKey (raw: string): KeyObject {
  if (!RAW_PUBLIC_KEY.test(raw)) throw new TypeError('an Ed25519 public key is 32 bytes of base64url (43 characters)')
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw }, format: 'jwk' })
}

export function exportPrivateKey (key: KeyObject): string {
  assertEd25519(key)
  if (key.type !== 'private') throw new TypeError('not a private key')
  return key.export({ format: 'pem', type: 'pkcs8' }) as string
}

export function importPrivateKey (pem: string): KeyObject {
  const key = createPrivateKey(pem)
  assertEd25519(key)
  return key
}

function assertEd25519 (key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? key.type}`)
}
