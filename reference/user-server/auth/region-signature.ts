// GRIDIM-SEC-1..5: regions and the gateway sign every request with their Ed25519 key, keyid =
// regionId; the key comes from the user server's own directory (the store), read on every
// request so that a re-provisioned key applies at once (GRIDIM-SEC-7).
import type { KeyObject } from 'node:crypto'
import { signatureAuthenticator, type Authenticator } from '../../lib/http/index.ts'
import { importPublicKey } from '../../lib/signatures/index.ts'
import type { Store } from '../../store/index.ts'

export type RegionSignatureOptions = {
  store: Store
  /**
   * GRIDIM-SEC-4: the base URL the user server advertises. When set, the signature is checked
   * against it and the request's path and query, whatever Host the request arrived with.
   */
  publicUrl?: string
}

export function regionSignatureAuthenticator ({ store, publicUrl }: RegionSignatureOptions): Authenticator {
  const keys = new Map<string, KeyObject>()
  const verify = signatureAuthenticator({
    resolveKey: async (keyId) => {
      const region = store.getRegion(keyId)
      if (region === null) return null
      let key = keys.get(region.publicKey)
      if (key === undefined) keys.set(region.publicKey, key = importPublicKey(region.publicKey))
      return key
    },
    windowSeconds: () => store.getSettings().replayWindowSeconds
  })
  if (publicUrl === undefined) return verify
  const base = publicUrl.replace(/\/$/, '')
  return (raw) => {
    const { pathname, search } = new URL(raw.url)
    return verify({ ...raw, url: base + pathname + search })
  }
}
