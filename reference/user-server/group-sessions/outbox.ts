// GRIDIM-GRP-31: a group message the user server has answered is forwarded even if the process
// dies before the regions took it. Before answering, each of its deliveries is stored in the
// group outbox (a row per destination region) — with the first answer's claim, in one
// transaction, when the store is shared (issue 16) — and the row is deleted once the region
// answered, or once the courier gave up on it as it gives up on any group message (GRIDIM-GRP-19).
// While this process delivers a row it renews its claim; the rows of a process that died lapse,
// and the sweeper of whichever process comes first (this one restarted, or another instance)
// claims and sends them again, oldest first. A region may so get a message twice; it keeps one
// (GRIDIM-GRP-21).
import { randomUUID } from 'node:crypto'
import type { GroupMessageDelivery } from '../../lib/contract/types.ts'
import type { Logger } from '../../lib/http/index.ts'
import type { Store } from '../../store/index.ts'
import type { GroupMessageSent, UserServerContext } from '../context.ts'
import type { Courier } from '../notices/courier.ts'
import type { GroupForward } from './forward.ts'

/** How long a row stays this process's without a renewal; the sweeper renews every second. */
export const GROUP_OUTBOX_LEASE_MS = 10_000
/** Rows claimed per sweep: a backlog is worked off over several, each in order. */
const CLAIM_LIMIT = 500
/**
 * How long settled rows wait to be deleted together: under load a region settles a batch every
 * few milliseconds and each delete is a commit; gathered, one statement deletes what a hundred
 * regions settled. A crash meanwhile only sends those again, which regions keep once.
 */
const DELETE_DELAY_MS = 10

export class GroupOutbox {
  /** This process, as the rows it holds name it: another after a restart. */
  readonly owner = randomUUID()
  /** Rows in this process's courier, or being deleted: renewed on every sweep. */
  readonly #held = new Set<number>()
  #deletes: number[] = []
  #deleting: Promise<void> | null = null
  #timer: NodeJS.Timeout | null = null

  constructor (
    private readonly store: Store,
    private readonly logger: Logger,
    readonly leaseMs: number = GROUP_OUTBOX_LEASE_MS
  ) {}

  /**
   * Claims the first answer under `key` and stores the forwards, together: the earlier answer
   * when the message is a repeat (nothing stored), else the forwards' outboxIds, in order.
   */
  async accept (ctx: Pick<UserServerContext, 'store' | 'groupReplies' | 'faults'>, key: string, sent: GroupMessageSent, forwards: readonly GroupForward[], now: number): Promise<{ earlier: GroupMessageSent } | { outboxIds: number[] | undefined }> {
    // The fault: forwarded from memory only, as before the outbox; a crash loses it.
    if (forwards.length === 0 || ctx.faults.has('group-forward-not-durable')) {
      const earlier = await ctx.groupReplies.claim(key, sent, now)
      return earlier !== undefined ? { earlier } : { outboxIds: undefined }
    }
    const rows = forwards.map(({ target, json }) => ({ regionId: target.regionId, url: target.url, delivery: json() }))
    const until = now + this.leaseMs
    let outboxIds: number[]
    if (ctx.store.version() === null) {
      // Shared store: the claim is a recent fact in it, and both commit or neither does.
      const stored = await ctx.store.transaction(async (tx) => {
        const earlier = await ctx.groupReplies.claim(key, sent, now, tx)
        return earlier !== undefined ? { earlier } : { outboxIds: await tx.addGroupOutbox(rows, this.owner, until) }
      })
      if ('earlier' in stored) return stored
      outboxIds = stored.outboxIds
    } else {
      // A store of its own: the claim is in memory (and a transaction would move version(),
      // which the group destinations are cached by). Undone if the rows cannot be stored.
      const earlier = await ctx.groupReplies.claim(key, sent, now)
      if (earlier !== undefined) return { earlier }
      try {
        outboxIds = await ctx.store.addGroupOutbox(rows, this.owner, until)
      } catch (error) {
        await ctx.groupReplies.take(key, now)
        throw error
      }
    }
    for (const id of outboxIds) this.#held.add(id)
    return { outboxIds }
  }

  /** The courier is done with these rows (delivered, or given up on): deleted, several at once when they come quickly. */
  settled (outboxIds: readonly number[]): void {
    for (const id of outboxIds) this.#deletes.push(id)
    if (this.#timer !== null || this.#deleting !== null) return
    this.#timer = setTimeout(() => this.#startDeleting(), DELETE_DELAY_MS)
    this.#timer.unref()
  }

  #startDeleting (): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    this.#deleting ??= this.#deleteAll()
  }

  async #deleteAll (): Promise<void> {
    while (this.#deletes.length > 0) {
      const ids = this.#deletes
      this.#deletes = []
      try {
        await this.store.deleteGroupOutbox(ids)
      } catch (error) {
        // Left to lapse: sent again, a delivered message is kept once (GRIDIM-GRP-21).
        this.logger.warn('group outbox rows not deleted', { rows: ids.length, error: (error as Error).message })
      } finally {
        // Held until deleted: a sweep meanwhile must not take them for a dead process's.
        for (const id of ids) this.#held.delete(id)
      }
    }
    this.#deleting = null
  }

  /** Deletes the settled rows now; resolves once every one is deleted (or failed to be). */
  async flushed (): Promise<void> {
    if (this.#timer !== null) this.#startDeleting()
    while (this.#deleting !== null) await this.#deleting
  }

  /**
   * Renews the claim of the rows this process holds, then claims rows whose claim lapsed — a
   * dead process's — and hands them to the courier, oldest first; returns how many.
   */
  async sweep (courier: Pick<Courier, 'deliverGroupMessage'>, now: number): Promise<number> {
    if (this.#held.size > 0) await this.store.renewGroupOutbox(this.owner, [...this.#held], now + this.leaseMs)
    const rows = await this.store.claimGroupOutbox(this.owner, now, this.leaseMs, CLAIM_LIMIT)
    // A region restarted meanwhile may have renewed its lease at another address: sent there.
    const urls = new Map<string, string>()
    for (const regionId of new Set(rows.map((r) => r.regionId))) {
      const url = (await this.store.getRegion(regionId))?.url
      if (url != null) urls.set(regionId, url)
    }
    for (const row of rows) {
      this.#held.add(row.outboxId)
      const delivery = JSON.parse(row.delivery) as GroupMessageDelivery
      courier.deliverGroupMessage({ regionId: row.regionId, url: urls.get(row.regionId) ?? row.url }, delivery, true, Buffer.byteLength(row.delivery), row.outboxId)
    }
    if (rows.length > 0) this.logger.info('group messages sent again from the outbox', { rows: rows.length })
    return rows.length
  }
}
