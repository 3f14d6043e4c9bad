// The user server's clockwork: lapsed leases (GRIDIM-LEASE-6 — within 5 s of expiry, so a
// sweep every second is ample), idle group sessions (GRIDIM-GRP-22), and the group outbox
// (GRIDIM-GRP-31: this process's rows renewed, a dead one's sent again). Settings are read on
// every sweep, so an admin change applies at once (GRIDIM-LIM-15).
import type { UserServerContext } from '../context.ts'
import { closeIdleGroupSessions } from './close-idle-group-sessions.ts'
import { endLeases } from './end-leases.ts'

export type SweepResult = { lapsedRegions: number, endedSessions: number, closedGroupSessions: number }

/** GRIDIM-OFFL-12: a region may return what a session left unread for 7 days after its sign-on. */
export const PLACEMENT_DAYS = 7

export async function sweep (ctx: UserServerContext, now: number): Promise<SweepResult> {
  // First: a renewal held up by a failure below would let another instance send this one's rows again.
  await ctx.groupOutbox.sweep(ctx.courier, now)
  const lapsed = ctx.faults.has('lapsed-leases-ignored') ? [] : (await ctx.store.listExpiredLeases(now)).map((r) => r.regionId)
  const endedSessions = await endLeases(ctx, lapsed, now)
  const closedGroupSessions = await closeIdleGroupSessions(ctx, now)
  await ctx.store.purgePlacements(now - PLACEMENT_DAYS * 24 * 3600_000)
  await ctx.store.purgeRecent(now)
  return { lapsedRegions: lapsed.length, endedSessions, closedGroupSessions }
}

/**
 * Sweeps on a timer that does not keep the process alive; returns the stop function, which
 * resolves once a sweep in flight has ended (so that the store is not closed under it). A tick
 * that comes while the previous sweep still runs (the store is slow, or busy) is skipped: two
 * sweeps at once would find the same lapsed leases and idle sessions.
 */
export function startSweeper (ctx: UserServerContext, intervalMs: number): () => Promise<void> {
  let running: Promise<void> | null = null
  const timer = setInterval(() => {
    if (running !== null) return
    running = sweep(ctx, ctx.now()).then(() => {}, (error: unknown) => {
      ctx.logger.error('sweep failed', { error: (error as Error).message })
    }).finally(() => { running = null })
  }, intervalMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
