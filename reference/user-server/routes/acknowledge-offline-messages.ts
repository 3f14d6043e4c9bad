// acknowledgeOfflineMessages — GRIDIM-SEC-8, GRIDIM-OFFL-7: deletes those of the ids stored for
// this user, ignores the rest. Deleted ids are remembered for 24 hours (GRIDIM-OFFL-2).
import type { OperationHandler } from '../../lib/http/index.ts'
import { requireAgent } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'

export function acknowledgeOfflineMessages (ctx: UserServerContext): OperationHandler {
  const { store } = ctx
  return (input) => {
    const { user } = requireAgent(ctx, input, input.params.userId!)
    const { messageIds } = input.body as { messageIds: string[] }
    // One at a time, so that only ids that really were this user's are remembered.
    const deleted = store.transaction(() => messageIds.filter((id) => store.acknowledge(user.userId, [id]) === 1))
    const now = ctx.now()
    for (const id of deleted) ctx.acknowledged.set(id, true, now)
    return { body: { deleted: deleted.length } }
  }
}
