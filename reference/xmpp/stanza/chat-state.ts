// XEP-0085 chat states: standalone notifications, and the state carried by a content message.
import { Element } from 'ltx'
import { ThreadId, type ChatState, type ChatStateName } from '../../../openapi/stanzas/index.ts'
import { NS_CHATSTATES } from './ns.ts'
import { attrs, compact, jidAttr, optionalChildText, optionalId } from './read.ts'
import { StanzaError } from './xmpp-error.ts'

const STATES: ReadonlySet<string> = new Set<ChatStateName>(['active', 'composing', 'paused', 'inactive', 'gone'])

/**
 * XEP-0085 §5.6: "A message stanza MUST NOT contain more than one child element qualified by the
 * 'http://jabber.org/protocol/chatstates' namespace."
 */
export function readChatState (el: Element): ChatStateName | undefined {
  const found = el.getChildElements().filter((child) => child.getNS() === NS_CHATSTATES)
  if (found.length === 0) return undefined
  if (found.length > 1) throw new StanzaError('bad-request', 'more than one chat state (XEP-0085 §5.6)')
  const name = found[0].getName()
  if (!STATES.has(name)) throw new StanzaError('bad-request', `unknown chat state <${name}/> (XEP-0085 §2)`)
  return name as ChatStateName
}

/** XEP-0085 §5.6: a standalone notification holds the state and, if threads are used, <thread/>. */
export function chatStateToStanza (stanza: ChatState): Element {
  const el = new Element('message', attrs({ type: 'chat', from: stanza.from, to: stanza.to, id: stanza.id }))
  el.c(stanza.state, { xmlns: NS_CHATSTATES })
  if (stanza.thread !== undefined) el.c('thread').t(stanza.thread)
  return el
}

export function chatStateFromStanza (el: Element): ChatState {
  const state = readChatState(el)
  if (state === undefined) throw new StanzaError('bad-request', 'a chat state notification without a state')
  return compact<ChatState>({
    kind: 'chatState',
    from: jidAttr(el, 'from'),
    to: jidAttr(el, 'to'),
    id: optionalId(el),
    state,
    thread: optionalChildText(el, 'thread', ThreadId)
  })
}
