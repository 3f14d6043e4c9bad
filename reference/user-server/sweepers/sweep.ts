// The user server's clockwork: lapsed leases (GRIDIM-LEASE-6 — within 5 s of expiry, so a
// sweep every second is ample) and idle group sessions (GRIDIM-GRP-22). Settings are read on
// every sweep, so an admin change applies at once (GRIDIM-LIM-15).
import type { UserServerContext } from '../context.ts'
import { closeIdleGroupSessions } from './close-idle-group-sessions.ts'
import { endLeases } from './end-leases.ts'

export type SweepResult = { lapsedRegions: number, endedSessions: number, closedGroupSessions: number }

/** GRIDIM-OFFL-12: a region may return what a session left unread for 7 days after its sign-on. */
export const PLACEMENT_DAYS = 7

export function sweep (ctx: UserServerContext, now: number): SweepResult {
  const lapsed = ctx.faults.has('lapsed-leases-ignored') ? [] : ctx.store.listExpiredLeases(now).map((r) => r.regionId)
  const endedSessions = endLeases(ctx, lapsed)
  const closedGroupSessions = closeIdleGroupSessions(ctx, now)
  ctx.store.purgePlacements(now - PLACEMENT_DAYS * 24 * 3600_000)
  return { lapsedRegions: lapsed.length, endedSessions, closedGroupSessions }
}

/** Sweeps on a timer that does not keep the process alive; returns the stop function. */
export function startSweeper (ctx: UserServerContext, intervalMs: number): () => void {
  const timer = setInterval(() => {
    try {
      sweep(ctx, ctx.now())
    } catch (error) {
      ctx.logger.error('sweep failed', { error: (error as Error).message })
    }
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
