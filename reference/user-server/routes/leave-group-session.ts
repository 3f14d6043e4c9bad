// leaveGroupSession — GRIDIM-GRP-9, GRIDIM-GRP-11.
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireHosted, requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { leaveGroupSession as leave } from '../group-sessions/membership.ts'
import { openGroupSession, requireMember } from './open-group-session.ts'

export function leaveGroupSession (ctx: UserServerContext): HandlerFor<'user-server', 'leaveGroupSession', PeerPrincipal> {
  return async (input) => {
    const user = await requireUser(ctx, input.params.userId)
    const session = await openGroupSession(ctx, input.params.groupSessionId)
    await requireHosted(ctx, input, user)
    await requireMember(ctx, session, user.userId)
    const batch = ctx.batch()
    await ctx.store.transaction(async (tx) => await leave({ ...ctx, store: tx }, session, user.userId, batch))
    await batch.send()
    return { status: 204 }
  }
}
