// RFC 9421 §3.3.6: EdDSA using curve edwards25519. The signature base is the message M, with
// no prehash; the signature is the 64-octet R || S of RFC 8032 §5.1.6.
import { sign, verify, type KeyObject } from 'node:crypto'

export const ALG = 'ed25519'

const SIGNATURE_LENGTH = 64

/** RFC 9421 §3.3.6 ("To sign using this algorithm ...") */
export function signBase (base: string, privateKey: KeyObject): Buffer {
  return sign(null, Buffer.from(base, 'ascii'), privateKey)
}

/** RFC 9421 §3.3.6 ("To verify using this algorithm ..."). False for a key that is not Ed25519. */
export function verifyBase (base: string, signature: Buffer, publicKey: KeyObject): boolean {
  if (publicKey.asymmetricKeyType !== ALG || signature.length !== SIGNATURE_LENGTH) return false
  return verify(null, Buffer.from(base, 'ascii'), publicKey, signature)
}
