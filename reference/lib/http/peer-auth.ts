// GRIDIM-SEC glue between the HTTP layer and RFC 9421 signatures: a Signer for outgoing
// service-to-service calls, and an Authenticator that verifies incoming ones.
import type { KeyObject } from 'node:crypto'
import type { Fault } from '../faults.ts'
import { NonceCache, signRequest, verifyRequest, type NonceRegistry } from '../signatures/index.ts'
import type { Signer } from './peer-client.ts'
import type { Authenticator } from './register-operations.ts'

export function signerFor (keyId: string, privateKey: KeyObject): Signer {
  return (req) => {
    const headers = signRequest({ method: req.method, url: req.url, headers: req.headers, body: req.body }, { keyId, privateKey })
    return { ...headers } as Record<string, string>
  }
}

export type SignatureAuthOptions = {
  /** The directory: a key id's public key, or null when unknown. */
  resolveKey: (keyId: string) => Promise<KeyObject | null>
  /** Read on every request so an admin change applies at once (from a store, asynchronously). */
  windowSeconds?: () => number | Promise<number>
  /** Default: a NonceCache of this authenticator's own. */
  nonceCache?: NonceRegistry
  /** Deliberate bugs, only for conformance/variants (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
}

export function signatureAuthenticator (options: SignatureAuthOptions): Authenticator {
  const nonceCache = options.nonceCache ?? new NonceCache()
  return async (raw) => {
    const windowSeconds = await options.windowSeconds?.() ?? 60
    const verified = await verifyRequest(
      { method: raw.method, url: raw.url, headers: raw.headers as Record<string, string>, body: raw.body },
      { resolveKey: options.resolveKey, nonceCache, windowSeconds, faults: options.faults })
    return { kind: 'peer', keyId: verified.keyId }
  }
}
