// GRIDIM-XMPP-60: a stanza from the Jabber server that names no user as its sender — the server
// itself or one of its services (`jabber.example`, `pubsub.jabber.example`) — has nobody on the
// grid to speak for. A message with something to deliver and an IQ that wants an answer get the
// error `service-unavailable` back (RFC 6120 §8.3.3.19, §8.2.3: every get or set is answered),
// rather than vanishing; presence and what is itself an error or a headline are not answered
// (RFC 6120 §8.3.1; RFC 6121 §8.5.2.1.1 lets a server drop those silently).
import type { Element } from 'ltx'
import { errorReply } from '../xmpp/c2s/index.ts'

/** The error to send back for `el`, or undefined when nothing is owed. */
export function answerToNonUser (el: Element, domain: string): Element | undefined {
  const type = el.attrs.type
  const owed = (el.name === 'message' && type !== 'error' && type !== 'headline' && el.getChild('body') !== undefined) ||
    (el.name === 'iq' && (type === 'get' || type === 'set'))
  if (!owed) return undefined
  return errorReply(el, { type: 'cancel', condition: 'service-unavailable', text: 'the grid has no user for this sender: only users of a Jabber server reach grid users (GRIDIM-XMPP-60)' }, domain)
}
