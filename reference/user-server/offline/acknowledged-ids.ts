// GRIDIM-OFFL-2: the messageIds deleted on acknowledgement in the last 24 hours, so that a
// sender's late retry is answered as a repeat and stores nothing. Kept in the store, not in
// memory: a user-server restart must not forget them, or a retry after it would store again a
// message the recipient has already read.
import type { Store } from '../../store/index.ts'
import { DAY_MS } from '../recent.ts'

/** Purge what is older than a day once in this many acknowledgements. */
const PURGE_EVERY = 1000

export class AcknowledgedIds {
  #remembered = 0

  constructor (private readonly store: Store) {}

  /** Whether messageId was deleted on acknowledgement within the 24 hours before `now`. */
  has (messageId: string, now: number): boolean {
    return this.store.acknowledgedSince(messageId, now - DAY_MS)
  }

  remember (messageId: string, now: number): void {
    this.store.rememberAcknowledged(messageId, now)
    if (++this.#remembered % PURGE_EVERY === 0) this.store.purgeAcknowledged(now - DAY_MS)
  }

  /** The message is wanted again (returned unread): a retry may store it. */
  forget (messageId: string): void {
    this.store.forgetAcknowledged(messageId)
  }
}
