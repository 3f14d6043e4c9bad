// locateUser — seed step 9.1 and assumption 4; GRIDIM-LOC-2..4, GRIDIM-SEC-8 (`for`). The region
// learns where the user can be reached (to deliver) and whether it may say so to its agent
// (`canSeeOnline`).
import type { UserLocation } from '../../lib/contract/types.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireHosted, requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { canSeeOnline } from '../presence/rules.ts'

export function locateUser (ctx: UserServerContext): HandlerFor<'user-server', 'locateUser', PeerPrincipal> {
  const { store } = ctx
  return async (input) => {
    const asUserId = input.query.for
    const userId = input.params.userId
    const asUser = await requireUser(ctx, asUserId)
    await requireUser(ctx, userId)
    await requireHosted(ctx, input, asUser)
    const grant = (await store.getFriendship(userId, asUserId))?.rightsGranted ?? null
    const target = (await ctx.locate([userId])).get(userId)
    const body: UserLocation = { userId, online: target !== undefined, canSeeOnline: canSeeOnline(grant) }
    if (target !== undefined) {
      body.regionId = target.regionId
      body.regionUrl = target.url
      body.kind = (await store.getRegion(target.regionId))!.kind
    }
    return { body }
  }
}
