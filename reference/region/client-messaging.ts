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
import type { ChatState, InstantMessage } from '../lib/contract/types.ts'
import type { ClientHandlers } from './client-contract.ts'

/** Outcomes remembered per session for repeated messageIds (GRIDIM-CLI-17). */
const REMEMBERED_SENDS = 1000

export function messagingHandlers (ctx: RegionContext): ClientHandlers {
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
    clientSendInstantMessage: async (input) => {
      const agent = agentOf(ctx.agents, input)
      const { toUserId, body, messageId = newMessageId(ctx.faults) } = input.body
      checkBodyLength(body)
      if (toUserId === agent.userId) throw new GridImError('invalid-request', 'A message to oneself is not sent.') // GRIDIM-IM-2
      // GRIDIM-CLI-17: a repeat gets the first outcome and sends nothing again.
      let pending = ctx.faults.has('region-forgets-sent-ids') ? undefined : agent.sent.get(messageId) as Promise<Outcome> | undefined
      if (pending === undefined) {
        const im: InstantMessage = { messageId, fromUserId: agent.userId, fromName: agent.name, toUserId, body, sentAt: timestamp(ctx.now(), ctx.faults) }
        pending = inOrder(`${agent.userId} ${toUserId}`, async () => await send(agent, im))
        agent.sent.set(messageId, pending)
        if (agent.sent.size > REMEMBERED_SENDS) agent.sent.delete(agent.sent.keys().next().value!)
        pending.catch(() => { agent.sent.delete(messageId) })
      }
      return { body: { messageId, outcome: await pending } }
    },

    // GRIDIM-IM-18, -19, GRIDIM-CLI-19: best effort, never stored, and always 204 so that the
    // answer says nothing about the recipient's presence.
    clientSendChatState: async (input) => {
      const agent = agentOf(ctx.agents, input)
      const { toUserId, state } = input.body
      const chatState: ChatState = { fromUserId: agent.userId, fromName: agent.name, toUserId, state }
      if (!ctx.inbox.chatState(chatState)) await relayChatState(ctx, chatState)
      return { status: 204 }
    }
  }
}
