// startGroupSession — seed step 12; GRIDIM-GRP-1..7. A group's session and an ad-hoc
// ("card-based") one are set up alike: the eligible users who are reachable become members, the
// others stay eligible (stored as members who left) and may join later.
import { randomUUID } from 'node:crypto'
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import type { Schema } from '../../lib/contract/types.ts'
import type { UserRow } from '../../store/index.ts'
import { requireHosted, requireUser, type Signed } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { displayName } from '../conversions.ts'
import { openGroupSessions } from '../group-sessions/membership.ts'
import { groupMembers, groupSessionView } from '../group-sessions/view.ts'
import { reachableAmong } from '../sessions/online.ts'

/** Who may take part, and the default name; checks in the order of GRIDIM-ERR-7. */
function eligibility (ctx: UserServerContext, starter: UserRow, request: Schema<'StartGroupSessionRequest'>, input: Signed) {
  const { store } = ctx
  if (request.groupId !== undefined) {
    const group = store.getGroup(request.groupId)
    if (group === null) throw new GridImError('unknown-group', `no group ${request.groupId}`)
    requireHosted(ctx, input, starter)
    if (!group.memberIds.includes(starter.userId)) throw new GridImError('not-a-member', 'the starter is not a member of the group')
    return { eligible: group.memberIds, name: request.name ?? group.name }
  }
  const others = request.participantIds!.filter((id) => id !== starter.userId).map((id) => requireUser(ctx, id))
  requireHosted(ctx, input, starter)
  for (const user of others) {
    if (store.getFriendship(starter.userId, user.userId) === null) throw new GridImError('not-friends', `${user.userId} is not a friend of the starter`)
  }
  const name = request.name ?? [starter, ...others].map(displayName).join(', ').slice(0, 63)
  return { eligible: [starter.userId, ...others.map((u) => u.userId)], name }
}

export function startGroupSession (ctx: UserServerContext): HandlerFor<'user-server', 'startGroupSession', PeerPrincipal> {
  const { store } = ctx
  return (input) => {
    const request = input.body
    const starter = requireUser(ctx, request.startedBy)
    const { eligible, name } = eligibility(ctx, starter, request, input)
    // GRIDIM-GRP-5: a group has one open session; starting it again joins it.
    const open = request.groupId === undefined ? undefined : openGroupSessions(store).find((s) => s.groupId === request.groupId)
    if (open !== undefined && !ctx.faults.has('second-session-per-group')) {
      store.addMember(open.groupSessionId, starter.userId)
      store.touch(open.groupSessionId, ctx.now())
      return { status: 200, body: groupSessionView(ctx, open) }
    }
    const isReachable = reachableAmong(ctx, eligible)
    const members = [starter.userId, ...eligible.filter((id) => id !== starter.userId && isReachable(id))]
    // The fault group-session-member-cap: a cap of 64 members, below the 100 every user server accepts (GRIDIM-LIM-7).
    if (ctx.faults.has('group-session-member-cap') && members.length > 64) throw new GridImError('invalid-request', 'group sessions are limited to 64 members')
    const groupSessionId = randomUUID()
    store.transaction(() => {
      store.createGroupSession({ groupSessionId, name, groupId: request.groupId ?? null, startedBy: starter.userId, memberIds: eligible, createdAt: ctx.now() })
      for (const id of eligible) if (!members.includes(id)) store.removeMember(groupSessionId, id)
    })
    const invitation = {
      type: 'groupSessionInvitation' as const, groupSessionId, name, startedBy: starter.userId, members: groupMembers(store, members),
      ...(request.groupId === undefined ? {} : { groupId: request.groupId })
    }
    const batch = ctx.batch()
    for (const id of members) if (id !== starter.userId) batch.add(id, invitation)
    batch.send()
    return { status: 201, body: groupSessionView(ctx, store.getGroupSession(groupSessionId)!) }
  }
}
