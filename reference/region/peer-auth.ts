// Verifying the grid's signed requests (RFC 9421) the way chapter 12 asks of a receiver:
// `@target-uri` is formed from this region's advertised base URL and the request's path and
// query, so a proxy in front does not break verification (GRIDIM-SEC-4); and a key from the
// cache that fails is fetched again, once, before the request is refused (GRIDIM-SEC-7).
import { GridImError } from '../lib/errors/index.ts'
import { NO_FAULTS, type Fault } from '../lib/faults.ts'
import { signatureAuthenticator, type Authenticator } from '../lib/http/index.ts'
import { NonceCache } from '../lib/signatures/index.ts'
import type { KeyResolver } from './peer-keys.ts'

export function peerAuthenticator (keys: KeyResolver, baseUrl: () => string, faults: ReadonlySet<Fault> = NO_FAULTS, windowSeconds?: () => number): Authenticator {
  const nonceCache = faults.has('region-reuses-nonces') ? new ForgetfulNonceCache() : new NonceCache()
  // GRIDIM-LIM-22: the grid's replay window, as the directory last gave it.
  const verify = signatureAuthenticator({ resolveKey: keys.resolve, nonceCache, faults, windowSeconds })
  return async (raw) => {
    if (faults.has('region-accepts-unsigned') && raw.headers.signature === undefined) return { kind: 'peer', keyId: 'unsigned' }
    const base = baseUrl()
    const target = new URL(raw.url)
    const request = base === '' ? raw : { ...raw, url: base.replace(/\/$/, '') + target.pathname + target.search }
    try {
      return await verify(request)
    } catch (err) {
      if (!(err instanceof GridImError) || (err.code !== 'bad-signature' && err.code !== 'unknown-key')) throw err
      const input = raw.headers['signature-input']
      const keyId = /keyid="([^"]+)"/.exec(Array.isArray(input) ? input.join(',') : input ?? '')?.[1]
      if (keyId === undefined || !await keys.refresh(keyId)) throw err
      return await verify(request)
    }
  }
}

/** Only for the deliberate fault region-reuses-nonces: every nonce is taken as new (GRIDIM-SEC-5 broken). */
class ForgetfulNonceCache extends NonceCache {
  override remember (): boolean {
    return true
  }
}
