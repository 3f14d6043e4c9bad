// A group session as the contract shows it: current members with names, and the regions where
// they can be reached — the destinations its messages go to (common.yaml GroupSession).
import type { GroupSessionRow, Store } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { displayName } from '../conversions.ts'
import { locator } from '../notices/locator.ts'
import { groupByRegion } from '../notices/routing.ts'
import type { GroupMember, GroupSession } from '../../lib/contract/types.ts'

export async function groupMembers (store: Store, userIds: readonly string[]): Promise<GroupMember[]> {
  const out: GroupMember[] = []
  for (const userId of userIds) {
    const user = await store.getUser(userId)
    if (user !== null) out.push({ userId, name: displayName(user) })
  }
  return out
}

export async function groupSessionView (ctx: UserServerContext, session: GroupSessionRow): Promise<GroupSession> {
  const { members } = await ctx.store.listMembers(session.groupSessionId)
  // Through ctx.store, which is the transaction's store when called inside one.
  const located = await locator(ctx.store, ctx.now)(members)
  const view: GroupSession = {
    groupSessionId: session.groupSessionId,
    name: session.name,
    members: await groupMembers(ctx.store, members),
    regions: groupByRegion(members, (userId) => located.get(userId)).map(({ target, items }) => ({ regionId: target.regionId, userIds: items }))
  }
  if (session.groupId !== null) view.groupId = session.groupId
  return view
}
