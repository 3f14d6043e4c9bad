// Receiving a batch of instant messages (deliverInstantMessages, spec chapter 7 "Batches"): each
// message goes through the very handler that serves deliverInstantMessage, so the sender check,
// de-duplication and durability rules are the single operation's (GRIDIM-IM-26, GRIDIM-IM-31);
// a refusal becomes that message's result instead of the request's answer.
import { GridImError } from '../lib/errors/index.ts'
import type { Fault } from '../lib/faults.ts'
import type { Schema } from '../lib/contract/types.ts'
import type { RegionHandler } from './region-api.ts'

type Result = Schema<'InstantMessageResult'>
/** How a message that was not refused ends. */
export type Delivered = 'delivered' | 'duplicate'

/**
 * deliverInstantMessage in two steps, so that a batch commits once: `prepare` makes the checks
 * (it may wait) and returns the delivery, synchronous, that throws the refusal if there is one;
 * `together` runs every delivery of the batch in one store transaction and shows none of them
 * before it commits (GRIDIM-IM-20).
 */
export type Staged = {
  prepare: (input: Parameters<RegionHandler<'deliverInstantMessage'>>[0]) => Promise<() => Delivered>
  together: (deliverAll: () => void) => void
}

/** The result of a message held back behind an earlier one of its pair (GRIDIM-IM-27), until it has its own. */
const UNAVAILABLE = { code: 'unavailable', detail: 'An earlier message from the same sender to the same recipient in this batch was not delivered; send this one again after it.' } as const

/** The longest `detail` a result carries (region.yaml InstantMessageResult). */
const MAX_DETAIL = 1023

/**
 * deliverInstantMessages served by `single`, the deliverInstantMessage of this region (or the
 * gateway). Messages are handled one after another, in the request's order (GRIDIM-IM-27).
 * With `staged` (the region's), every message is first checked, then all are delivered in one
 * transaction, in order — results as if each had been delivered alone.
 */
export function batchOf (single: RegionHandler<'deliverInstantMessage'>, faults: ReadonlySet<Fault>, staged?: Staged): RegionHandler<'deliverInstantMessages'> {
  return async (input) => {
    const messages = [...input.body.messages]
    // The fault batch-reordered: the batch is worked off from its end, as a stack.
    if (faults.has('batch-reordered')) messages.reverse()
    /** Pairs (sender and recipient) of this batch with a message that was neither delivered nor a duplicate. */
    const failedPairs = new Set<string>()
    const results: Result[] = []
    /** Staged: the deliveries waiting for the commit, by their index in results. */
    const deliveries = new Map<number, () => Delivered>()
    const refused = (index: number, pair: string, err: unknown): void => {
      failedPairs.add(pair)
      results[index] = { messageId: results[index]!.messageId, ...refusal(err) }
    }
    /** GRIDIM-IM-27: delivered now, it would overtake the earlier one; the sender retries it after it. */
    const mustWait = (pair: string): boolean => failedPairs.has(pair) && !faults.has('batch-continues-after-pair-failure')
    for (const [index, im] of messages.entries()) {
      const pair = `${im.fromUserId} ${im.toUserId}`
      results.push({ messageId: im.messageId, ...UNAVAILABLE })
      if (mustWait(pair)) continue
      try {
        if (staged !== undefined) {
          deliveries.set(index, await staged.prepare({ ...input, body: im }))
          continue
        }
        const answer = await single({ ...input, body: im })
        const status = 'body' in answer ? answer.body.status : undefined
        if (status !== 'delivered' && status !== 'duplicate') throw new GridImError('internal', 'deliverInstantMessage answered without a delivery status')
        results[index] = { messageId: im.messageId, status }
      } catch (err) {
        refused(index, pair, err)
      }
    }
    // GRIDIM-IM-20: one commit for the batch, before the answer and before any client sees an event.
    if (staged !== undefined) {
      // Only a refusal at delivery (its recipient left meanwhile) holds back the pair's later
      // messages here: one refused when checked held back only those after it, already.
      failedPairs.clear()
      staged.together(() => {
        for (const [index, deliver] of deliveries) {
          const im = messages[index]!
          const pair = `${im.fromUserId} ${im.toUserId}`
          if (mustWait(pair)) continue
          try {
            results[index] = { messageId: im.messageId, status: deliver() }
          } catch (err) {
            refused(index, pair, err)
          }
        }
      })
    }
    if (faults.has('batch-reordered')) results.reverse()
    // The fault batch-results-misaligned: what was delivered is listed first, the refusals after.
    if (faults.has('batch-results-misaligned')) results.sort((a, b) => Number('code' in a) - Number('code' in b))
    return { body: { results } }
  }
}

/**
 * What a message (or delivery) refused alone gets as its result: what its problem would have said — the code, and the
 * detail only where a problem carries one (below 500, GRIDIM-ERR-6); `internal` for an
 * unexpected error.
 */
function refusal (err: unknown): { code: Extract<Result, { code: unknown }>['code'], detail?: string } {
  if (!(err instanceof GridImError)) return { code: 'internal' }
  const { detail } = err.toProblem()
  return { code: err.code, ...(typeof detail === 'string' ? { detail: detail.slice(0, MAX_DETAIL) } : {}) }
}

type GroupResult = Schema<'GroupMessageResult'>

/**
 * deliverGroupMessages served by `single`, the deliverGroupMessage of this region (or the
 * gateway): only the user server may send it, as the single operation (GRIDIM-SEC-9); then each
 * delivery in the request's order, its refusal its own result (GRIDIM-GRP-26).
 */
export function groupBatchOf (single: RegionHandler<'deliverGroupMessage'>, fromUserServerOnly: (principal: Parameters<RegionHandler<'deliverGroupMessage'>>[0]['principal']) => void): RegionHandler<'deliverGroupMessages'> {
  return async (input) => {
    fromUserServerOnly(input.principal)
    const results: GroupResult[] = []
    for (const delivery of input.body.deliveries) {
      const { groupSessionId, messageId } = delivery
      try {
        const answer = await single({ ...input, body: delivery })
        const body = 'body' in answer ? answer.body : undefined
        if (body === undefined || !('delivered' in body)) throw new GridImError('internal', 'deliverGroupMessage answered without delivered and notHere')
        results.push({ groupSessionId, messageId, delivered: body.delivered, notHere: body.notHere })
      } catch (err) {
        results.push({ groupSessionId, messageId, ...refusal(err) })
      }
    }
    return { body: { results } }
  }
}
