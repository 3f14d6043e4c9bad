// Batched region links (spec chapter 7 "Batches"): per destination URL, at most one delivery
// request in flight. A message for a destination with nothing in flight goes at once, alone, as
// deliverInstantMessage — batching never adds latency at low load and needs no timer
// (GRIDIM-IM-32). Messages that arrive while a request is in flight wait; when it completes,
// everything waiting goes in one deliverInstantMessages, up to 50 messages and 65 536 bytes
// (GRIDIM-LIM-28), in the order they arrived, so a pair's messages keep their order (GRIDIM-IM-29).
// Each message is settled by its own result, exactly as the single operation's answer would settle
// it (GRIDIM-IM-30): the caller (delivery.ts) looks up again, retries or stores per message.
import { ERROR_CODES, GridImError, type ErrorCode } from '../lib/errors/index.ts'
import type { Fault } from '../lib/faults.ts'
import type { InstantMessage, Schema } from '../lib/contract/types.ts'
import type { Peer } from './upstream.ts'

/** GRIDIM-LIM-28: messages per deliverInstantMessages. */
export const MAX_BATCH_MESSAGES = 50
/** GRIDIM-LIM-28, GRIDIM-LIM-3: bytes per request body. */
export const MAX_BATCH_BYTES = 65_536
/** `{"messages":[` and `]}`. */
const ENVELOPE_BYTES = 15

/**
 * What became of one message at its destination: `delivered` (or a duplicate, the same to the
 * sender, GRIDIM-IM-15), or `store` — only under the fault batch-partial-failure-stored-twice.
 * A refusal rejects with the GridImError the single operation would have thrown.
 */
export type LinkResult = 'delivered' | 'store'

/** `bytes`: the message's share of a batch body, worked out only when it may join one. */
type Waiting = { im: InstantMessage, bytes?: number, resolve: (r: LinkResult) => void, reject: (err: unknown) => void }
type Link = { inFlight: boolean, waiting: Waiting[] }
type Result = Schema<'InstantMessageResult'>

export type LinkBatcherDeps = {
  peer: Peer
  timeoutMs?: number
  faults?: ReadonlySet<Fault>
}

export class LinkBatcher {
  readonly #links = new Map<string, Link>()
  readonly #deps: LinkBatcherDeps

  constructor (deps: LinkBatcherDeps) {
    this.#deps = deps
  }

  /** Delivers `im` to the region at `url`: alone now if nothing is in flight to it, else with what waits. */
  async deliver (url: string, im: InstantMessage): Promise<LinkResult> {
    let link = this.#links.get(url)
    if (link === undefined) {
      link = { inFlight: false, waiting: [] }
      this.#links.set(url, link)
    }
    const settled = new Promise<LinkResult>((resolve, reject) => {
      link.waiting.push({ im, resolve, reject })
    })
    if (!link.inFlight) this.#next(url, link)
    return await settled
  }

  /** Messages waiting per destination (for tests and metrics). */
  waiting (url: string): number {
    return this.#links.get(url)?.waiting.length ?? 0
  }

  /** Sends what waits for `url` in one request, and again when that completes, until nothing waits. */
  #next (url: string, link: Link): void {
    const batch = this.#take(link)
    if (batch.length === 0) {
      link.inFlight = false
      this.#links.delete(url)
      return
    }
    link.inFlight = true
    const sent = batch.length === 1 ? this.#sendOne(url, batch[0]!) : this.#sendBatch(url, batch)
    void sent.finally(() => { this.#next(url, link) })
  }

  /** The longest prefix of what waits within GRIDIM-LIM-28 (always at least one message). */
  #take (link: Link): Waiting[] {
    let bytes = ENVELOPE_BYTES
    let n = 0
    // A message that goes alone (nothing else waits) is sent as it is: its size is not needed.
    if (link.waiting.length === 1) return link.waiting.splice(0, 1)
    while (n < link.waiting.length && n < MAX_BATCH_MESSAGES) {
      const w = link.waiting[n]!
      bytes += w.bytes ??= Buffer.byteLength(JSON.stringify(w.im)) + 1
      if (n > 0 && bytes > MAX_BATCH_BYTES) break
      n++
    }
    return link.waiting.splice(0, n)
  }

  async #sendOne (url: string, w: Waiting): Promise<void> {
    try {
      await this.#deps.peer.call(url, 'deliverInstantMessage', { body: w.im, timeoutMs: this.#deps.timeoutMs })
      w.resolve('delivered')
    } catch (err) {
      w.reject(err)
    }
  }

  async #sendBatch (url: string, batch: Waiting[]): Promise<void> {
    let results: Result[]
    try {
      const answer = await this.#deps.peer.call(url, 'deliverInstantMessages', { body: { messages: batch.map((w) => w.im) }, timeoutMs: this.#deps.timeoutMs })
      results = answer.body.results
    } catch (err) {
      // GRIDIM-IM-30: a failure of the request is that failure for each message.
      for (const w of batch) w.reject(err)
      return
    }
    if (!aligned(batch, results)) {
      // GRIDIM-IM-30: results that do not match the messages one for one say nothing reliable
      // about any of them; retried, a delivered one is answered duplicate (GRIDIM-IM-31).
      const err = new GridImError('unavailable', `${url} answered a batch of ${batch.length} messages with results that do not match them one for one, in order`)
      for (const w of batch) w.reject(err)
      return
    }
    // The fault: a batch with a final refusal in it is taken as failed, and every message of it stored.
    const storeAll = this.#deps.faults?.has('batch-partial-failure-stored-twice') === true && results.some((r) => 'code' in r && !RETRIED.has(r.code))
    batch.forEach((w, i) => {
      const r = results[i]!
      if (storeAll) w.resolve('store')
      else if ('status' in r) w.resolve('delivered')
      else w.reject(resultError(r))
    })
  }
}

/** Codes after which the sender tries the message again (GRIDIM-IM-4, -5, -25). */
const RETRIED = new Set(['agent-not-here', 'lease-expired', 'unavailable', 'rate-limited', 'internal'])

function aligned (batch: readonly Waiting[], results: readonly Result[]): boolean {
  return results.length === batch.length && results.every((r, i) => r.messageId === batch[i]!.im.messageId)
}

/**
 * The error a single deliverInstantMessage would have thrown for this result. A code this
 * version does not know (GRIDIM-ERR-3) has no status class here: it counts as `internal`, a
 * transient failure, so the message is retried and then stored rather than lost.
 */
function resultError (r: Extract<Result, { code: unknown }>): GridImError {
  const known = Object.hasOwn(ERROR_CODES, r.code)
  const code: ErrorCode = known ? r.code as ErrorCode : 'internal'
  const err = new GridImError(code, r.detail)
  err.peerAnswer = { status: ERROR_CODES[code].status, code: r.code }
  return err
}
