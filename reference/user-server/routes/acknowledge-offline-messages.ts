// acknowledgeOfflineMessages — GRIDIM-SEC-8, GRIDIM-OFFL-7: deletes those of the ids stored for
// this user, ignores the rest. Deleted ids are remembered for 24 hours (GRIDIM-OFFL-2).
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireAgent } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'

export function acknowledgeOfflineMessages (ctx: UserServerContext): HandlerFor<'user-server', 'acknowledgeOfflineMessages', PeerPrincipal> {
  const { store } = ctx
  return (input) => {
    const { user } = requireAgent(ctx, input, input.params.userId)
    const { messageIds } = input.body
    // One at a time, so that only ids that really were this user's are remembered.
    // Deleted and remembered in one transaction (GRIDIM-OFFL-2 survives a restart).
    const now = ctx.now()
    const deleted = store.transaction(() => messageIds.filter((id) => {
      if (store.acknowledge(user.userId, [id]) !== 1) return false
      ctx.acknowledged.remember(id, now)
      return true
    }))
    // The fault acknowledged-count-listed answers with the number of ids listed, not deleted.
    return { body: { deleted: ctx.faults.has('acknowledged-count-listed') ? messageIds.length : deleted.length } }
  }
}
