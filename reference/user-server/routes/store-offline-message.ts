// storeOfflineMessage — GRIDIM-OFFL-1..4, GRIDIM-OFFL-10, GRIDIM-LIM-1. Idempotent by messageId:
// a repeat, or a message acknowledged (deleted) within 24 hours, is answered 200 and stores
// nothing. A message for a recipient who can in fact be reached is also delivered at once.
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireHosted, requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { messageFromWire } from '../conversions.ts'
import { checkMessageBytes } from '../limits.ts'

export function storeOfflineMessage (ctx: UserServerContext): HandlerFor<'user-server', 'storeOfflineMessage', PeerPrincipal> {
  return async (input) => {
    const message = input.body
    checkMessageBytes(message.body, 'the message body')
    const from = await requireUser(ctx, message.fromUserId)
    await requireUser(ctx, message.toUserId)
    await requireHosted(ctx, input, from)
    // The fault offline-store-friends-only: strangers' messages are refused, as an anti-spam measure GRIDIM-OFFL-3 rules out.
    if (ctx.faults.has('offline-store-friends-only') && await ctx.store.getFriendship(from.userId, message.toUserId) === null) {
      throw new GridImError('not-friends', 'only friends may leave offline messages')
    }
    const repeat = { status: 200, body: { stored: true } } as const
    if (ctx.faults.has('offline-store-drops-messages')) return { status: 201, body: { stored: true } }
    if (await ctx.acknowledged.has(message.messageId, ctx.now())) return repeat
    const row = messageFromWire(message)
    if (await ctx.store.storeOffline(row) === 'duplicate') return repeat
    ctx.redelivery.start(row)
    return { status: 201, body: { stored: true } }
  }
}
