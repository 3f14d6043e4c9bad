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
export function groupDeliveries (shared: Omit<GroupMessageDelivery, 'toUserIds'>, destinations: readonly Destination[]): Array<{ target: Target, delivery: GroupMessageDelivery, bytes: number }> {
  // `[]` stands where each region's members go: same keys, same order as each delivery below.
  const base = Buffer.byteLength(JSON.stringify({ ...shared, toUserIds: [] })) - 2
  // Shared by every message while the session is unchanged: read, never changed, downstream.
  return destinations.map(({ target, items, itemsBytes }) => ({ target, delivery: { ...shared, toUserIds: items as string[] }, bytes: base + itemsBytes }))
}

/** Queues the forwards; returns the number of destination regions (GRIDIM-GRP-14). */
export async function forwardGroupMessage (ctx: UserServerContext, session: GroupSessionRow, sender: UserRow, message: GroupMessage): Promise<number> {
  const { byRegion } = await ctx.groupDestinations.of(session.groupSessionId)
  const destinations = ctx.faults.has('group-forward-per-member') ? byRegion.flatMap((d) => d.items.map((userId) => ({ ...d, items: [userId], itemsBytes: Buffer.byteLength(JSON.stringify([userId])) }))) : byRegion
  const shared = {
    groupSessionId: session.groupSessionId,
    messageId: message.messageId,
    fromUserId: sender.userId,
    fromName: displayName(sender),
    body: message.body,
    sentAt: message.sentAt
  }
  for (const { target, delivery, bytes } of groupDeliveries(shared, destinations)) ctx.courier.deliverGroupMessage(target, delivery, true, bytes)
  return destinations.length
}
