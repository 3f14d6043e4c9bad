// GRIDIM-OFFL-11, GRIDIM-OFFL-13: what a session leaves unread goes back to the user server
// (`returnUnreadMessages`), which keeps it as offline messages for the user. The rows are
// deleted only once the user server has confirmed; until then they are retried with growing
// intervals, and again at the next start from the same file.
import { GridImError } from '../lib/errors/index.ts'
import type { Logger } from '../lib/http/index.ts'
import type { MessageStore } from './message-store.ts'
import type { UserServer } from './upstream.ts'

/** returnUnreadMessages takes at most this many messages (UnreadMessages.messages maxItems). */
export const RETURN_BATCH = 100
const FIRST_RETRY_MS = 1000
const MAX_RETRY_MS = 5 * 60_000

/** Refusals that no retry will change: the rows are dropped, and the loss logged as an error. */
const FINAL = new Set(['not-your-agent', 'unknown-session', 'invalid-request', 'unknown-user'])

export type UnreadReturnsOptions = { store: MessageStore, userServer: UserServer, logger: Logger, firstRetryMs?: number }

export class UnreadReturns {
  readonly #options: UnreadReturnsOptions
  #flushing: Promise<boolean> | undefined
  #again = false
  #timer: NodeJS.Timeout | undefined
  #failures = 0
  #stopped = false

  constructor (options: UnreadReturnsOptions) {
    this.#options = options
  }

  /** The session ended: its unread messages go back, soon (not inside the caller's own work). */
  ended (sessionId: string): void {
    const { store } = this.#options
    if (!store.open || this.#stopped) return
    if (store.endSession(sessionId) > 0) setImmediate(() => { void this.flush() })
  }

  /** Sends everything waiting to be returned; true when nothing is left. One flush at a time. */
  async flush (): Promise<boolean> {
    if (this.#flushing !== undefined) {
      this.#again = true
      return await this.#flushing
    }
    this.#flushing = this.#flushAll().finally(() => { this.#flushing = undefined })
    const done = await this.#flushing
    if (this.#again) {
      this.#again = false
      return await this.flush()
    }
    return done
  }

  /** Stops retrying (the region stops or crashes); what is left stays in the file. */
  stop (): void {
    this.#stopped = true
    clearTimeout(this.#timer)
  }

  async #flushAll (): Promise<boolean> {
    const { store, userServer, logger } = this.#options
    if (this.#stopped || !store.open) return false
    for (const { sessionId, userId, messages } of store.returning()) {
      for (let i = 0; i < messages.length; i += RETURN_BATCH) {
        const batch = messages.slice(i, i + RETURN_BATCH)
        try {
          await userServer('returnUnreadMessages', { params: { sessionId }, body: { messages: batch } })
        } catch (err) {
          if (err instanceof GridImError && FINAL.has(err.code)) {
            logger.error('the user server refused unread messages; they are dropped', { sessionId, userId, code: err.code, messages: batch.length })
          } else {
            this.#retryLater(err as Error)
            return false
          }
        }
        if (!store.open) return false
        store.returned(batch.map((m) => m.messageId))
        logger.debug('returned unread messages', { sessionId, userId, messages: batch.length })
      }
    }
    this.#failures = 0
    return true
  }

  #retryLater (err: Error): void {
    const delay = Math.min((this.#options.firstRetryMs ?? FIRST_RETRY_MS) * 2 ** this.#failures++, MAX_RETRY_MS)
    this.#options.logger.warn('returnUnreadMessages failed; will retry', { error: err.message, inMs: delay })
    clearTimeout(this.#timer)
    if (this.#stopped) return
    this.#timer = setTimeout(() => { void this.flush() }, delay)
    this.#timer.unref()
  }
}
