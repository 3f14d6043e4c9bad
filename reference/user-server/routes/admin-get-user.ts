// adminGetUser — GRIDIM-SIGN-4: online, and where, from the moment of sign-on.
import type { Schema } from '../../lib/contract/types.ts'
import type { HandlerFor } from '../../lib/http/index.ts'
import { requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { displayName } from '../conversions.ts'

export function adminGetUser (ctx: UserServerContext): HandlerFor<'admin', 'adminGetUser'> {
  return async ({ params }) => {
    const user = await requireUser(ctx, params.userId)
    const session = await ctx.store.getSessionByUser(user.userId)
    const body: Schema<'AdminUser'> = { userId: user.userId, name: displayName(user), online: session !== null }
    if (session !== null) Object.assign(body, { regionId: session.regionId, sessionId: session.sessionId })
    return { body }
  }
}
