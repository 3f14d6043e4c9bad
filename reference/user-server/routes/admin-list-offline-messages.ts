// adminListOfflineMessages — the offline store, for inspection: the same page as a region sees
// (GRIDIM-LIM-10; the contract's OfflineMessages holds at most 50), and reading deletes nothing.
import type { HandlerFor } from '../../lib/http/index.ts'
import { requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { messageToWire } from '../conversions.ts'
import { OFFLINE_PAGE_SIZE } from '../limits.ts'

export function adminListOfflineMessages (ctx: UserServerContext): HandlerFor<'admin', 'adminListOfflineMessages'> {
  return async ({ params }) => {
    const user = await requireUser(ctx, params.userId)
    const page = await ctx.store.listOffline(user.userId, OFFLINE_PAGE_SIZE)
    return { body: { messages: page.messages.map(messageToWire), more: page.more } }
  }
}
