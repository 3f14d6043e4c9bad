// adminCreateFriendship — a fixture friendship; presence follows at once if both are online.
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor } from '../../lib/http/index.ts'
import { requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { presenceOnNewFriendship } from '../presence/rules.ts'
import { onlineAmong, presenceNotice, reachableAmong } from '../sessions/online.ts'

export function adminCreateFriendship (ctx: UserServerContext): HandlerFor<'admin', 'adminCreateFriendship'> {
  return (input) => {
    const friendship = input.body
    // The contract holds exactly two distinct ids (minItems = maxItems = 2, uniqueItems).
    const [a, b] = friendship.userIds.map((id) => requireUser(ctx, id)) as [ReturnType<typeof requireUser>, ReturnType<typeof requireUser>]
    const { ab, ba } = friendship.rights
    if (!ctx.store.createFriendship(a.userId, b.userId, ab, ba)) throw new GridImError('already-friends', 'the users are already friends')
    const batch = ctx.batch()
    const ids = [a.userId, b.userId]
    for (const change of presenceOnNewFriendship(a.userId, b.userId, ab, ba, onlineAmong(ctx.store, ids), reachableAmong(ctx, ids))) {
      batch.add(change.toUserId, presenceNotice(change.aboutUserId === a.userId ? a : b, change.status))
    }
    batch.send()
    return { status: 201, body: friendship }
  }
}
