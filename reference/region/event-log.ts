// One client session's event log (spec chapter 10): append-only, read by cursor, never deleted
// on read (GRIDIM-CLI-8), so a client that lost a response or a stream asks again from its last
// cursor. Retention is bounded: an event is discarded only once it is older than 10 minutes and
// not among the 1000 newest (GRIDIM-CLI-11).
//
// Cursors are decimal integers that grow with wall-clock time (microseconds, bumped by one when
// two events share a tick), so they order within the session (GRIDIM-CLI-6) and a cursor from
// another session or region is very unlikely to name an event here. '0' names the start of a log
// from which nothing has been discarded.
import type { ClientEvent } from '../lib/contract/types.ts'

/** What a log holds: events with a cursor, a type, a time and the data of that type. A client's log holds the contract's ClientEvents. */
export type LoggedEvent = { id: string, type: string, at: string, data: unknown }
export type EventPage<E extends LoggedEvent = ClientEvent> = { events: E[], cursor: string }
/** The data an event of type `T` carries. */
export type EventData<E extends LoggedEvent, T extends string> = E extends unknown ? (T extends E['type'] ? E['data'] : never) : never

export type EventLogOptions = {
  /** Events always kept, newest first. */
  retention?: number
  /** Older events beyond `retention` are discarded after this many milliseconds. */
  maxAgeMs?: number
  /** Milliseconds since the epoch. */
  now?: () => number
  /**
   * The deliberate fault event-ids-share-a-tick (reference/lib/faults.ts): two events of one
   * millisecond get the same id, as a cursor taken from the clock alone does.
   */
  sameTickSameId?: boolean
}

/** Memory bound under a flood, far above what rate limits let through in 10 minutes. */
const HARD_CAP = 100_000
/** Discarded entries are cut off the array in one go once at least this many have gathered. */
const COMPACT_AT = 1024

type Entry<E> = { seq: number, event: E, ms: number }

/**
 * The index of the first of `entries[from..]` whose seq is at least `seq` (or greater, with
 * `strictly`); entries.length when none is. Entries are in append order, so their seqs never
 * decrease: a binary search, O(log n) entries read. A log keeps 10 minutes of events (up to
 * HARD_CAP), and every stream ack checks its cursor (GRIDIM-CLI-12, -38): a scan would cost
 * each ack time in proportion to everything the session has received.
 */
export function searchSeq (entries: ReadonlyArray<{ seq: number }>, seq: number, strictly: boolean, from = 0): number {
  let lo = from
  let hi = entries.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const s = entries[mid]!.seq
    if (s < seq || (strictly && s === seq)) lo = mid + 1
    else hi = mid
  }
  return lo
}

type Listener<E> = (event: E | null) => void

/** Events appended inside holdingEvents, published (made readable, listeners told) when it returns. */
let held: Array<() => void> | undefined

/**
 * Runs fn with every event appended meanwhile, to any log, held back: nobody can read one or
 * hear of it until fn has returned; then they are published in the order appended. If fn
 * throws, none is published (their ids are simply never used). fn is synchronous, so nothing
 * else runs in between: with fn a store transaction, an event is visible only after its commit
 * (GRIDIM-IM-20). Inside another holdingEvents, fn joins it.
 */
export function holdingEvents<R> (fn: () => R): R {
  if (held !== undefined) return fn()
  const publish: Array<() => void> = []
  held = publish
  let result: R
  try {
    result = fn()
  } finally {
    held = undefined
  }
  for (const p of publish) p()
  return result
}

export class EventLog<E extends LoggedEvent = ClientEvent> {
  readonly #retention: number
  readonly #maxAgeMs: number
  readonly #now: () => number
  readonly #sameTickSameId: boolean
  /** Retained events are #events[#start..]; those before #start are discarded, cut off in batches. */
  readonly #events: Array<Entry<E>> = []
  #start = 0
  readonly #listeners = new Set<Listener<E>>()
  #last = 0
  #discarded = false
  #closed = false

  constructor ({ retention = 1000, maxAgeMs = 10 * 60_000, now = Date.now, sameTickSameId = false }: EventLogOptions = {}) {
    this.#sameTickSameId = sameTickSameId
    if (!Number.isInteger(retention) || retention < 1) throw new RangeError('retention must be a positive integer')
    this.#retention = retention
    this.#maxAgeMs = maxAgeMs
    this.#now = now
  }

  get closed (): boolean {
    return this.#closed
  }

  /** The cursor of the newest event, or '0' for an empty log. */
  get head (): string {
    return String(this.#last)
  }

  get size (): number {
    return this.#events.length - this.#start
  }

  /**
   * Appends an event. `keep`, if given, runs with the event before anyone can read it (e.g. to
   * commit it to a store, GRIDIM-IM-20); if it throws, nothing is appended.
   */
  append<T extends E['type']> (type: T, data: EventData<E, T>, keep?: (event: E) => void): E {
    if (this.#closed) throw new Error('the event log is closed')
    const ms = this.#now()
    // GRIDIM-CLI-6: never an id used before, and after every earlier one.
    const seq = Math.max(this.#last + (this.#sameTickSameId ? 0 : 1), ms * 1000)
    // An E by construction, `data` being what type T carries (TypeScript cannot follow that correlation).
    const entry: LoggedEvent = { id: String(seq), type, at: new Date(ms).toISOString(), data }
    const event = entry as E
    keep?.(event)
    this.#last = seq
    const publish = (): void => {
      this.#events.push({ seq, event, ms })
      this.#discard(ms)
      for (const listener of [...this.#listeners]) listener(event)
    }
    if (held === undefined) publish()
    else held.push(publish)
    return event
  }

  /** True when `cursor` names a retained event, or the start of a log that has lost nothing. */
  knows (cursor: string): boolean {
    if (cursor === '0') return !this.#discarded
    // Ids are String(seq): a cursor in any other spelling ('007', '1e3') names no event.
    const seq = Number(cursor)
    if (String(seq) !== cursor) return false
    const i = searchSeq(this.#events, seq, false, this.#start)
    return i < this.#events.length && this.#events[i]!.seq === seq
  }

  /**
   * GRIDIM-CLI-7: the retained events after `cursor` (all when absent), oldest first, up to
   * `limit`; the page's cursor is the last event's id, else `cursor`, else the head. Throws
   * RangeError for a cursor this log does not know (GRIDIM-CLI-12).
   */
  after (cursor?: string, limit = Number.MAX_SAFE_INTEGER): EventPage<E> {
    if (cursor !== undefined && !this.knows(cursor)) throw new RangeError(`no event ${cursor} in this log`)
    const from = cursor === undefined ? 0 : Number(cursor)
    const first = searchSeq(this.#events, from, true, this.#start)
    const events = this.#events.slice(first, first + Math.min(limit, this.#events.length - first)).map((e) => e.event)
    return { events, cursor: events.at(-1)?.id ?? cursor ?? this.head }
  }

  /** Calls listener with each new event, and with null when the log closes. */
  subscribe (listener: Listener<E>): () => void {
    if (this.#closed) {
      listener(null)
      return () => {}
    }
    this.#listeners.add(listener)
    return () => { this.#listeners.delete(listener) }
  }

  /** Resolves when an event after `cursor` exists, the log closes, or `ms` pass. */
  async waitAfter (cursor: string | undefined, ms: number): Promise<void> {
    if (ms <= 0 || this.#closed || this.#last > Number(cursor ?? 0)) return
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        unsubscribe()
        resolve()
      }
      const timer = setTimeout(done, ms)
      const unsubscribe = this.subscribe(done)
    })
  }

  /** Ends every subscription (SSE streams, long polls); the log takes no more events. */
  close (): void {
    if (this.#closed) return
    this.#closed = true
    for (const listener of [...this.#listeners]) listener(null)
    this.#listeners.clear()
  }

  #discard (now: number): void {
    const events = this.#events
    let start = Math.max(this.#start, events.length - HARD_CAP)
    while (events.length - start > this.#retention && events[start]!.ms < now - this.#maxAgeMs) start++
    if (start === this.#start) return
    this.#start = start
    this.#discarded = true
    // Not a splice per append (a move of every retained entry): cut the discarded off together,
    // once they are a quarter of what is retained (at most 4 moves per discard, and under a
    // flood at most 1.25 × HARD_CAP entries held).
    if (start >= COMPACT_AT && start * 4 >= events.length - start) {
      events.splice(0, start)
      this.#start = 0
    }
  }
}
