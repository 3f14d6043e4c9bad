// Who may take part in a group session and what follows when someone leaves (GRIDIM-GRP-8..11).
// A session's eligible users are its group's members or, ad hoc, the starter and the named
// participants; the store keeps the latter as members who have "left", so that both kinds of
// session answer the same questions the same way (GRIDIM-GRP-1).
import type { GroupSessionRow, Store } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import type { NoticeBatch } from '../notices/notice-batch.ts'

/** The store lists open sessions through its idle query, given no age limit. */
export async function openGroupSessions (store: Store): Promise<GroupSessionRow[]> {
  return await store.listIdleGroupSessions(Number.MAX_SAFE_INTEGER)
}

export async function isEligible (store: Store, session: GroupSessionRow, userId: string): Promise<boolean> {
  if (session.groupId !== null) return (await store.getGroup(session.groupId))?.memberIds.includes(userId) ?? false
  const { members, left } = await store.listMembers(session.groupSessionId)
  return members.includes(userId) || left.includes(userId)
}

/**
 * GRIDIM-GRP-9, GRIDIM-GRP-11: the member leaves; those remaining are told, and a session left
 * with fewer than two members ends.
 */
export async function leaveGroupSession (ctx: UserServerContext, session: GroupSessionRow, userId: string, batch: NoticeBatch): Promise<void> {
  const { store } = ctx
  const { groupSessionId } = session
  // Two leaves at once on two instances would each count the other still there, and neither
  // close a session left with one member: the second waits for the first.
  await store.lockGroupSession(groupSessionId)
  if (!await store.removeMember(groupSessionId, userId)) return
  const { members } = await store.listMembers(groupSessionId)
  // GRIDIM-GRP-17: the member who left is no member now, and is not told; the fault member-left-told-to-leaver tells it too.
  for (const member of ctx.faults.has('member-left-told-to-leaver') ? [...members, userId] : members) batch.add(member, { type: 'groupSessionMemberLeft', groupSessionId, userId })
  if (members.length < (ctx.faults.has('group-session-kept-with-one-member') ? 1 : 2) && await store.closeGroupSession(groupSessionId, 'ended', ctx.now())) {
    for (const member of members) batch.add(member, { type: 'groupSessionClosed', groupSessionId, reason: 'ended' })
  }
}

/** GRIDIM-GRP-10: users whose sessions ended leave every group session, as if by leaving. */
export async function leaveAllGroupSessions (ctx: UserServerContext, userIds: ReadonlySet<string>, batch: NoticeBatch): Promise<void> {
  if (userIds.size === 0) return
  for (const session of await openGroupSessions(ctx.store)) {
    for (const member of (await ctx.store.listMembers(session.groupSessionId)).members) {
      if (!userIds.has(member)) continue
      const current = await ctx.store.getGroupSession(session.groupSessionId)
      if (current?.closedAt === null) await leaveGroupSession(ctx, current, member, batch)
    }
  }
}
