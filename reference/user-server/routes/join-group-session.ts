// joinGroupSession — GRIDIM-GRP-8: an eligible user (re)joins; idempotent. A join
// counts as activity for the idle timeout (GRIDIM-GRP-22).
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireHosted, requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { isEligible } from '../group-sessions/membership.ts'
import { groupSessionView } from '../group-sessions/view.ts'
import { openGroupSession } from './open-group-session.ts'

export function joinGroupSession (ctx: UserServerContext): HandlerFor<'user-server', 'joinGroupSession', PeerPrincipal> {
  return async (input) => {
    const user = await requireUser(ctx, input.params.userId)
    const session = await openGroupSession(ctx, input.params.groupSessionId)
    await requireHosted(ctx, input, user)
    if (!await isEligible(ctx.store, session, user.userId)) throw new GridImError('not-a-member', `${user.userId} may not join this group session`)
    // Added only while the session is still open: a last leave on another instance may close it
    // between the check above and here; the session's row lock orders the two.
    await ctx.store.transaction(async (tx) => {
      await tx.lockGroupSession(session.groupSessionId)
      await openGroupSession({ ...ctx, store: tx }, session.groupSessionId)
      await tx.addMember(session.groupSessionId, user.userId)
      if (!ctx.faults.has('group-idle-not-reset-by-join')) await tx.touch(session.groupSessionId, ctx.now())
    })
    return { body: await groupSessionView(ctx, session) }
  }
}
