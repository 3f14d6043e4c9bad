// GRIDIM-OFFL-10: a message stored while its recipient can in fact be reached
// (the sender's retries ran out during a teleport, say) is delivered by the user server itself,
// signed as `user-server`, and retried with growing intervals while the recipient stays
// reachable. Once answered `delivered` or `duplicate` it is deleted from the store. When the
// recipient goes offline the attempts stop: the next sign-on returns the message.
import type { Logger } from '../../lib/http/index.ts'
import type { OfflineMessageRow, Store } from '../../store/index.ts'
import { messageToWire } from '../conversions.ts'
import type { Courier } from '../notices/courier.ts'
import type { Locate } from '../notices/locator.ts'
import type { AcknowledgedIds } from './acknowledged-ids.ts'

const FIRST_RETRY_MS = 1000
const MAX_RETRY_MS = 5 * 60 * 1000

export function retryDelay (attempt: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** attempt, MAX_RETRY_MS)
}

export type RedeliveryDeps = {
  store: Store
  courier: Courier
  locate: Locate
  /** Acknowledged ids, so that a late retry of the sender is answered 200 (GRIDIM-OFFL-2). */
  acknowledged: AcknowledgedIds
  now: () => number
  logger: Logger
}

export class Redelivery {
  readonly #timers = new Map<string, NodeJS.Timeout>()
  #stopped = false

  constructor (private readonly deps: RedeliveryDeps) {}

  /** Attempts delivery now if the recipient can be reached. */
  start (message: OfflineMessageRow): void {
    this.#run(message, 0)
  }

  stop (): void {
    this.#stopped = true
    for (const timer of this.#timers.values()) clearTimeout(timer)
    this.#timers.clear()
  }

  /** An attempt nobody awaits: a failure (the store's, say) is logged, never left unhandled. */
  #run (message: OfflineMessageRow, attempt: number): void {
    this.#attempt(message, attempt).catch((error: unknown) => {
      this.deps.logger.error('redelivery failed', { messageId: message.messageId, attempt, error: (error as Error).message })
    })
  }

  async #attempt (message: OfflineMessageRow, attempt: number): Promise<void> {
    this.#timers.delete(message.messageId)
    // Stopped: the store may already be closed (a timer or an answer can outlive stop()).
    if (this.#stopped) return
    const target = (await this.deps.locate([message.toUserId])).get(message.toUserId)
    if (this.#stopped) return
    // Acknowledged by the recipient's region meanwhile (it came with a sign-on or a page).
    if (await this.deps.acknowledged.has(message.messageId, this.deps.now())) return
    if (target === undefined || this.#stopped) return
    const outcome = await this.deps.courier.deliverInstantMessage(target, messageToWire(message))
    if (this.#stopped) return
    if (outcome === 'delivered' || outcome === 'duplicate') {
      // Deleted and remembered together, as an acknowledgement does (GRIDIM-OFFL-2).
      await this.deps.store.transaction(async (tx) => {
        if (await tx.acknowledge(message.toUserId, [message.messageId]) > 0) await this.deps.acknowledged.remember(message.messageId, this.deps.now(), tx)
      })
      return
    }
    this.deps.logger.debug('redelivery will be retried', { messageId: message.messageId, attempt, outcome })
    const timer = setTimeout(() => { this.#run(message, attempt + 1) }, retryDelay(attempt))
    timer.unref()
    this.#timers.set(message.messageId, timer)
  }
}
