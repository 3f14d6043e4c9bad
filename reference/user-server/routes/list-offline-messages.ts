// listOfflineMessages — GRIDIM-OFFL-5, GRIDIM-OFFL-6, GRIDIM-LIM-10: oldest first, reading deletes nothing.
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireAgent } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { messageToWire } from '../conversions.ts'
import { OFFLINE_PAGE_SIZE } from '../limits.ts'

export function listOfflineMessages (ctx: UserServerContext): HandlerFor<'user-server', 'listOfflineMessages', PeerPrincipal> {
  return async (input) => {
    const { user } = await requireAgent(ctx, input, input.params.userId)
    const page = await ctx.store.listOffline(user.userId, OFFLINE_PAGE_SIZE)
    return { body: { messages: page.messages.map(messageToWire), more: page.more } }
  }
}
