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

  /**
   * `apart`: the ids are kept in a store of their own (the fault acknowledged-ids-in-memory), which
   * no transaction of the server's store covers.
   */
  constructor (private readonly store: Store, private readonly apart = false) {}

  /**
   * Whether messageId was deleted on acknowledgement within the 24 hours before `now`.
   * Inside a transaction of the server's store, pass its store as `tx` (here and below): the
   * ids then change with the transaction, and the outer store would wait for it to end.
   */
  async has (messageId: string, now: number, tx?: Store): Promise<boolean> {
    return await this.#in(tx).acknowledgedSince(messageId, now - DAY_MS)
  }

  async remember (messageId: string, now: number, tx?: Store): Promise<void> {
    const store = this.#in(tx)
    await store.rememberAcknowledged(messageId, now)
    if (++this.#remembered % PURGE_EVERY === 0) await store.purgeAcknowledged(now - DAY_MS)
  }

  /** The message is wanted again (returned unread): a retry may store it. */
  async forget (messageId: string, tx?: Store): Promise<void> {
    await this.#in(tx).forgetAcknowledged(messageId)
  }

  #in (tx: Store | undefined): Store {
    return this.apart ? this.store : tx ?? this.store
  }
}
