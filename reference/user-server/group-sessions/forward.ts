// GRIDIM-GRP-13, GRIDIM-GRP-17: a group message goes once to each region hosting members,
// naming the members there — the sender included, so its own client sees the message in the
// session's order — and never to a user who is not a member when the message is accepted.
import type { GroupMessageDelivery } from '../../lib/contract/types.ts'
import type { GroupSessionRow, UserRow } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { displayName } from '../conversions.ts'
import type { Destination } from './destinations.ts'
import type { Target } from '../notices/routing.ts'

/** What the sender's request and the user server's clock make of a group message. */
export type GroupMessage = Pick<GroupMessageDelivery, 'messageId' | 'body' | 'sentAt'>

/**
 * One delivery per destination, with its JSON's size in bytes (what a batch is bounded by,
 * GRIDIM-GRP-30): the part every region gets is serialised once per message, not once per region.
 */
export function groupDeliveries (shared: Omit<GroupMessageDelivery, 'toUserIds'>, destinations: readonly Destination[]): GroupForward[] {
  // `[]` stands where each region's members go: same keys, same order as each delivery below.
  const empty = JSON.stringify({ ...shared, toUserIds: [] })
  const base = Buffer.byteLength(empty) - 2
  const head = empty.slice(0, -3)
  // Shared by every message while the session is unchanged: read, never changed, downstream.
  return destinations.map(({ target, items, itemsBytes, itemsJson }) => ({
    target,
    delivery: { ...shared, toUserIds: items as string[] },
    bytes: base + itemsBytes,
    json: () => head + (itemsJson ?? JSON.stringify(items)) + '}'
  }))
}

/** `json()`: the delivery as JSON, made from the message's shared part and the region's cached ids. */
export type GroupForward = { target: Target, delivery: GroupMessageDelivery, bytes: number, json: () => string }

/** What a message goes out as: one delivery per destination region (GRIDIM-GRP-14 counts them). */
export async function groupForwards (ctx: UserServerContext, session: GroupSessionRow, sender: UserRow, message: GroupMessage): Promise<GroupForward[]> {
  const { byRegion } = await ctx.groupDestinations.of(session.groupSessionId)
  const destinations = ctx.faults.has('group-forward-per-member') ? byRegion.flatMap((d) => d.items.map((userId) => {
    const itemsJson = JSON.stringify([userId])
    return { ...d, items: [userId], itemsJson, itemsBytes: Buffer.byteLength(itemsJson) }
  })) : byRegion
  const shared = {
    groupSessionId: session.groupSessionId,
    messageId: message.messageId,
    fromUserId: sender.userId,
    fromName: displayName(sender),
    body: message.body,
    sentAt: message.sentAt
  }
  return groupDeliveries(shared, destinations)
}

/** Hands the forwards to the courier, each with its row in the group outbox when it has one (GRIDIM-GRP-31). */
export function sendGroupForwards (ctx: Pick<UserServerContext, 'courier'>, forwards: readonly GroupForward[], outboxIds?: readonly number[]): void {
  forwards.forEach(({ target, delivery, bytes }, i) => ctx.courier.deliverGroupMessage(target, delivery, true, bytes, outboxIds?.[i]))
}
