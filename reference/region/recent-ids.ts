// Receivers de-duplicate by id (messageId, noticeId): a retry must not reach a client twice.
// An id is remembered for `ttlMs` (24 hours for messages, GRIDIM-IM-14); memory is bounded too,
// the oldest ids being forgotten first.
export type RecentIdsOptions = { maxEntries?: number, ttlMs?: number, now?: () => number }

export class RecentIds {
  readonly maxEntries: number
  readonly #ttlMs: number
  readonly #now: () => number
  /** id → when it may be forgotten; insertion order is age order. */
  readonly #ids = new Map<string, number>()

  constructor ({ maxEntries = 100_000, ttlMs = 24 * 3600_000, now = Date.now }: RecentIdsOptions = {}) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer')
    this.maxEntries = maxEntries
    this.#ttlMs = ttlMs
    this.#now = now
  }

  has (id: string): boolean {
    const until = this.#ids.get(id)
    return until !== undefined && until > this.#now()
  }

  /** Remembers id; false when it was already remembered (a repeat). */
  add (id: string): boolean {
    const now = this.#now()
    for (const [old, until] of this.#ids) {
      if (until > now) break
      this.#ids.delete(old)
    }
    if (this.has(id)) return false
    this.#ids.set(id, now + this.#ttlMs)
    if (this.#ids.size > this.maxEntries) this.#ids.delete(this.#ids.keys().next().value!)
    return true
  }
}
