// Who may take part in a group session and what follows when someone leaves (GRIDIM-GRP-8..11).
// A session's eligible users are its group's members or, ad hoc, the starter and the named
// participants; the store keeps the latter as members who have "left", so that both kinds of
// session answer the same questions the same way (GRIDIM-GRP-1).
import type { GroupSessionRow, Store } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'
import type { NoticeBatch } from '../notices/notice-batch.ts'

/** The store lists open sessions through its idle query, given no age limit. */
export function openGroupSessions (store: Store): GroupSessionRow[] {
  return store.listIdleGroupSessions(Number.MAX_SAFE_INTEGER)
}

export function isEligible (store: Store, session: GroupSessionRow, userId: string): boolean {
  if (session.groupId !== null) return store.getGroup(session.groupId)?.memberIds.includes(userId) ?? false
  const { members, left } = store.listMembers(session.groupSessionId)
  return members.includes(userId) || left.includes(userId)
}

/**
 * GRIDIM-GRP-9, GRIDIM-GRP-11: the member leaves; those remaining are told, and a session left
 * with fewer than two members ends.
 */
export function leaveGroupSession (ctx: UserServerContext, session: GroupSessionRow, userId: string, batch: NoticeBatch): void {
  const { store } = ctx
  const { groupSessionId } = session
  if (!store.removeMember(groupSessionId, userId)) return
  const { members } = store.listMembers(groupSessionId)
  for (const member of members) batch.add(member, { type: 'groupSessionMemberLeft', groupSessionId, userId })
  if (members.length < (ctx.faults.has('group-session-kept-with-one-member') ? 1 : 2) && store.closeGroupSession(groupSessionId, 'ended', ctx.now())) {
    for (const member of members) batch.add(member, { type: 'groupSessionClosed', groupSessionId, reason: 'ended' })
  }
}

/** GRIDIM-GRP-10: users whose sessions ended leave every group session, as if by leaving. */
export function leaveAllGroupSessions (ctx: UserServerContext, userIds: ReadonlySet<string>, batch: NoticeBatch): void {
  if (userIds.size === 0) return
  for (const session of openGroupSessions(ctx.store)) {
    for (const member of ctx.store.listMembers(session.groupSessionId).members) {
      if (!userIds.has(member)) continue
      const current = ctx.store.getGroupSession(session.groupSessionId)
      if (current?.closedAt === null) leaveGroupSession(ctx, current, member, batch)
    }
  }
}
