// Who among some users is signed on, and who can be reached (GRIDIM-LOC-3, GRIDIM-LOC-4),
// answered as predicates for the presence rules.
import type { NoticeContent } from '../../lib/contract/types.ts'
import type { Store, UserRow } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { displayName } from '../conversions.ts'
import { locator } from '../notices/locator.ts'
import type { IsOnline, PresenceStatus } from '../presence/rules.ts'

/** Signed on: what a Friend row's `online` reports. One store query. */
export async function onlineAmong (store: Store, userIds: readonly string[]): Promise<IsOnline> {
  const online = new Set((await store.listOnlineUsers(userIds)).map((s) => s.userId))
  return (userId) => online.has(userId)
}

/**
 * Reachable at a region: to whom notices can go (a foreign user is, at the gateway). Located
 * through ctx.store, not ctx.locate: inside a transaction ctx.store is the transaction's store
 * (`{ ...ctx, store: tx }`), and the outer store would wait for the transaction to end.
 */
export async function reachableAmong (ctx: Pick<UserServerContext, 'store' | 'now'>, userIds: readonly string[]): Promise<IsOnline> {
  const located = await locator(ctx.store, ctx.now)(userIds)
  return (userId) => located.has(userId)
}

/** A `presence` notice about `user`. */
export function presenceNotice (user: UserRow, status: PresenceStatus): NoticeContent {
  return { type: 'presence', userId: user.userId, name: displayName(user), status }
}
