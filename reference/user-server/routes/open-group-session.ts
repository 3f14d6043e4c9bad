// The checks every operation on an existing group session starts with (GRIDIM-GRP-23, GRIDIM-ERR-4).
import { GridImError } from '../../lib/errors/index.ts'
import type { GroupSessionRow } from '../../store/index.ts'
import type { UserServerContext } from '../context.ts'

export async function openGroupSession (ctx: UserServerContext, groupSessionId: string): Promise<GroupSessionRow> {
  const session = await ctx.store.getGroupSession(groupSessionId)
  if (session === null) throw new GridImError('unknown-group-session', `no group session ${groupSessionId}`)
  if (session.closedAt !== null && !ctx.faults.has('group-session-closed-unchecked')) throw new GridImError('group-session-closed', `group session ${groupSessionId} closed (${session.closeReason})`)
  return session
}

export async function requireMember (ctx: UserServerContext, session: GroupSessionRow, userId: string): Promise<void> {
  if (ctx.faults.has('group-message-from-non-member')) return
  if (!(await ctx.groupDestinations.of(session.groupSessionId)).memberSet.has(userId)) {
    throw new GridImError('not-a-member', `${userId} is not a member of group session ${session.groupSessionId}`)
  }
}
