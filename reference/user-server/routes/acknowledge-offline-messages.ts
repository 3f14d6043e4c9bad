// acknowledgeOfflineMessages — GRIDIM-SEC-8, GRIDIM-OFFL-7: deletes those of the ids stored for
// this user, ignores the rest. Deleted ids are remembered for 24 hours (GRIDIM-OFFL-2).
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireAgent } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'

export function acknowledgeOfflineMessages (ctx: UserServerContext): HandlerFor<'user-server', 'acknowledgeOfflineMessages', PeerPrincipal> {
  const { store } = ctx
  return async (input) => {
    const { user } = await requireAgent(ctx, input, input.params.userId)
    const { messageIds } = input.body
    // One at a time, so that only ids that really were this user's are remembered.
    const now = ctx.now()
    const deleted = await store.transaction(async (tx) => {
      const ids: string[] = []
      for (const id of messageIds) if (await tx.acknowledge(user.userId, [id]) === 1) ids.push(id)
      return ids
    })
    // Remembered (in the store: GRIDIM-OFFL-2 survives a restart) once the deletion has
    // committed, not inside its transaction: ctx.acknowledged writes through its own store (the
    // fault acknowledged-ids-in-memory gives it another one), and on SQLite a write through the
    // outer store inside the transaction waits for that transaction to end — it would never end.
    // A crash between the two leaves a deleted id unremembered, so a late retry could store the
    // message again; moving this into the transaction needs AcknowledgedIds to take tx.
    for (const id of deleted) await ctx.acknowledged.remember(id, now)
    // The fault acknowledged-count-listed answers with the number of ids listed, not deleted.
    return { body: { deleted: ctx.faults.has('acknowledged-count-listed') ? messageIds.length : deleted.length } }
  }
}
