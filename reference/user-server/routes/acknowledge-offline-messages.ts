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
    // Deleted and remembered in one transaction: a crash cannot leave a deleted id unremembered,
    // which a sender's late retry would store again (GRIDIM-OFFL-2).
    const deleted = await store.transaction(async (tx) => {
      const ids: string[] = []
      for (const id of messageIds) {
        // The fault acknowledge-ignores-recipient deletes the id whoever it is stored for.
        if (await tx.acknowledge(ctx.faults.has('acknowledge-ignores-recipient') ? null : user.userId, [id]) !== 1) continue
        ids.push(id)
        await ctx.acknowledged.remember(id, now, tx)
      }
      return ids
    })
    // The fault acknowledged-count-listed answers with the number of ids listed, not deleted.
    return { body: { deleted: ctx.faults.has('acknowledged-count-listed') ? messageIds.length : deleted.length } }
  }
}
