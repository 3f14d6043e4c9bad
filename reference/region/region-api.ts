// The grid-facing interface (openapi/region.yaml): what the user server, other regions and the
// gateway call. Every operation but getRegionStatus is signed (RFC 9421); registerOperations has
// verified the signature and the input against the contract before these handlers run.
import { GridImError } from '../lib/errors/index.ts'
import type { Fault } from '../lib/faults.ts'
import type { OperationHandler, OperationInput } from '../lib/http/index.ts'
import { acceptAgent } from './accept-agent.ts'
import type { RegionContext } from './context.ts'
import { checkBodyLength } from './limits.ts'
import { USER_SERVER_KEY_ID } from './peer-keys.ts'
import { checkSender } from './sender.ts'
import type { ChatState, GroupMessageDelivery, InstantMessage, Notice } from './types.ts'

type Signed = OperationInput<{ kind: 'peer', keyId: string }>

function agentNotHere (userId: string, faults: ReadonlySet<Fault>): GridImError {
  // The fault overrides the problem's `status` member with text (extensions go in last).
  const extensions = faults.has('region-problem-status-as-text') ? { status: '404' } : {}
  return new GridImError('agent-not-here', `User ${userId} is not on this region; look up the location again.`, extensions)
}

function fromUserServerOnly (input: Signed, what: string): void {
  if (input.principal.keyId !== USER_SERVER_KEY_ID) throw new GridImError('forbidden', `Only the user server may send ${what}.`)
}

export function regionHandlers (ctx: RegionContext): Record<string, OperationHandler> {
  return {
    // GRIDIM-ROLE-7
    getRegionStatus: () => ({ body: { regionId: ctx.regionId, name: ctx.name, kind: ctx.kind, agents: ctx.agents.size } }),

    // Seed steps 9.2–9.3 and 11: de-duplicate (GRIDIM-IM-14), find the recipient (GRIDIM-IM-9),
    // believe the sender (GRIDIM-IM-10, -12), deliver (GRIDIM-IM-13).
    deliverInstantMessage: async (input: Signed) => {
      const im = input.body as InstantMessage
      checkBodyLength(im.body)
      const from = input.principal.keyId === USER_SERVER_KEY_ID ? 'user-server' : 'region'
      if (ctx.inbox.seen(im.messageId, from)) return { body: { status: ctx.inbox.instantMessage(im, from) ?? 'duplicate' } }
      if (ctx.agents.logFor(im.toUserId) === undefined) throw agentNotHere(im.toUserId, ctx.faults)
      await checkSender(ctx, input.principal.keyId, im.fromUserId, im.toUserId)
      // GRIDIM-IM-20: `delivered` only once the message is kept in the region's store.
      const status = ctx.inbox.instantMessage(im, from)
      if (status === null) throw agentNotHere(im.toUserId, ctx.faults)
      return { body: { status } }
    },

    // GRIDIM-IM-18: the same rules as an instant message; best effort, never stored.
    deliverChatState: async (input: Signed) => {
      const state = input.body as ChatState
      if (ctx.agents.logFor(state.toUserId) === undefined) throw agentNotHere(state.toUserId, ctx.faults)
      await checkSender(ctx, input.principal.keyId, state.fromUserId, state.toUserId)
      if (!ctx.inbox.chatState(state)) throw agentNotHere(state.toUserId, ctx.faults)
      return { body: { status: 'delivered' } }
    },

    // GRIDIM-SEC-9: from the user server only.
    deliverNotices: (input: Signed) => {
      fromUserServerOnly(input, 'notices')
      return { body: ctx.inbox.notices((input.body as { notices: Notice[] }).notices) }
    },

    // Seed steps 12.4 and 13.2–13.3: one request per region, naming the members it hosts.
    deliverGroupMessage: (input: Signed) => {
      fromUserServerOnly(input, 'group messages')
      const delivery = input.body as GroupMessageDelivery
      checkBodyLength(delivery.body)
      const delivered: string[] = []
      const notHere: string[] = []
      for (const userId of delivery.toUserIds) {
        if (ctx.inbox.groupMessage(delivery, userId) === null) notHere.push(userId)
        else delivered.push(userId)
      }
      return { body: { delivered, notHere } }
    },

    // Border crossing or teleport: host the agent once the user server confirms the hand-over.
    acceptAgent: async (input: Signed) => await acceptAgent(ctx, input)
  }
}
