// sendGroupMessage — seed steps 12.4 and 13; GRIDIM-GRP-12..17, GRIDIM-LIM-1. Forwarded once
// per destination region; a repeat of the same messageId gets the first answer and forwards
// nothing (GRIDIM-GRP-15). Accepting a message resets the idle timer (GRIDIM-GRP-22).
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireHosted, requireUser } from '../auth/acting-for.ts'
import type { GroupMessageSent, UserServerContext } from '../context.ts'
import { timestamp } from '../conversions.ts'
import { forwardGroupMessage } from '../group-sessions/forward.ts'
import { checkMessageBytes } from '../limits.ts'
import { openGroupSession, requireMember } from './open-group-session.ts'

export function sendGroupMessage (ctx: UserServerContext): HandlerFor<'user-server', 'sendGroupMessage', PeerPrincipal> {
  // First answers still being worked out, by the same key as groupReplies: forwarding awaits the
  // store, and a repeat arriving meanwhile must wait for the first answer, not forward again.
  const answering = new Map<string, Promise<GroupMessageSent>>()
  return async (input) => {
    const { fromUserId, messageId, body } = input.body
    checkMessageBytes(body, 'the message body')
    const sender = await requireUser(ctx, fromUserId)
    const session = await openGroupSession(ctx, input.params.groupSessionId)
    await requireHosted(ctx, input, sender)
    await requireMember(ctx, session, fromUserId)
    const now = ctx.now()
    const key = `${session.groupSessionId} ${messageId}`
    // From here to answering.set nothing awaits: a message is either first or a repeat.
    const first = ctx.groupReplies.get(key, now) ?? answering.get(key)
    if (first !== undefined) return { body: await first }
    const answer = (async (): Promise<GroupMessageSent> => {
      if (!ctx.faults.has('group-idle-not-reset-by-message')) await ctx.store.touch(session.groupSessionId, now)
      const destinations = await forwardGroupMessage(ctx, session, sender, { messageId, body, sentAt: timestamp(now) })
      // The fault group-destinations-counts-members answers with the number of members instead.
      return { messageId, destinations: ctx.faults.has('group-destinations-counts-members') ? (await ctx.store.listMembers(session.groupSessionId)).members.length : destinations }
    })()
    answering.set(key, answer)
    try {
      const sent = await answer
      ctx.groupReplies.set(key, sent, now)
      return { body: sent }
    } finally {
      answering.delete(key)
    }
  }
}
