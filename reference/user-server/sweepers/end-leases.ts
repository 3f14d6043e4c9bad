// GRIDIM-LEASE-6, GRIDIM-LEASE-10: when leases lapse or end, every session at
// those regions ends and the users' friends are told — all of it one change, so each
// destination region gets one `deliverNotices` request. No ghosts.
import type { UserServerContext } from '../context.ts'
import { sessionsEnded } from '../sessions/end-sessions.ts'

/** Returns the number of sessions ended. */
export function endLeases (ctx: UserServerContext, regionIds: readonly string[]): number {
  if (regionIds.length === 0) return 0
  const batch = ctx.batch()
  const ended = ctx.store.transaction(() => {
    const sessions = regionIds.flatMap((regionId) => {
      ctx.store.endLease(regionId)
      return ctx.store.endSessionsAtRegion(regionId)
    })
    sessionsEnded(ctx, sessions, batch, { announceOffline: true })
    return sessions
  })
  if (ended.length > 0) ctx.logger.info('leases ended', { regionIds, sessions: ended.length })
  batch.send()
  return ended.length
}
