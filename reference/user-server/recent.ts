// A bounded memory of recent facts, each kept for a fixed time: answers to group messages
// (GRIDIM-GRP-15), hand-overs that may be undone or confirmed (GRIDIM-LOC-15..17). In memory
// only: after a restart the user server forgets them, which costs at most a duplicate that
// receivers drop by its id — or a hand-over in flight, which the entering region then refuses,
// as it must when it cannot be confirmed. Acknowledged offline messages are another matter: a
// message forgotten there would be stored again after it was read, so they are kept in the
// store (offline/acknowledged-ids.ts).
export class RecentMap<V> {
  readonly #entries = new Map<string, { value: V, until: number }>()

  constructor (private readonly ttlMs: number, private readonly maxEntries = 100_000) {}

  set (key: string, value: V, now: number): void {
    this.#sweep(now)
    this.#entries.delete(key)
    this.#entries.set(key, { value, until: now + this.ttlMs })
    if (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!)
  }

  get (key: string, now: number): V | undefined {
    const entry = this.#entries.get(key)
    return entry !== undefined && entry.until > now ? entry.value : undefined
  }

  delete (key: string): void {
    this.#entries.delete(key)
  }

  /** Entries are kept in insertion order with one lifetime, so expired ones sit at the front. */
  #sweep (now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.until > now) return
      this.#entries.delete(key)
    }
  }
}

export const DAY_MS = 24 * 60 * 60 * 1000
