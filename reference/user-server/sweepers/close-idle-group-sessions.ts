// GRIDIM-GRP-22 (seed assumption 3): a group session with no message and no join for
// `groupIdleSeconds` closes, and its members are told, one request per destination region.
import type { UserServerContext } from '../context.ts'

/** Returns the number of sessions closed. */
export function closeIdleGroupSessions (ctx: UserServerContext, now: number): number {
  const { store } = ctx
  const idleSince = now - store.getSettings().groupIdleSeconds * 1000
  const batch = ctx.batch()
  let closed = 0
  store.transaction(() => {
    for (const session of store.listIdleGroupSessions(idleSince)) {
      if (!store.closeGroupSession(session.groupSessionId, 'idle', now)) continue
      closed++
      for (const member of store.listMembers(session.groupSessionId).members) {
        batch.add(member, { type: 'groupSessionClosed', groupSessionId: session.groupSessionId, reason: 'idle' })
      }
    }
  })
  batch.send()
  return closed
}
