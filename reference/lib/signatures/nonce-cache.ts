// GRIDIM-SEC: a nonce is accepted once per replay window. The cache remembers each nonce until
// the request that carried it would be refused anyway (created + window), in insertion order so
// that both expiry sweeps and the size cap cost O(1) amortized per request.

/**
 * Where the nonces a verifier has accepted are remembered. NonceCache keeps them in this
 * process's memory; user-server instances sharing one database need a registry they share, so
 * that a request replayed to another instance is refused too (issue 16) — its answer may then be
 * a promise.
 */
export interface NonceRegistry {
  /**
   * Remembers key until `until` (UNIX seconds). Answers false, and changes nothing, when key is
   * already remembered and live at `now`: the request is a replay.
   */
  remember (key: string, until: number, now: number): boolean | Promise<boolean>
}

export type NonceCacheOptions = {
  /** Hard cap; past it the oldest nonces are forgotten first. */
  maxEntries?: number
}

export class NonceCache implements NonceRegistry {
  readonly maxEntries: number
  /** nonce → UNIX seconds until which it must not be accepted again. Map keeps insertion order. */
  readonly #entries = new Map<string, number>()

  constructor ({ maxEntries = 100_000 }: NonceCacheOptions = {}) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer')
    this.maxEntries = maxEntries
  }

  get size (): number {
    return this.#entries.size
  }

  /** True when nonce was remembered and has not expired at now. */
  has (nonce: string, now: number): boolean {
    const until = this.#entries.get(nonce)
    return until !== undefined && until >= now
  }

  /**
   * Remembers nonce until `until` (UNIX seconds). Returns false, and changes nothing, when the
   * nonce is already remembered and live: the request is a replay.
   */
  remember (nonce: string, until: number, now: number): boolean {
    this.#sweep(now)
    if (this.has(nonce, now)) return false
    this.#entries.delete(nonce)
    this.#entries.set(nonce, until)
    // Forgetting a live nonce reopens it to replay; the cap trades that for bounded memory.
    if (this.#entries.size > this.maxEntries) this.#evictOldest()
    return true
  }

  /**
   * Drops expired entries from the oldest end, stopping at the first live one. Entries are
   * inserted with nearly the same lifetime, so this reaches almost every expired entry; one that
   * hides behind a longer-lived neighbour is dropped later, or answered as expired by has().
   */
  #sweep (now: number): void {
    for (const [nonce, until] of this.#entries) {
      if (until >= now) return
      this.#entries.delete(nonce)
    }
  }

  #evictOldest (): void {
    const oldest = this.#entries.keys().next()
    if (oldest.done !== true) this.#entries.delete(oldest.value)
  }
}
