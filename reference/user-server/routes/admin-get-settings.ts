// adminGetSettings — the grid's timers (GRIDIM-LIM-14).
import type { OperationHandler } from '../../lib/http/index.ts'
import type { UserServerContext } from '../context.ts'

export function adminGetSettings (ctx: UserServerContext): OperationHandler {
  return () => ({ body: ctx.store.getSettings() })
}
