// A group session as the contract shows it: current members with names, and the regions where
// they can be reached — the destinations its messages go to (common.yaml GroupSession).
import type { GroupSessionRow, Store } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import { displayName } from '../conversions.ts'
import { groupByRegion } from '../notices/routing.ts'
import type { GroupMember, GroupSession } from '../../lib/contract/types.ts'

export function groupMembers (store: Store, userIds: readonly string[]): GroupMember[] {
  return userIds.flatMap((userId) => {
    const user = store.getUser(userId)
    return user === null ? [] : [{ userId, name: displayName(user) }]
  })
}

export function groupSessionView (ctx: UserServerContext, session: GroupSessionRow): GroupSession {
  const { members } = ctx.store.listMembers(session.groupSessionId)
  const located = ctx.locate(members)
  const view: GroupSession = {
    groupSessionId: session.groupSessionId,
    name: session.name,
    members: groupMembers(ctx.store, members),
    regions: groupByRegion(members, (userId) => located.get(userId)).map(({ target, items }) => ({ regionId: target.regionId, userIds: items }))
  }
  if (session.groupId !== null) view.groupId = session.groupId
  return view
}
