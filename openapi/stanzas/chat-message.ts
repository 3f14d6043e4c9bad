// RFC 6121 §5: one-to-one messages, the XMPP form of a GridIM InstantMessage.
import { Type, type Static } from '@sinclair/typebox'
import { Jid } from './jid.ts'
import { Body, DateTimeStamp, StanzaId, ThreadId } from './common.ts'
import { ChatStateName } from './chat-state.ts'

/**
 * RFC 6121 §5.2.2 a message of type chat with a <body/> (§5.2.3), an optional <thread/>
 * (§5.2.5) and an optional XEP-0085 state sent with the content (XEP-0085 §5.6). `id` is required
 * because receivers de-duplicate by it. `originId` is the XEP-0359 `<origin-id/>`, `delay` the
 * `stamp` of an XEP-0203 `<delay/>` (a message delivered late, from an offline store), read as
 * the instant in UTC with milliseconds (2025-01-01T00:00:00.000Z), however the sender spelt it.
 */
export const ChatMessage = Type.Object({
  kind: Type.Literal('chatMessage'),
  from: Jid,
  to: Jid,
  id: StanzaId,
  body: Body,
  chatState: Type.Optional(ChatStateName),
  thread: Type.Optional(ThreadId),
  originId: Type.Optional(StanzaId),
  delay: Type.Optional(DateTimeStamp)
}, { $id: 'urn:gridim:stanza:chat-message', additionalProperties: false })
export type ChatMessage = Static<typeof ChatMessage>
