// adminGetSettings — the grid's timers (GRIDIM-LIM-14).
import type { HandlerFor } from '../../lib/http/index.ts'
import type { UserServerContext } from '../context.ts'

export function adminGetSettings (ctx: UserServerContext): HandlerFor<'admin', 'adminGetSettings'> {
  return async () => ({ body: await ctx.store.getSettings() })
}
