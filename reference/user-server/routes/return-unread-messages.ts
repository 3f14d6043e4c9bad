// returnUnreadMessages — GRIDIM-OFFL-11..13, GRIDIM-SEC-8. A region gives back what a session left
// unread. Accepted only from a region that hosts or hosted the session and only for messages to
// the session's user; each is stored once, even if a message with its id was stored and deleted
// before (it was redelivered, then left unread), and then delivered like any stored message.
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { signerOf } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { messageFromWire } from '../conversions.ts'
import { checkMessageBytes } from '../limits.ts'

export function returnUnreadMessages (ctx: UserServerContext): HandlerFor<'user-server', 'returnUnreadMessages', PeerPrincipal> {
  const { store } = ctx
  return async (input) => {
    const sessionId = input.params.sessionId
    const { messages } = input.body
    // The fault unread-batch-capped: a per-route cap of 16 KiB, below the 65 536 bytes every role accepts (GRIDIM-LIM-4).
    if (ctx.faults.has('unread-batch-capped') && Buffer.byteLength(JSON.stringify(input.body)) > 16_384) {
      throw new GridImError('body-too-large', 'returned batches are limited to 16 KiB')
    }
    for (const message of messages) checkMessageBytes(message.body, 'the message body')
    // GRIDIM-ERR-7: the session must exist (or have existed) before authority is checked.
    const placements = await store.listPlacements(sessionId)
    if (placements.length === 0) throw new GridImError('unknown-session', `no session ${sessionId} in the last 7 days`)
    const hosted = placements.some((p) => p.regionId === signerOf(input))
    if (!hosted && !ctx.faults.has('returned-unread-from-any-region')) {
      throw new GridImError('not-your-agent', `the signing region never hosted session ${sessionId}`)
    }
    const userId = placements[0]!.userId
    const stranger = messages.find((m) => m.toUserId !== userId)
    if (stranger !== undefined) throw new GridImError('not-your-agent', `message ${stranger.messageId} is not addressed to the session's user`)
    const rows = messages.map(messageFromWire)
    const stored = await store.transaction(async (tx) => {
      const out: typeof rows = []
      for (const row of rows) {
        if (await tx.storeOffline(row) !== 'stored') continue
        out.push(row)
        // A message deleted on acknowledgement before is wanted again: forget that it was, in
        // the same transaction, so a crash cannot leave it stored and marked acknowledged.
        await ctx.acknowledged.forget(row.messageId, tx)
      }
      return out
    })
    for (const row of stored) ctx.redelivery.start(row)
    return { body: { stored: stored.length } }
  }
}
