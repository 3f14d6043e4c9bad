// What follows when sessions end — by sign-off, a lapsed or ended lease, or replacement by a
// newer sign-on. The caller has already removed the sessions from the store; this adds the
// consequences to the change's notice batch. Inside the change's transaction, ctx.store is the
// transaction's store (`{ ...ctx, store: tx }`): everything here reads and writes through it.
import type { SessionRow } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { leaveAllGroupSessions } from '../group-sessions/membership.ts'
import type { NoticeBatch } from '../notices/notice-batch.ts'
import { presenceAudience } from '../presence/rules.ts'
import { presenceNotice, reachableAmong } from './online.ts'

export type EndOptions = {
  /** GRIDIM-SIGN-11: tell friends the user went offline; not on replacement (GRIDIM-SIGN-8). */
  announceOffline: boolean
}

export async function sessionsEnded (ctx: UserServerContext, ended: readonly SessionRow[], batch: NoticeBatch, options: EndOptions): Promise<void> {
  const { store } = ctx
  if (options.announceOffline) {
    for (const session of ended) {
      const user = await store.getUser(session.userId)
      if (user === null) continue
      const grants = await store.listFriends(session.userId)
      // Users whose sessions ended in the same change are already offline in the store.
      const isReachable = await reachableAmong(ctx, grants.map((g) => g.friendId))
      for (const toUserId of presenceAudience(grants, isReachable)) batch.add(toUserId, presenceNotice(user, 'offline'))
    }
  }
  // GRIDIM-GRP-10: whatever ended the session; the fault replaced-session-keeps-group-membership spares a replaced one.
  if (options.announceOffline || !ctx.faults.has('replaced-session-keeps-group-membership')) await leaveAllGroupSessions(ctx, new Set(ended.map((s) => s.userId)), batch)
}
