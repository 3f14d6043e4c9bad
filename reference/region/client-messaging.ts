// Client interface, 1:1 messaging (openapi/client.yaml, spec chapter 7): instant messages (seed
// steps 9–10) and typing notifications, delivered straight to the recipient's region.
import { GridImError } from '../lib/errors/index.ts'
import type { Agent } from './agents.ts'
import { agentOf } from './client-auth.ts'
import type { RegionContext } from './context.ts'
import { sendInstantMessage, type DeliveryDeps, type Outcome } from './delivery.ts'
import { grantsSeeOnline } from './friends.ts'
import { LinkBatcher } from './link-batcher.ts'
import { checkBodyLength } from './limits.ts'
import { newMessageId, timestamp } from './message-ids.ts'
import { relayChatState } from './chat-state-relay.ts'
import type { ChatState, InstantMessage, Schema } from '../lib/contract/types.ts'
import type { ClientHandlers } from './client-contract.ts'

/** Outcomes remembered per session for repeated messageIds (GRIDIM-CLI-17). */
const REMEMBERED_SENDS = 1000

/**
 * Sending for a session, whatever carries the request (HTTP or the client stream, GRIDIM-CLI-33):
 * one instance per region, so that both share the per-pair order of GRIDIM-IM-6, and the
 * outcomes a session's messageIds got (GRIDIM-CLI-17) are the agent's own.
 */
export type ClientMessaging = {
  /** clientSendInstantMessage: the outcome, or a GridImError for the client (GRIDIM-CLI-17, -18, -28). */
  sendInstantMessage: (agent: Agent, request: Schema<'SendInstantMessageRequest'>, remembered?: Map<string, Promise<unknown>>) => Promise<Schema<'SendInstantMessageResponse'>>
  /** clientSendChatState: best effort, never stored, says nothing of whether it arrived (GRIDIM-CLI-19). */
  sendChatState: (agent: Agent, request: Schema<'SendChatStateRequest'>) => Promise<void>
}

export function clientMessaging (ctx: RegionContext): ClientMessaging {
  const deps: DeliveryDeps = {
    regionId: ctx.regionId,
    peer: ctx.peer,
    userServer: ctx.userServer,
    cache: ctx.cache,
    link: new LinkBatcher({ peer: ctx.peer, timeoutMs: ctx.delivery.timeoutMs, faults: ctx.faults }),
    deliverLocally: (im) => ctx.inbox.instantMessage(im),
    signingOn: (userId) => ctx.agents.signingOn(userId),
    ...ctx.delivery,
    faults: ctx.faults
  }
  /** GRIDIM-IM-6: one message at a time per sender and recipient, so they arrive in order. */
  const queues = new Map<string, Promise<unknown>>()

  const send = async (agent: Agent, im: InstantMessage): Promise<Outcome> => {
    try {
      const { outcome, result, learned } = await sendInstantMessage(im, grantsSeeOnline(agent, im.toUserId), deps)
      if (learned !== undefined) agent.seesOnline.set(im.toUserId, learned)
      if (result === 'stored') ctx.metrics.stored++
      return outcome
    } catch (err) {
      // GRIDIM-IM-8, GRIDIM-CLI-18: neither delivered nor stored — the client gets the code.
      // GRIDIM-CLI-28: a recipient the user server does not know is a fault of the request, not
      // of the delivery; refused, it leaves no event (GRIDIM-ERR-5).
      if (err instanceof GridImError && err.code === 'unknown-user') throw err
      const code = err instanceof GridImError ? err.code : 'internal'
      if (code === 'unavailable' && ctx.faults.has('unreachable-user-server-as-stored')) return 'stored'
      if (code === 'unavailable' && ctx.faults.has('unreachable-user-server-no-delivery-failed')) throw err
      const detail = err instanceof GridImError && err.status < 500 ? { detail: err.message.slice(0, 1023) } : {}
      if (!agent.log.closed) agent.log.append('deliveryFailed', { messageId: im.messageId, toUserId: im.toUserId, code, ...detail })
      throw err
    }
  }

  const inOrder = async <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = queues.get(key) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(task)
    queues.set(key, next)
    try {
      return await next
    } finally {
      if (queues.get(key) === next) queues.delete(key)
    }
  }

  return {
    // `remembered` is the session's (agent.sent) except under the fault stream-dedupe-per-connection.
    sendInstantMessage: async (agent, { toUserId, body, messageId = newMessageId(ctx.faults) }, remembered = agent.sent) => {
      checkBodyLength(body)
      if (toUserId === agent.userId) throw new GridImError('invalid-request', 'A message to oneself is not sent.') // GRIDIM-IM-2
      // GRIDIM-CLI-17: a repeat gets the first outcome and sends nothing again.
      let pending = ctx.faults.has('region-forgets-sent-ids') ? undefined : remembered.get(messageId) as Promise<Outcome> | undefined
      if (pending === undefined) {
        const im: InstantMessage = { messageId, fromUserId: agent.userId, fromName: agent.name, toUserId, body, sentAt: timestamp(ctx.now(), ctx.faults) }
        pending = inOrder(`${agent.userId} ${toUserId}`, async () => await send(agent, im))
        remembered.set(messageId, pending)
        if (remembered.size > REMEMBERED_SENDS) remembered.delete(remembered.keys().next().value!)
        pending.catch(() => { remembered.delete(messageId) })
      }
      return { messageId, outcome: await pending }
    },

    // GRIDIM-IM-18, -19, GRIDIM-CLI-19: best effort, never stored.
    sendChatState: async (agent, { toUserId, state }) => {
      const chatState: ChatState = { fromUserId: agent.userId, fromName: agent.name, toUserId, state }
      if (!ctx.inbox.chatState(chatState)) await relayChatState(ctx, chatState)
    }
  }
}

export function messagingHandlers (ctx: RegionContext, messaging: ClientMessaging = clientMessaging(ctx)): ClientHandlers {
  return {
    clientSendInstantMessage: async (input) => ({ body: await messaging.sendInstantMessage(agentOf(ctx.agents, input), input.body) }),

    // GRIDIM-CLI-19: always 204, so that the answer says nothing about the recipient's presence.
    clientSendChatState: async (input) => {
      await messaging.sendChatState(agentOf(ctx.agents, input), input.body)
      return { status: 204 }
    }
  }
}
