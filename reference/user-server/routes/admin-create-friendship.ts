// adminCreateFriendship — a fixture friendship; presence follows at once if both are online.
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor } from '../../lib/http/index.ts'
import type { UserRow } from '../../store/index.ts'
import { requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { presenceOnNewFriendship } from '../presence/rules.ts'
import { onlineAmong, presenceNotice, reachableAmong } from '../sessions/online.ts'

export function adminCreateFriendship (ctx: UserServerContext): HandlerFor<'admin', 'adminCreateFriendship'> {
  return async (input) => {
    const friendship = input.body
    // The contract holds exactly two distinct ids (minItems = maxItems = 2, uniqueItems).
    // One after the other, so that the first unknown id is the one reported.
    const users: UserRow[] = []
    for (const id of friendship.userIds) users.push(await requireUser(ctx, id))
    const [a, b] = users as [UserRow, UserRow]
    const { ab, ba } = friendship.rights
    if (!await ctx.store.createFriendship(a.userId, b.userId, ab, ba)) throw new GridImError('already-friends', 'the users are already friends')
    const batch = ctx.batch()
    const ids = [a.userId, b.userId]
    const isOnline = await onlineAmong(ctx.store, ids)
    const isReachable = await reachableAmong(ctx, ids)
    for (const change of presenceOnNewFriendship(a.userId, b.userId, ab, ba, isOnline, isReachable)) {
      batch.add(change.toUserId, presenceNotice(change.aboutUserId === a.userId ? a : b, change.status))
    }
    await batch.send()
    return { status: 201, body: friendship }
  }
}
