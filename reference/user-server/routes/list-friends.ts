// listFriends — GRIDIM-PRES-2: rights both ways; `online` only where the friend grants it.
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireAgent } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { friendRow } from '../presence/friend-row.ts'
import { onlineAmong } from '../sessions/online.ts'

export function listFriends (ctx: UserServerContext): HandlerFor<'user-server', 'listFriends', PeerPrincipal> {
  return async (input) => {
    const { user } = await requireAgent(ctx, input, input.params.userId)
    const rows = await ctx.store.listFriends(user.userId)
    const isOnline = await onlineAmong(ctx.store, rows.map((r) => r.friendId))
    return { body: rows.map((row) => friendRow(ctx, row, isOnline)) }
  }
}
