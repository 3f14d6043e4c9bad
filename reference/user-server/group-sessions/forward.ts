// GRIDIM-GRP-13, GRIDIM-GRP-17: a group message goes once to each region hosting members,
// naming the members there — the sender included, so its own client sees the message in the
// session's order — and never to a user who is not a member when the message is accepted.
import type { GroupMessageDelivery } from '../../lib/contract/types.ts'
import type { GroupSessionRow, UserRow } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { displayName } from '../conversions.ts'

/** What the sender's request and the user server's clock make of a group message. */
export type GroupMessage = Pick<GroupMessageDelivery, 'messageId' | 'body' | 'sentAt'>

/** Queues the forwards; returns the number of destination regions (GRIDIM-GRP-14). */
export function forwardGroupMessage (ctx: UserServerContext, session: GroupSessionRow, sender: UserRow, message: GroupMessage): number {
  const { byRegion } = ctx.groupDestinations.of(session.groupSessionId)
  const destinations = ctx.faults.has('group-forward-per-member') ? byRegion.flatMap((d) => d.items.map((userId) => ({ ...d, items: [userId] }))) : byRegion
  const fromName = displayName(sender)
  for (const { target, items } of destinations) {
    ctx.courier.deliverGroupMessage(target, {
      groupSessionId: session.groupSessionId,
      messageId: message.messageId,
      fromUserId: sender.userId,
      fromName,
      body: message.body,
      sentAt: message.sentAt,
      // Shared by every message while the session is unchanged: read, never changed, downstream.
      toUserIds: items as string[]
    })
  }
  return destinations.length
}
