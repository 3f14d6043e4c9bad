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
async function eligibility (ctx: UserServerContext, starter: UserRow, request: Schema<'StartGroupSessionRequest'>, input: Signed): Promise<{ eligible: string[], name: string }> {
  const { store } = ctx
  if (request.groupId !== undefined) {
    const group = await store.getGroup(request.groupId)
    if (group === null) throw new GridImError('unknown-group', `no group ${request.groupId}`)
    await requireHosted(ctx, input, starter)
    if (!group.memberIds.includes(starter.userId)) throw new GridImError('not-a-member', 'the starter is not a member of the group')
    return { eligible: group.memberIds, name: request.name ?? group.name }
  }
  const others: UserRow[] = []
  for (const id of request.participantIds!) if (id !== starter.userId) others.push(await requireUser(ctx, id))
  await requireHosted(ctx, input, starter)
  for (const user of others) {
    if (await store.getFriendship(starter.userId, user.userId) === null) throw new GridImError('not-friends', `${user.userId} is not a friend of the starter`)
  }
  const name = request.name ?? [starter, ...others].map(displayName).join(', ').slice(0, 63)
  return { eligible: [starter.userId, ...others.map((u) => u.userId)], name }
}

export function startGroupSession (ctx: UserServerContext): HandlerFor<'user-server', 'startGroupSession', PeerPrincipal> {
  const { store } = ctx
  return async (input) => {
    const request = input.body
    const starter = await requireUser(ctx, request.startedBy)
    const { eligible, name } = await eligibility(ctx, starter, request, input)
    const groupSessionId = randomUUID()
    // GRIDIM-GRP-5: a group has one open session; starting it again joins it. Looked for and
    // made in one transaction, so that two starts at once make one session.
    const started = await store.transaction(async (tx) => {
      // On a shared store, two starts on two instances each find none open unless the second waits.
      if (request.groupId !== undefined) await tx.lockGroup(request.groupId)
      const open = request.groupId === undefined ? undefined : (await openGroupSessions(tx)).find((s) => s.groupId === request.groupId)
      if (open !== undefined && !ctx.faults.has('second-session-per-group')) {
        await tx.addMember(open.groupSessionId, starter.userId)
        // GRIDIM-GRP-22: joining is activity, through startGroupSession too.
        if (!ctx.faults.has('group-idle-not-reset-by-restart')) await tx.touch(open.groupSessionId, ctx.now())
        return { joined: open }
      }
      const isReachable = await reachableAmong({ ...ctx, store: tx }, eligible)
      const members = [starter.userId, ...eligible.filter((id) => id !== starter.userId && isReachable(id))]
      // The fault group-session-member-cap: a cap of 64 members, below the 100 every user server accepts (GRIDIM-LIM-7).
      if (ctx.faults.has('group-session-member-cap') && members.length > 64) throw new GridImError('invalid-request', 'group sessions are limited to 64 members')
      await tx.createGroupSession({ groupSessionId, name, groupId: request.groupId ?? null, startedBy: starter.userId, memberIds: eligible, createdAt: ctx.now() })
      for (const id of eligible) if (!members.includes(id)) await tx.removeMember(groupSessionId, id)
      return { members }
    })
    if (started.joined !== undefined) return { status: 200, body: await groupSessionView(ctx, started.joined) }
    const { members } = started
    const invitation = {
      type: 'groupSessionInvitation' as const, groupSessionId, name, startedBy: starter.userId, members: await groupMembers(store, members),
      ...(request.groupId === undefined ? {} : { groupId: request.groupId })
    }
    const batch = ctx.batch()
    for (const id of members) if (id !== starter.userId) batch.add(id, invitation)
    await batch.send()
    return { status: 201, body: await groupSessionView(ctx, (await store.getGroupSession(groupSessionId))!) }
  }
}
