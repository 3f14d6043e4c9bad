// GRIDIM-SEC-1..5: regions and the gateway sign every request with their Ed25519 key, keyid =
// regionId; the key comes from the user server's own directory (the store), read on every
// request so that a re-provisioned key applies at once (GRIDIM-SEC-7).
import type { KeyObject } from 'node:crypto'
import { NO_FAULTS, type Fault } from '../../lib/faults.ts'
import { signatureAuthenticator, type Authenticator } from '../../lib/http/index.ts'
import { importPublicKey, NonceCache, type NonceRegistry } from '../../lib/signatures/index.ts'
import type { Store } from '../../store/index.ts'

export type RegionSignatureOptions = {
  store: Store
  /**
   * GRIDIM-SEC-4: the base URL the user server advertises, read on every request (it is known
   * only once the server listens). The signature is checked against it and the request's path
   * and query, whatever Host the request arrived with.
   */
  baseUrl: () => string
  /** Where accepted nonces are remembered: in memory, or in a store every instance shares. */
  nonces?: NonceRegistry
  /** Deliberate bugs, only for conformance/variants (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
}

/**
 * The imported key of each region, kept while the directory holds that key: importing costs more
 * than the store lookup, and a key is read for every signed request. One entry per region, the
 * one whose key the store gave last, so rotations and removals leave nothing behind (the cache
 * is bounded by the regions in the directory).
 */
export class RegionKeyCache {
  readonly #keys = new Map<string, { publicKey: string, key: KeyObject }>()

  get size (): number {
    return this.#keys.size
  }

  /** The key for `regionId` as the directory holds it now (`publicKey`), or null when it holds none. */
  key (regionId: string, publicKey: string | null): KeyObject | null {
    if (publicKey === null) {
      this.#keys.delete(regionId)
      return null
    }
    const cached = this.#keys.get(regionId)
    if (cached?.publicKey === publicKey) return cached.key
    const key = importPublicKey(publicKey)
    this.#keys.set(regionId, { publicKey, key })
    return key
  }
}

export function regionSignatureAuthenticator ({ store, nonces = new NonceCache(), baseUrl, faults = NO_FAULTS }: RegionSignatureOptions): Authenticator {
  const keys = new RegionKeyCache()
  const verify = signatureAuthenticator({
    resolveKey: async (keyId) => keys.key(keyId, (await store.getRegion(keyId))?.publicKey ?? null),
    // GRIDIM-LIM-15: the replay window as the settings have it now.
    windowSeconds: async () => (await store.getSettings()).replayWindowSeconds,
    nonceCache: nonces,
    faults
  })
  return async (raw) => {
    // The user-server-verifies-host-header fault trusts the Host the request names.
    if (faults.has('user-server-verifies-host-header')) return await verify(raw)
    const { pathname, search } = new URL(raw.url)
    return await verify({ ...raw, url: baseUrl().replace(/\/$/, '') + pathname + search })
  }
}
