// sendGroupMessage — seed steps 12.4 and 13; GRIDIM-GRP-12..17, GRIDIM-LIM-1. Forwarded once
// per destination region; a repeat of the same messageId gets the first answer and forwards
// nothing (GRIDIM-GRP-15). Accepting a message resets the idle timer (GRIDIM-GRP-22).
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireHosted, requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { timestamp } from '../conversions.ts'
import { forwardGroupMessage } from '../group-sessions/forward.ts'
import { checkMessageBytes } from '../limits.ts'
import { openGroupSession, requireMember } from './open-group-session.ts'

export function sendGroupMessage (ctx: UserServerContext): HandlerFor<'user-server', 'sendGroupMessage', PeerPrincipal> {
  return (input) => {
    const { fromUserId, messageId, body } = input.body
    checkMessageBytes(body, 'the message body')
    const sender = requireUser(ctx, fromUserId)
    const session = openGroupSession(ctx, input.params.groupSessionId)
    requireHosted(ctx, input, sender)
    requireMember(ctx, session, fromUserId)
    const now = ctx.now()
    const key = `${session.groupSessionId} ${messageId}`
    const first = ctx.groupReplies.get(key, now)
    if (first !== undefined) return { body: first }
    if (!ctx.faults.has('group-idle-not-reset-by-message')) ctx.store.touch(session.groupSessionId, now)
    const destinations = forwardGroupMessage(ctx, session, sender, { messageId, body, sentAt: timestamp(now) })
    // The fault group-destinations-counts-members answers with the number of members instead.
    const answer = { messageId, destinations: ctx.faults.has('group-destinations-counts-members') ? ctx.store.listMembers(session.groupSessionId).members.length : destinations }
    ctx.groupReplies.set(key, answer, now)
    return { body: answer }
  }
}
