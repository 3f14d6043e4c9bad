// Sends the user server's requests to regions: notices, group messages and redelivered
// instant messages. Requests to one region go one at a time, in the order they were queued
// (GRIDIM-SIGN-16, GRIDIM-GRP-16); different regions proceed in parallel. A region that does
// not answer is logged and otherwise ignored: its lease will lapse and its agents go offline.
import type { GroupMessageDelivery, InstantMessage, Notice, Schema } from '../../lib/contract/types.ts'
import { GridImError } from '../../lib/errors/index.ts'
import { NO_FAULTS, type Fault } from '../../lib/faults.ts'
import type { Logger, PeerClient } from '../../lib/http/index.ts'
import { MAX_NOTICES_PER_REQUEST } from '../limits.ts'
import type { Metrics } from '../metrics.ts'
import type { Locate } from './locator.ts'
import { chunk, reroutes, type Target } from './routing.ts'

/** What the courier needs of a PeerClient; tests pass a recorder. */
export type Peer = Pick<PeerClient, 'call'>

export type DeliveryOutcome = 'delivered' | 'duplicate' | 'agent-not-here' | 'failed'

/** A notice queued for a region, with whether it may follow its recipient elsewhere (GRIDIM-SIGN-17). */
type QueuedNotice = { notice: Notice, reroutable: (notice: Notice) => boolean }
/** A deliverNotices queued for a region and not yet sent: later notices for that region join it. */
type OpenNotices = { url: string, items: QueuedNotice[] }
/**
 * A group message queued for a region, with whether members found elsewhere are followed
 * (GRIDIM-GRP-18), and its row in the group outbox when it has one (GRIDIM-GRP-31).
 */
type QueuedDelivery = { delivery: GroupMessageDelivery, reroute: boolean, outboxId?: number }
/** Group messages queued for a region and not yet sent: later ones for that region join them (GRIDIM-GRP-28). */
type OpenDeliveries = { url: string, items: QueuedDelivery[], bytes: number }
type GroupResult = Schema<'GroupMessageResult'>

/** GRIDIM-GRP-30: deliveries per deliverGroupMessages. */
export const MAX_GROUP_DELIVERIES = 50
/** GRIDIM-GRP-30, GRIDIM-LIM-3: bytes per request body, `{"deliveries":[` and `]}` included. */
const MAX_GROUP_BYTES = 65_536 - 17

/** Codes chapter 14 marks transient; a network failure or timeout is `unavailable` (GRIDIM-LIM-16). */
const TRANSIENT = new Set(['unavailable', 'internal', 'rate-limited'])

export type CourierOptions = {
  /** Deliberate bugs for conformance/variants only (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
  /** Pauses before the retries of a group message (GRIDIM-GRP-19: at least two). */
  groupRetryDelaysMs?: readonly number[]
  /** Only under the fault notices-held-to-combine: how long a batch of notices waits before it goes (GRIDIM-SIGN-15 says it must not). */
  noticeDelayMs?: number
  /**
   * Told the group outbox rows (GRIDIM-GRP-31) whose delivery is settled: the region answered,
   * or the courier gave up on it as it does on a message without a row. Called once per
   * request, with every row it carried.
   */
  groupSettled?: (outboxIds: number[]) => void
}

export class Courier {
  readonly #tails = new Map<string, Promise<void>>()
  readonly #pending = new Set<Promise<void>>()
  /** By regionId: the deliverNotices last in that region's queue, while it waits for its turn. */
  readonly #open = new Map<string, OpenNotices>()
  /** By regionId: the group messages last in that region's queue, while they wait for their turn. */
  readonly #openGroup = new Map<string, OpenDeliveries>()

  readonly #groupRetryDelaysMs: readonly number[]
  readonly #noticeDelayMs: number
  readonly #faults: ReadonlySet<Fault>
  readonly #groupSettled: (outboxIds: number[]) => void

  constructor (
    private readonly peer: Peer,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly locate: Locate,
    options: CourierOptions = {}
  ) {
    this.#groupRetryDelaysMs = options.groupRetryDelaysMs ?? [500, 2000]
    this.#noticeDelayMs = options.noticeDelayMs ?? 0
    this.#faults = options.faults ?? NO_FAULTS
    this.#groupSettled = options.groupSettled ?? (() => {})
  }

  /**
   * GRIDIM-SIGN-14, GRIDIM-LIM-6: one request per region (split only past the size limit).
   * GRIDIM-SIGN-17: notices for users the region says are not there follow them once, unless
   * `reroutable` says a notice is meant for this region only.
   * Batched links (issue 15): notices queued while a request to the region is in flight join the
   * deliverNotices waiting last in its queue, so that they go in one request when its turn
   * comes — in the order queued (GRIDIM-SIGN-16), never held back for it (GRIDIM-SIGN-15).
   */
  deliverNotices (target: Target, notices: Notice[], reroutable: (notice: Notice) => boolean = () => true): void {
    const items = notices.map((notice) => ({ notice, reroutable }))
    const open = this.#open.get(target.regionId)
    // GRIDIM-SIGN-14: a change's notices join a waiting request only whole, never split over two.
    if (open !== undefined && open.url === target.url && open.items.length + items.length <= MAX_NOTICES_PER_REQUEST) {
      open.items.push(...items)
      return
    }
    for (const part of chunk(items, MAX_NOTICES_PER_REQUEST)) {
      const queued: OpenNotices = { url: target.url, items: part }
      this.#enqueue(target.regionId, async () => {
        // Its turn: from now on, notices for this region wait for the next request.
        if (this.#open.get(target.regionId) === queued) this.#open.delete(target.regionId)
        await this.#sendNotices(target, queued.items)
      })
      this.#open.set(target.regionId, queued)
    }
  }

  async #sendNotices (target: Target, items: readonly QueuedNotice[]): Promise<void> {
    if (this.#noticeDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#noticeDelayMs))
    const notices = items.map((i) => i.notice)
    const answer = await this.#send(target, 'deliverNotices', () => this.peer.call(target.url, 'deliverNotices', { body: { notices } }))
    const notHere = answer?.notHere ?? []
    if (notHere.length === 0 || this.#faults.has('not-here-notices-dropped')) return
    for (const { target: next, userIds } of reroutes(notHere, target.regionId, await this.#regionOf(notHere))) {
      const ids = new Set(userIds)
      const follow = items.filter((i) => ids.has(i.notice.toUserId) && i.reroutable(i.notice)).map((i) => i.notice)
      if (follow.length > 0) this.deliverNotices(next, follow, () => false)
    }
  }

  /**
   * GRIDIM-GRP-13, GRIDIM-GRP-18, GRIDIM-GRP-19: one delivery per region, retried with the same
   * messageId on a transient failure; members found elsewhere are followed once.
   * GRIDIM-GRP-27, GRIDIM-GRP-28: group messages queued while a request to the region is in
   * flight join those waiting last in its queue; when their turn comes they go together in one
   * deliverGroupMessages, in the order accepted (GRIDIM-GRP-16) — one alone as deliverGroupMessage.
   * `jsonBytes`: the delivery's JSON in bytes, when the caller knows it without serialising it again.
   * `outboxId`: its row in the group outbox, settled once the region answered or was given up on.
   */
  deliverGroupMessage (target: Target, delivery: GroupMessageDelivery, reroute = true, jsonBytes = Buffer.byteLength(JSON.stringify(delivery)), outboxId?: number): void {
    // With its comma in the deliveries array (GRIDIM-GRP-30).
    const bytes = jsonBytes + 1
    const open = this.#openGroup.get(target.regionId)
    const item: QueuedDelivery = outboxId === undefined ? { delivery, reroute } : { delivery, reroute, outboxId }
    if (open !== undefined && open.url === target.url && open.items.length < MAX_GROUP_DELIVERIES && open.bytes + bytes <= MAX_GROUP_BYTES) {
      open.items.push(item)
      open.bytes += bytes
      return
    }
    const queued: OpenDeliveries = { url: target.url, items: [item], bytes }
    this.#enqueue(target.regionId, async () => {
      if (this.#openGroup.get(target.regionId) === queued) this.#openGroup.delete(target.regionId)
      // The fault: what waited goes newest first.
      const items = this.#faults.has('group-batch-newest-first') ? [...queued.items].reverse() : queued.items
      const results = items.length === 1 ? await this.#sendGroupMessage(target, items[0]!.delivery) : await this.#sendGroupMessages(target, items)
      // Delivered or given up on: either way this region is done with them. The re-routes below
      // have no rows: they follow members who moved, and are sent at once.
      const settled = items.flatMap((item) => item.outboxId === undefined ? [] : [item.outboxId])
      if (settled.length > 0) this.#groupSettled(settled)
      const follow = items.flatMap((item, i) => {
        const notHere = results[i]
        return !item.reroute || notHere === undefined || notHere.length === 0 || this.#faults.has('not-here-group-messages-dropped') ? [] : [{ item, notHere }]
      })
      if (follow.length === 0) return
      // Located together, once: the re-routes are then queued in the order of the deliveries, with nothing in between.
      const regionOf = await this.#regionOf([...new Set(follow.flatMap((f) => f.notHere))])
      for (const { item, notHere } of follow) {
        for (const { target: next, userIds } of reroutes(notHere, target.regionId, regionOf)) {
          this.deliverGroupMessage(next, { ...item.delivery, toUserIds: userIds }, false)
        }
      }
    })
    this.#openGroup.set(target.regionId, queued)
  }

  /** One group message alone: its `notHere`, or undefined when it failed. */
  async #sendGroupMessage (target: Target, delivery: GroupMessageDelivery): Promise<Array<string[] | undefined>> {
    const answer = await this.#send(target, 'deliverGroupMessage', () => this.peer.call(target.url, 'deliverGroupMessage', { body: delivery }), this.#groupRetryDelaysMs)
    return [answer?.notHere]
  }

  /**
   * Several in one request (GRIDIM-GRP-29): a delivery whose own result is a transient refusal is
   * sent again, with the others still waiting for it, as a failure of the whole request is
   * (GRIDIM-GRP-19); each delivery's `notHere`, undefined for one that failed.
   */
  async #sendGroupMessages (target: Target, items: readonly QueuedDelivery[]): Promise<Array<string[] | undefined>> {
    const notHere: Array<string[] | undefined> = items.map(() => undefined)
    let left = items.map((_, i) => i)
    for (let attempt = 0; left.length > 0; attempt++) {
      const deliveries = left.map((i) => items[i]!.delivery)
      const answer = await this.#send(target, 'deliverGroupMessages', () => this.peer.call(target.url, 'deliverGroupMessages', { body: { deliveries } }), this.#groupRetryDelaysMs)
      if (answer === undefined) return notHere
      const results: readonly GroupResult[] = answer.results ?? []
      const again: number[] = []
      left.forEach((i, k) => {
        const r = results[k]
        // GRIDIM-GRP-29: a result that is not this delivery's says nothing about it; sent again, a delivered one is not shown twice (GRIDIM-GRP-21).
        if (r === undefined || r.messageId !== items[i]!.delivery.messageId || r.groupSessionId !== items[i]!.delivery.groupSessionId) again.push(i)
        else if ('delivered' in r) notHere[i] = r.notHere
        else if (TRANSIENT.has(r.code)) again.push(i)
        else this.#failed(target, 'deliverGroupMessages', new GridImError('internal', `${r.messageId} refused with ${r.code}`))
      })
      if (again.length === 0 || attempt >= this.#groupRetryDelaysMs.length) return notHere
      await new Promise((resolve) => setTimeout(resolve, this.#groupRetryDelaysMs[attempt]))
      left = again
    }
    return notHere
  }

  /** GRIDIM-OFFL-10: the one case in which the user server carries a 1:1 message. */
  deliverInstantMessage (target: Target, message: InstantMessage): Promise<DeliveryOutcome> {
    return new Promise((resolve) => {
      this.#enqueue(target.regionId, async () => {
        this.metrics.countSent('deliverInstantMessage')
        try {
          const { body } = await this.peer.call(target.url, 'deliverInstantMessage', { body: message })
          // A peer's answer is not checked against the contract: a 200 without a body delivered it too.
          resolve(body?.status === 'duplicate' ? 'duplicate' : 'delivered')
        } catch (error) {
          if (error instanceof GridImError && error.code === 'agent-not-here') return resolve('agent-not-here')
          this.#failed(target, 'deliverInstantMessage', error)
          resolve('failed')
        }
      })
    })
  }

  /** Resolves once every queued request, including re-routed ones, has been answered. */
  async idle (): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending])
  }

  async #regionOf (userIds: readonly string[]): Promise<(userId: string) => Target | undefined> {
    const located = await this.locate(userIds)
    return (userId) => located.get(userId)
  }

  /** Makes `call` (a request of `operationId`), retried after each delay on a transient failure; undefined if it failed. */
  async #send<T> (target: Target, operationId: string, call: () => Promise<{ body: T }>, retryDelaysMs: readonly number[] = []): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      this.metrics.countSent(operationId)
      try {
        return (await call()).body
      } catch (error) {
        const transient = error instanceof GridImError ? TRANSIENT.has(error.code) : true
        if (!transient || attempt >= retryDelaysMs.length) {
          this.#failed(target, operationId, error)
          return undefined
        }
        await new Promise((resolve) => setTimeout(resolve, retryDelaysMs[attempt]))
      }
    }
  }

  #failed (target: Target, operationId: string, error: unknown): void {
    this.logger.warn('region did not accept a request', {
      regionId: target.regionId, url: target.url, operationId, error: (error as Error).message
    })
  }

  #enqueue (regionId: string, task: () => Promise<void>): void {
    // GRIDIM-SIGN-16, GRIDIM-GRP-16: whatever is queued after a batch keeps later items out of it.
    this.#open.delete(regionId)
    this.#openGroup.delete(regionId)
    const tail = (this.#tails.get(regionId) ?? Promise.resolve()).then(task).catch((error: unknown) => {
      this.logger.error('delivery task failed', { regionId, error: (error as Error).message })
    })
    this.#tails.set(regionId, tail)
    this.#pending.add(tail)
    void tail.finally(() => {
      this.#pending.delete(tail)
      if (this.#tails.get(regionId) === tail) this.#tails.delete(regionId)
    })
  }
}
