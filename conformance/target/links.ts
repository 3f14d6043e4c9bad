// The runner's proxies in front of the roles a target lets it place (issue 14): one LinkProxy per
// role, on a free loopback port, whose URL is the role's public one. A flow's link actions find
// the proxy by the URL of the role they name; every fault ends with the flow (heal).
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import { LinkProxy } from '../lib/link-proxy.ts'

function origin (url: string): string {
  return new URL(url).origin
}

export class Links {
  readonly #proxies = new Map<string, LinkProxy>()

  /** A new proxy in front of a role, listening; its upstream is set once the role listens. */
  async front (observe?: (exchange: ObservedExchange) => void): Promise<LinkProxy> {
    const proxy = new LinkProxy(observe === undefined ? {} : { observe })
    this.#proxies.set(origin(await proxy.listen()), proxy)
    return proxy
  }

  /** The proxy whose URL is `url`'s origin: the one in front of the role at that public URL. */
  proxyAt (url: string): LinkProxy | undefined {
    return this.#proxies.get(origin(url))
  }

  /**
   * Where the role at a public URL really listens: probes of a role's own HTTP handling (slow
   * clients, GRIDIM-LIM-17) must meet the role, not the runner's proxy.
   */
  directUrl (url: string): string {
    return this.proxyAt(url)?.upstream || url
  }

  /** Ends every fault on every link, or those of `owner` (a flow, at its end) only. */
  heal (owner?: string): void {
    for (const proxy of this.#proxies.values()) proxy.heal(owner)
  }

  async close (): Promise<void> {
    await Promise.all([...this.#proxies.values()].map(async (p) => await p.close()))
    this.#proxies.clear()
  }
}
