// setFriendRights — GRIDIM-FRND-10, GRIDIM-PRES-6: presence follows rights at
// once, in the same request as the `rightsChanged` notice.
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireHosted, requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { notFriends } from './not-friends.ts'
import { friendView, presenceAfterRightsChange } from '../presence/rules.ts'
import { onlineAmong, presenceNotice, reachableAmong } from '../sessions/online.ts'

export function setFriendRights (ctx: UserServerContext): HandlerFor<'user-server', 'setFriendRights', PeerPrincipal> {
  const { store } = ctx
  return async (input) => {
    const { rights } = input.body
    const user = await requireUser(ctx, input.params.userId)
    // GRIDIM-ERR-7: existence (the friend) before authority; the fault checks authority first.
    if (ctx.faults.has('set-rights-authority-before-existence')) await requireHosted(ctx, input, user)
    const friend = await requireUser(ctx, input.params.friendId)
    await requireHosted(ctx, input, user)
    const before = await store.getFriendship(user.userId, friend.userId)
    if (before === null) throw notFriends(ctx)
    await store.setRights(user.userId, friend.userId, rights)
    const isOnline = await onlineAmong(store, [friend.userId])
    const batch = ctx.batch().add(friend.userId, { type: 'rightsChanged', friendId: user.userId, rights })
    // The granter is hosted by the signing region, so online.
    const status = presenceAfterRightsChange(before.rightsGranted, rights, true, (await reachableAmong(ctx, [friend.userId]))(friend.userId))
    if (status !== null && !(status === 'offline' && ctx.faults.has('rights-change-without-presence'))) batch.add(friend.userId, presenceNotice(user, status))
    await batch.send()
    const row = { friendId: friend.userId, firstName: friend.firstName, lastName: friend.lastName, rightsGranted: rights, rightsReceived: before.rightsReceived }
    return { body: friendView(row, isOnline) }
  }
}
