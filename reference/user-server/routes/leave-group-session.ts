// leaveGroupSession — GRIDIM-GRP-9, GRIDIM-GRP-11.
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireHosted, requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { leaveGroupSession as leave } from '../group-sessions/membership.ts'
import { openGroupSession, requireMember } from './open-group-session.ts'

export function leaveGroupSession (ctx: UserServerContext): HandlerFor<'user-server', 'leaveGroupSession', PeerPrincipal> {
  return (input) => {
    const user = requireUser(ctx, input.params.userId)
    const session = openGroupSession(ctx, input.params.groupSessionId)
    requireHosted(ctx, input, user)
    requireMember(ctx, session, user.userId)
    const batch = ctx.batch()
    ctx.store.transaction(() => leave(ctx, session, user.userId, batch))
    batch.send()
    return { status: 204 }
  }
}
