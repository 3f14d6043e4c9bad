// sendGroupMessage — seed steps 12.4 and 13; GRIDIM-GRP-12..17, GRIDIM-GRP-31, GRIDIM-LIM-1. Forwarded once
// per destination region; a repeat of the same messageId gets the first answer and forwards
// nothing (GRIDIM-GRP-15). Accepting a message resets the idle timer (GRIDIM-GRP-22).
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireHosted, requireUser } from '../auth/acting-for.ts'
import type { GroupMessageSent, UserServerContext } from '../context.ts'
import { timestamp } from '../conversions.ts'
import { groupForwards, sendGroupForwards } from '../group-sessions/forward.ts'
import { checkMessageBytes, MAX_MESSAGE_BYTES } from '../limits.ts'
import { openGroupSession, requireMember } from './open-group-session.ts'

export function sendGroupMessage (ctx: UserServerContext): HandlerFor<'user-server', 'sendGroupMessage', PeerPrincipal> {
  // First answers still being worked out in this process, by the same key as groupReplies: a
  // repeat arriving meanwhile waits for the first answer instead of forwarding again.
  const answering = new Map<string, Promise<GroupMessageSent>>()
  return async (input) => {
    const { fromUserId, messageId, body } = input.body
    // GRIDIM-LIM-1 counts bytes of UTF-8; the fault group-body-counted-in-chars counts characters, as String length does.
    if (!ctx.faults.has('group-body-counted-in-chars')) checkMessageBytes(body, 'the message body')
    else if (body.length > MAX_MESSAGE_BYTES) throw new GridImError('message-too-long', 'the message body is longer than 1023 characters')
    const sender = await requireUser(ctx, fromUserId)
    const session = await openGroupSession(ctx, input.params.groupSessionId)
    await requireHosted(ctx, input, sender)
    await requireMember(ctx, session, fromUserId)
    const now = ctx.now()
    // GRIDIM-GRP-15: a repeat is the same messageId for the same session; the fault group-repeat-key-ignores-session forgets the session.
    const key = ctx.faults.has('group-repeat-key-ignores-session') ? messageId : `${session.groupSessionId} ${messageId}`
    // From here to answering.set nothing awaits: in this process a message is either first or a repeat.
    const pending = answering.get(key)
    if (pending !== undefined) return { body: await pending }
    const answer = (async (): Promise<GroupMessageSent> => {
      const earlier = await ctx.groupReplies.get(key, now)
      if (earlier !== undefined) return earlier
      if (!ctx.faults.has('group-idle-not-reset-by-message')) await ctx.store.touch(session.groupSessionId, now)
      const forwards = await groupForwards(ctx, session, sender, { messageId, body, sentAt: timestamp(now) })
      // The fault group-destinations-counts-members answers with the number of members instead.
      const sent = { messageId, destinations: ctx.faults.has('group-destinations-counts-members') ? (await ctx.store.listMembers(session.groupSessionId)).members.length : forwards.length }
      // Claimed before anything goes out: of two instances given the same message at once, one
      // forwards it and both answer alike (GRIDIM-GRP-15). Stored with the claim, before the
      // answer: forwarded even if this process dies now (GRIDIM-GRP-31).
      const accepted = await ctx.groupOutbox.accept(ctx, key, sent, forwards, now)
      if ('earlier' in accepted) return accepted.earlier
      sendGroupForwards(ctx, forwards, accepted.outboxIds)
      return sent
    })()
    answering.set(key, answer)
    try {
      return { body: await answer }
    } finally {
      answering.delete(key)
    }
  }
}
