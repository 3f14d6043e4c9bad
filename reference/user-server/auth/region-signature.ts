// GRIDIM-SEC-1..5: regions and the gateway sign every request with their Ed25519 key, keyid =
// regionId; the key comes from the user server's own directory (the store), read on every
// request so that a re-provisioned key applies at once (GRIDIM-SEC-7).
import type { KeyObject } from 'node:crypto'
import { NO_FAULTS, type Fault } from '../../lib/faults.ts'
import { signatureAuthenticator, type Authenticator } from '../../lib/http/index.ts'
import { importPublicKey } from '../../lib/signatures/index.ts'
import type { Store } from '../../store/index.ts'

export type RegionSignatureOptions = {
  store: Store
  /**
   * GRIDIM-SEC-4: the base URL the user server advertises, read on every request (it is known
   * only once the server listens). The signature is checked against it and the request's path
   * and query, whatever Host the request arrived with.
   */
  baseUrl: () => string
  /** Deliberate bugs, only for conformance/variants (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
}

export function regionSignatureAuthenticator ({ store, baseUrl, faults = NO_FAULTS }: RegionSignatureOptions): Authenticator {
  const keys = new Map<string, KeyObject>()
  const verify = signatureAuthenticator({
    resolveKey: async (keyId) => {
      const region = store.getRegion(keyId)
      if (region === null) return null
      let key = keys.get(region.publicKey)
      if (key === undefined) keys.set(region.publicKey, key = importPublicKey(region.publicKey))
      return key
    },
    windowSeconds: () => store.getSettings().replayWindowSeconds,
    faults
  })
  return (raw) => {
    // The user-server-verifies-host-header fault trusts the Host the request names.
    if (faults.has('user-server-verifies-host-header')) return verify(raw)
    const { pathname, search } = new URL(raw.url)
    return verify({ ...raw, url: baseUrl().replace(/\/$/, '') + pathname + search })
  }
}
