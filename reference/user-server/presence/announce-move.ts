// Only for the deliberate fault move-announced-to-friends (reference/lib/faults.ts): a user
// server that treats a move as a sign-off at one region and a sign-on at the next, which
// GRIDIM-LOC-9 forbids. No production path calls it.
import type { UserServerContext } from '../context.ts'
import { presenceNotice, reachableAmong } from '../sessions/online.ts'
import { presenceAudience } from './rules.ts'

export async function announceMove (ctx: UserServerContext, userId: string): Promise<void> {
  const user = await ctx.store.getUser(userId)
  if (user === null) return
  const grants = await ctx.store.listFriends(userId)
  const audience = presenceAudience(grants, await reachableAmong(ctx, grants.map((g) => g.friendId)))
  const batch = ctx.batch()
  for (const friendId of audience) batch.add(friendId, presenceNotice(user, 'offline')).add(friendId, presenceNotice(user, 'online'))
  await batch.send()
}
