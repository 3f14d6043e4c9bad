// Which web pages may use the gateway's client endpoints from a browser (GRIDIM-XMPP-57): the
// origins its operator allows, or `*` for any; by default, on a loopback listener, pages served
// from loopback (127.0.0.1, ::1, localhost, any port). A request without `Origin` does not come
// from a page's script (or is same-origin GET) and is never refused for its origin; a page served
// from the gateway's own host is same-origin and always allowed.

/** What a request's `Origin` header gets: allowed (and the `Access-Control-Allow-Origin` value), or refused. */
export type OriginDecision = { allowed: true, allowOrigin: string | undefined } | { allowed: false }

export interface OriginPolicyOptions {
  /** Serialized origins (`https://chat.example.org`, `http://127.0.0.1:8080`) or `*`; none: the default. */
  allow?: readonly string[]
  /** The default when `allow` is empty: whether pages served from loopback are allowed (a loopback listener). */
  loopback?: boolean
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', '::1', 'localhost'])

export function isLoopbackHost (host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase())
}

/**
 * Reads configured origins: repeatable values, each one origin, `*`, or a comma-separated list
 * of them. Throws a TypeError naming the bad value (a set-up mistake fails at start-up).
 */
export function parseAllowedOrigins (values: readonly string[]): string[] {
  const origins: string[] = []
  for (const value of values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '')) {
    if (value === '*') { origins.push('*'); continue }
    let url: URL | undefined
    try { url = new URL(value) } catch { url = undefined }
    if (url === undefined || !['http:', 'https:'].includes(url.protocol) || url.username !== '' || url.password !== '' ||
        url.pathname !== '/' || url.search !== '' || url.hash !== '') {
      throw new TypeError(`allowed origin ${JSON.stringify(value)} is not an origin: give scheme://host[:port], like https://chat.example.org, or *`)
    }
    origins.push(url.origin)
  }
  return origins
}

export class OriginPolicy {
  readonly #origins: Set<string>
  readonly #any: boolean
  readonly #loopback: boolean

  constructor (options: OriginPolicyOptions = {}) {
    const origins = parseAllowedOrigins(options.allow ?? [])
    this.#any = origins.includes('*')
    this.#origins = new Set(origins.filter((o) => o !== '*'))
    this.#loopback = origins.length === 0 && options.loopback === true
  }

  /** The decision for a request carrying `origin` (its `Origin` header) and `host` (its `Host` header). */
  decide (origin: string | undefined, host: string | undefined): OriginDecision {
    if (origin === undefined) return { allowed: true, allowOrigin: undefined }
    // With `*` no credentials are shared (Fetch), and none are needed: SASL is inside the stream.
    if (this.#any) return { allowed: true, allowOrigin: '*' }
    if (this.#origins.has(origin) || this.#sameOrigin(origin, host) || (this.#loopback && this.#isLoopbackOrigin(origin))) {
      return { allowed: true, allowOrigin: origin }
    }
    return { allowed: false }
  }

  #sameOrigin (origin: string, host: string | undefined): boolean {
    const url = originUrl(origin)
    return url !== undefined && host !== undefined && url.host === host.toLowerCase()
  }

  #isLoopbackOrigin (origin: string): boolean {
    const url = originUrl(origin)
    return url !== undefined && isLoopbackHost(url.hostname)
  }
}

/** An `Origin` header as a URL, when it is a tuple origin over http(s) (not `null`). */
function originUrl (origin: string): URL | undefined {
  try {
    const url = new URL(origin)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined
  } catch {
    return undefined
  }
}
