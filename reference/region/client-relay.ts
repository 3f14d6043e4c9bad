// Client interface operations the region relays to the user server on the agent's behalf (spec
// chapter 10): finding users, friendships and rights, group sessions. The region signs as itself
// and names its agent; a refusal reaches the client with the same code (GRIDIM-CLI-3), and the
// agent's friend list is kept current from the answers.
import { randomUUID } from 'node:crypto'
import type { ClientGroupSession, GroupSession } from '../lib/contract/types.ts'
import type { Principal } from '../lib/http/index.ts'
import type { Agent } from './agents.ts'
import { agentOf } from './client-auth.ts'
import type { RegionContext } from './context.ts'
import { replaceFriends, upsertFriend } from './friends.ts'
import { checkBodyLength } from './limits.ts'
import type { ClientHandlers } from './client-contract.ts'

/**
 * The session as the client is told it (chapter 10): the user server's GroupSession without
 * `regions`, which place every member — forwarding data a client must not see (GRIDIM-PRES-5).
 */
export function clientGroupSession ({ regions, ...session }: GroupSession): ClientGroupSession {
  return session
}

export function relayHandlers (ctx: RegionContext): ClientHandlers {
  const us = ctx.userServer
  const agent = (input: { principal: Principal }): Agent => agentOf(ctx.agents, input)
  // The fault passes the user server's answer through as it came, `regions` and all.
  const forClient = (session: GroupSession): ClientGroupSession =>
    ctx.faults.has('group-session-regions-to-client') ? session : clientGroupSession(session)

  return {
    // By `name` or by `jid`; the user server refuses both or neither.
    clientLookupUser: async (input) => {
      const { name, jid } = input.query
      return { body: await us('lookupUser', { query: { name, jid } }) }
    },

    clientListFriends: async (input) => {
      const a = agent(input)
      const friends = await us('listFriends', { params: { userId: a.userId } })
      replaceFriends(a, friends)
      return { body: friends }
    },

    // 201 for a new offer, 200 for one already pending (GRIDIM-FRND-4).
    clientOfferFriendship: async (input) => {
      const { toUserId, message } = input.body
      const body = { fromUserId: agent(input).userId, toUserId, ...(message === undefined ? {} : { message }) }
      return await us.withStatus('offerFriendship', { body })
    },

    clientAcceptFriendshipOffer: async (input) => {
      const a = agent(input)
      const friend = await us('acceptFriendshipOffer', { params: { offerId: input.params.offerId }, body: { userId: a.userId } })
      upsertFriend(a, friend)
      return { body: friend }
    },

    clientDeclineFriendshipOffer: async (input) => {
      await us('declineFriendshipOffer', { params: { offerId: input.params.offerId }, body: { userId: agent(input).userId } })
      return { status: 204 }
    },

    clientSetFriendRights: async (input) => {
      const a = agent(input)
      const friend = await us('setFriendRights', { params: { userId: a.userId, friendId: input.params.friendId }, body: input.body })
      upsertFriend(a, friend)
      return { body: friend }
    },

    clientEndFriendship: async (input) => {
      const a = agent(input)
      await us('endFriendship', { params: { userId: a.userId, friendId: input.params.friendId } })
      a.friends = a.friends.filter((f) => f.userId !== input.params.friendId)
      a.seesOnline.set(input.params.friendId, false)
      return { status: 204 }
    },

    // Seed step 12: 201 for a new session, 200 for the group's open one (GRIDIM-GRP-5).
    clientStartGroupSession: async (input) => {
      const body = { startedBy: agent(input).userId, ...input.body }
      const { status, body: session } = await us.withStatus('startGroupSession', { body })
      return status === 200 ? { status, body: forClient(session) } : { status, body: forClient(session) }
    },

    // Seed steps 12.4 and 13: the user server forwards once per destination region.
    clientSendGroupMessage: async (input) => {
      const { body, messageId = randomUUID() } = input.body
      checkBodyLength(body)
      await us('sendGroupMessage', { params: { groupSessionId: input.params.groupSessionId }, body: { fromUserId: agent(input).userId, messageId, body } })
      return { body: { messageId } }
    },

    // GRIDIM-GRP-24: an eligible user who is not a member (unreachable at the start, left, or
    // signed on again) comes in; the only way a region calls joinGroupSession (GRIDIM-GRP-25).
    clientJoinGroupSession: async (input) => {
      return { body: forClient(await us('joinGroupSession', { params: { groupSessionId: input.params.groupSessionId, userId: agent(input).userId } })) }
    },

    clientLeaveGroupSession: async (input) => {
      await us('leaveGroupSession', { params: { groupSessionId: input.params.groupSessionId, userId: agent(input).userId } })
      return { status: 204 }
    }
  }
}
