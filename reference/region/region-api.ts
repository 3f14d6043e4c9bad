// The grid-facing interface (openapi/region.yaml): what the user server, other regions and the
// gateway call. Every operation but getRegionStatus is signed (RFC 9421); registerOperations has
// verified the signature and the input against the contract before these handlers run.
import { GridImError } from '../lib/errors/index.ts'
import type { Fault } from '../lib/faults.ts'
import type { HandlerFor, OperationHandlers, PeerPrincipal } from '../lib/http/index.ts'
import { acceptAgent } from './accept-agent.ts'
import { batchOf, groupBatchOf, type Delivered } from './batch-receive.ts'
import type { RegionContext } from './context.ts'
import { checkBodyLength } from './limits.ts'
import { USER_SERVER_KEY_ID } from './peer-keys.ts'
import { checkSender } from './sender.ts'

/** A handler of openapi/region.yaml, called by a verified peer. */
export type RegionHandler<K extends keyof OperationHandlers<'region'>> = HandlerFor<'region', K, PeerPrincipal>

/** The handlers a region (or the gateway) serves on its grid interface, by operationId. */
export type RegionHandlers = { [K in keyof OperationHandlers<'region'>]-?: RegionHandler<K> }

function agentNotHere (userId: string, faults: ReadonlySet<Fault>): GridImError {
  // The fault overrides the problem's `status` member with text (extensions go in last).
  const extensions = faults.has('region-problem-status-as-text') ? { status: '404' } : {}
  return new GridImError('agent-not-here', `User ${userId} is not on this region; look up the location again.`, extensions)
}

function fromUserServerOnly (principal: PeerPrincipal, what: string): void {
  if (principal.keyId !== USER_SERVER_KEY_ID) throw new GridImError('forbidden', `Only the user server may send ${what}.`)
}

export function regionHandlers (ctx: RegionContext): RegionHandlers {
  /**
   * GRIDIM-IM-10 for a delivery to `to`. A recipient no longer here cannot be named in a
   * locateUser, so then only the location cache (filled when the message was first accepted)
   * can vouch for the signer; without it the answer is agent-not-here, as for an unknown
   * messageId. GRIDIM-IM-25: a lease that lapsed meanwhile has signed the recipient off.
   */
  const senderChecked = async (principal: PeerPrincipal, what: { fromUserId: string, toUserId: string }, hosted: boolean): Promise<void> => {
    const signer = principal.keyId
    if (!hosted) {
      if (signer === USER_SERVER_KEY_ID || ctx.cache.get(what.fromUserId)?.regionId === signer) return
      throw agentNotHere(what.toUserId, ctx.faults)
    }
    try {
      await checkSender(ctx, signer, what.fromUserId, what.toUserId)
    } catch (err) {
      if (err instanceof GridImError && err.code === 'lease-expired' && !ctx.faults.has('lapsed-region-answers-lease-expired')) throw agentNotHere(what.toUserId, ctx.faults)
      if (err instanceof GridImError && err.code === 'agent-not-here') throw agentNotHere(what.toUserId, ctx.faults)
      throw err
    }
  }

  /**
   * deliverInstantMessage up to its last step: the checks, which may wait (a sign-on in flight,
   * the sender's location). What it returns delivers synchronously (or throws the refusal), so
   * that a batch can deliver all its messages in one transaction (Inbox.together).
   */
  const prepareInstantMessage = async (input: Parameters<RegionHandler<'deliverInstantMessage'>>[0]): Promise<() => Delivered> => {
    const im = input.body
    checkBodyLength(im.body)
    const from = input.principal.keyId === USER_SERVER_KEY_ID ? 'user-server' : 'region'
    // GRIDIM-SIGN-5: a user whose sign-on is in flight is here already (the fault: not until its answer).
    if (ctx.faults.has('not-here-while-signing-on') && ctx.agents.signingOn(im.toUserId) !== undefined) throw agentNotHere(im.toUserId, ctx.faults)
    // GRIDIM-SIGN-22: a sign-on in flight is waited for, so that `delivered` names a session.
    const signingOn = ctx.agents.signingOn(im.toUserId)
    if (!ctx.faults.has('delivered-before-sign-on')) await signingOn
    const hosted = ctx.agents.logFor(im.toUserId) !== undefined
    // The fault: a sign-on that failed still counts as a delivery, for a session that will never exist.
    if (signingOn !== undefined && !hosted && ctx.faults.has('delivered-after-failed-sign-on')) return () => 'delivered'
    if (ctx.inbox.seen(im.messageId, from)) {
      // GRIDIM-IM-24: whether a messageId is known is told only to a sender that passes the check.
      if (!ctx.faults.has('duplicate-before-sender-check')) await senderChecked(input.principal, im, hosted)
      return () => ctx.inbox.instantMessage(im, from) ?? 'duplicate'
    }
    if (!hosted) throw agentNotHere(im.toUserId, ctx.faults)
    await senderChecked(input.principal, im, true)
    // GRIDIM-IM-20: `delivered` only once the message is kept in the region's store.
    return () => {
      const status = ctx.inbox.instantMessage(im, from)
      if (status === null) throw agentNotHere(im.toUserId, ctx.faults)
      return status
    }
  }

  const handlers: Omit<RegionHandlers, 'deliverInstantMessages' | 'deliverGroupMessages'> = {
    // GRIDIM-ROLE-7
    getRegionStatus: () => ({ body: { regionId: ctx.regionId, name: ctx.name, kind: ctx.kind, agents: ctx.agents.size } }),

    // Seed steps 9.2–9.3 and 11: de-duplicate (GRIDIM-IM-14), find the recipient (GRIDIM-IM-9),
    // believe the sender (GRIDIM-IM-10, -12), deliver (GRIDIM-IM-13).
    deliverInstantMessage: async (input) => {
      const deliver = await prepareInstantMessage(input)
      return { body: { status: deliver() } }
    },

    // GRIDIM-IM-18: the same rules as an instant message; best effort, never stored.
    deliverChatState: async (input) => {
      const state = input.body
      if (ctx.agents.logFor(state.toUserId) === undefined) throw agentNotHere(state.toUserId, ctx.faults)
      await senderChecked(input.principal, state, true)
      if (!ctx.inbox.chatState(state)) throw agentNotHere(state.toUserId, ctx.faults)
      return { body: { status: 'delivered' } }
    },

    // GRIDIM-SEC-9: from the user server only.
    deliverNotices: (input) => {
      fromUserServerOnly(input.principal, 'notices')
      return { body: ctx.inbox.notices(input.body.notices) }
    },

    // Seed steps 12.4 and 13.2–13.3: one request per region, naming the members it hosts.
    deliverGroupMessage: (input) => {
      fromUserServerOnly(input.principal, 'group messages')
      const delivery = input.body
      checkBodyLength(delivery.body)
      const delivered: string[] = []
      const notHere: string[] = []
      for (const userId of delivery.toUserIds) {
        // The deliberate fault region-hides-not-here lists every member as delivered.
        if (ctx.inbox.groupMessage(delivery, userId) === null && !ctx.faults.has('region-hides-not-here')) notHere.push(userId)
        else delivered.push(userId)
      }
      return { body: { delivered, notHere } }
    },

    // Border crossing or teleport: host the agent once the user server confirms the hand-over.
    acceptAgent: async (input) => await acceptAgent(ctx, input)
  }
  // GRIDIM-IM-26: each message of a batch as deliverInstantMessage alone.
  return {
    ...handlers,
    deliverInstantMessages: batchOf(handlers.deliverInstantMessage, ctx.faults, { prepare: prepareInstantMessage, together: (fn) => ctx.inbox.together(fn) }),
    // GRIDIM-GRP-26: each delivery of a batch as deliverGroupMessage alone.
    deliverGroupMessages: groupBatchOf(handlers.deliverGroupMessage, (principal) => { fromUserServerOnly(principal, 'group messages') })
  }
}
