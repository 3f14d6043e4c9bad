// RFC 6121 §5: one-to-one chat messages, the XMPP form of a GridIM InstantMessage.
import { Element } from 'ltx'
import { Value } from '@sinclair/typebox/value'
import { Body, DateTimeStamp, StanzaId, ThreadId, type ChatMessage } from '../../../openapi/stanzas/index.ts'
import { readChatState } from './chat-state.ts'
import { NS_CHATSTATES, NS_DELAY, NS_SID } from './ns.ts'
import { attrs, compact, contentChild, jidAttr, limitedText, optionalChildText, requiredId } from './read.ts'
import { StanzaError } from './xmpp-error.ts'

/** RFC 6121 §5.2.2 type chat, §5.2.3 <body/>, §5.2.5 <thread/>; XEP-0085 §5.6 the state last. */
export function chatMessageToStanza (message: ChatMessage): Element {
  const el = new Element('message', attrs({ type: 'chat', from: message.from, to: message.to, id: message.id }))
  el.c('body').t(message.body)
  if (message.thread !== undefined) el.c('thread').t(message.thread)
  if (message.originId !== undefined) el.c('origin-id', { xmlns: NS_SID, id: message.originId })
  if (message.delay !== undefined) el.c('delay', { xmlns: NS_DELAY, stamp: message.delay })
  if (message.chatState !== undefined) el.c(message.chatState, { xmlns: NS_CHATSTATES })
  return el
}

/**
 * Reads a message with a <body/>. Type normal (or none, RFC 6121 §5.2.2) is read as chat: GridIM
 * has one kind of 1:1 message. Of several <body/> elements (one per xml:lang, §5.2.3) the first
 * counts. A body past 1023 bytes is not-acceptable (GridIM message-too-long).
 */
export function chatMessageFromStanza (el: Element): ChatMessage {
  const body = contentChild(el, 'body')
  if (body === undefined) throw new StanzaError('bad-request', 'a chat message without a <body/>')
  return compact<ChatMessage>({
    kind: 'chatMessage',
    from: jidAttr(el, 'from'),
    to: jidAttr(el, 'to'),
    id: requiredId(el),
    body: limitedText(body.getText(), 'the <body/>', Body),
    chatState: readChatState(el),
    thread: optionalChildText(el, 'thread', ThreadId),
    // Extensions a receiver may ignore: one it cannot read is left out, not refused.
    originId: valid(StanzaId, el.getChild('origin-id', NS_SID)?.attrs.id),
    delay: instant(valid(DateTimeStamp, el.getChild('delay', NS_DELAY)?.attrs.stamp))
  })
}

/** One instant has many XEP-0082 spellings; read as one (UTC, milliseconds), they compare equal. */
function instant (stamp: string | undefined): string | undefined {
  return stamp === undefined ? undefined : new Date(stamp).toISOString()
}

function valid (schema: typeof StanzaId | typeof DateTimeStamp, value: unknown): string | undefined {
  return typeof value === 'string' && Value.Check(schema, value) ? value : undefined
}
