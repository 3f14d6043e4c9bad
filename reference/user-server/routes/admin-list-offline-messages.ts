// adminListOfflineMessages — the offline store, for inspection; reading deletes nothing.
import type { OperationHandler } from '../../lib/http/index.ts'
import { requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { messageToWire } from '../wire.ts'

/** The contract's page (OfflineMessages allows at most 50); `more` says whether there is more. */
const ADMIN_PAGE_SIZE = 50

export function adminListOfflineMessages (ctx: UserServerContext): OperationHandler {
  return ({ params }) => {
    const user = requireUser(ctx, params.userId!)
    const page = ctx.store.listOffline(user.userId, ADMIN_PAGE_SIZE)
    return { body: { messages: page.messages.map(messageToWire), more: page.more } }
  }
}
