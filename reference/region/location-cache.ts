// Where users are, as this region last learned it: userId → the region (or gateway) hosting them.
// Filled from locateUser answers and from verified senders of instant messages (seed step 9.3);
// never pushed to, so an entry is only as good as the next delivery: a miss (`agent-not-here`)
// evicts it (seed assumption 4). Bounded, least recently used first out.
import type { RegionKind } from '../lib/contract/types.ts'

export type CachedLocation = { regionId: string, url: string, kind?: RegionKind }

export class LocationCache {
  readonly maxEntries: number
  readonly #entries = new Map<string, CachedLocation>()

  constructor ({ maxEntries = 10_000 }: { maxEntries?: number } = {}) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer')
    this.maxEntries = maxEntries
  }

  get size (): number {
    return this.#entries.size
  }

  get (userId: string): CachedLocation | undefined {
    const location = this.#entries.get(userId)
    if (location !== undefined) {
      this.#entries.delete(userId)
      this.#entries.set(userId, location)
    }
    return location
  }

  set (userId: string, location: CachedLocation): void {
    this.#entries.delete(userId)
    this.#entries.set(userId, { ...location })
    if (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!)
  }

  evict (userId: string): void {
    this.#entries.delete(userId)
  }
}
