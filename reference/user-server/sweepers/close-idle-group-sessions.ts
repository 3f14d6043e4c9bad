// GRIDIM-GRP-22 (seed assumption 3): a group session with no message and no join for
// `groupIdleSeconds` closes, and its members are told, one request per destination region.
import type { UserServerContext } from '../context.ts'

/** Returns the number of sessions closed. */
export async function closeIdleGroupSessions (ctx: UserServerContext, now: number): Promise<number> {
  const idleSince = now - (await ctx.store.getSettings()).groupIdleSeconds * 1000
  const batch = ctx.batch()
  const closed = await ctx.store.transaction(async (tx) => {
    let count = 0
    for (const session of await tx.listIdleGroupSessions(idleSince)) {
      if (!await tx.closeGroupSession(session.groupSessionId, 'idle', now, idleSince)) continue
      count++
      for (const member of (await tx.listMembers(session.groupSessionId)).members) {
        batch.add(member, { type: 'groupSessionClosed', groupSessionId: session.groupSessionId, reason: 'idle' })
      }
    }
    return count
  })
  await batch.send()
  return closed
}
