// Who among some users is signed on, and who can be reached (GRIDIM-LOC-3, GRIDIM-LOC-4),
// answered as predicates for the presence rules.
import type { NoticeContent } from '../../lib/contract/types.ts'
import type { Store, UserRow } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { displayName } from '../conversions.ts'
import type { IsOnline, PresenceStatus } from '../presence/rules.ts'

/** Signed on: what a Friend row's `online` reports. One store query. */
export function onlineAmong (store: Store, userIds: readonly string[]): IsOnline {
  const online = new Set(store.listOnlineUsers(userIds).map((s) => s.userId))
  return (userId) => online.has(userId)
}

/** Reachable at a region: to whom notices can go (a foreign user is, at the gateway). */
export function reachableAmong (ctx: UserServerContext, userIds: readonly string[]): IsOnline {
  const located = ctx.locate(userIds)
  return (userId) => located.has(userId)
}

/** A `presence` notice about `user`. */
export function presenceNotice (user: UserRow, status: PresenceStatus): NoticeContent {
  return { type: 'presence', userId: user.userId, name: displayName(user), status }
}
