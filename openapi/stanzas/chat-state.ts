// XEP-0085 Chat State Notifications: typing indicators, GridIM's deliverChatState.
import { Type, type Static } from '@sinclair/typebox'
import { Jid } from './jid.ts'
import { StanzaId, ThreadId } from './common.ts'

/** XEP-0085 §2: the five states. */
export const ChatStateName = Type.Union([
  Type.Literal('active'), Type.Literal('composing'), Type.Literal('paused'),
  Type.Literal('inactive'), Type.Literal('gone')
], { description: 'A chat state (XEP-0085 §2).' })
export type ChatStateName = Static<typeof ChatStateName>

/**
 * XEP-0085 §2 a "standalone notification": a message of type chat (§5.4) that carries only a
 * state, plus <thread/> when threads are used (§5.6). Never stored offline (§5.8; GridIM
 * deliverChatState).
 */
export const ChatState = Type.Object({
  kind: Type.Literal('chatState'),
  from: Jid,
  to: Jid,
  id: Type.Optional(StanzaId),
  state: ChatStateName,
  thread: Type.Optional(ThreadId)
}, { $id: 'urn:gridim:stanza:chat-state', additionalProperties: false })
export type ChatState = Static<typeof ChatState>
