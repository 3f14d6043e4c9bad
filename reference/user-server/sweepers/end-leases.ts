// GRIDIM-LEASE-6, GRIDIM-LEASE-10: when leases lapse or end, every session at
// those regions ends and the users' friends are told — all of it one change, so each
// destination region gets one `deliverNotices` request. No ghosts.
import type { SessionRow } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { sessionsEnded } from '../sessions/end-sessions.ts'

/**
 * Returns the number of sessions ended. With `lapsedBy` (the sweeper) a lease renewed since it
 * was found lapsed is left alone, and so are its sessions; of two instances sweeping at once,
 * one ends each lease.
 */
export async function endLeases (ctx: UserServerContext, regionIds: readonly string[], lapsedBy?: number): Promise<number> {
  if (regionIds.length === 0) return 0
  const batch = ctx.batch()
  const ended = await ctx.store.transaction(async (tx) => {
    const sessions: SessionRow[] = []
    for (const regionId of regionIds) {
      // The fault end-lease-keeps-lease-current: endRegionLease (no lapsedBy) ends the sessions, not the lease.
      const keepLease = lapsedBy === undefined && ctx.faults.has('end-lease-keeps-lease-current')
      if (!keepLease && !await tx.endLease(regionId, lapsedBy) && lapsedBy !== undefined) continue
      sessions.push(...await tx.endSessionsAtRegion(regionId))
    }
    await sessionsEnded({ ...ctx, store: tx }, sessions, batch, { announceOffline: true })
    return sessions
  })
  if (ended.length > 0) ctx.logger.info('leases ended', { regionIds, sessions: ended.length })
  await batch.send()
  return ended.length
}
