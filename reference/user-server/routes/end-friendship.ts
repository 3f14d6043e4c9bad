// endFriendship — GRIDIM-FRND-12: both rows go; the former friend gets `friendshipEnded`.
// No `presence` notice follows: after the end the two are not friends, and GRIDIM-PRES-3 allows
// presence notices only between friends (the notice itself tells the region to forget it).
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireHosted, requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { notFriends } from './not-friends.ts'

export function endFriendship (ctx: UserServerContext): HandlerFor<'user-server', 'endFriendship', PeerPrincipal> {
  return async (input) => {
    const user = await requireUser(ctx, input.params.userId)
    const friend = await requireUser(ctx, input.params.friendId)
    await requireHosted(ctx, input, user)
    if (!await ctx.store.endFriendship(user.userId, friend.userId)) throw notFriends(ctx)
    if (!ctx.faults.has('friendship-end-not-notified')) await ctx.batch().add(friend.userId, { type: 'friendshipEnded', friendId: user.userId }).send()
    return { status: 204 }
  }
}
