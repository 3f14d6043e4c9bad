// XEP-0199 (https://xmpp.org/extensions/xep-0199.html): the ping the link uses to prove it is
// alive (GRIDIM-XMPP-2) and that the server has taken every stanza written before it
// (GRIDIM-XMPP-4: the server handles a stream's stanzas in order, RFC 6120 §10.1).
import { Element } from 'ltx'

export const NS_PING = 'urn:xmpp:ping'

/** XEP-0199 §4.2 (component-to-server ping): an iq get with an empty <ping/>. */
export function pingIq (id: string, from: string, to: string): Element {
  return new Element('iq', { type: 'get', id, from, to }).c('ping', { xmlns: NS_PING }).up()
}

export function isPing (el: Element): boolean {
  return el.name === 'iq' && el.attrs.type === 'get' && el.getChild('ping', NS_PING) !== undefined
}

/** XEP-0199 §4.2: "the server MUST respond with an IQ result" (or an error if it does not support ping). */
export function pongFor (ping: Element): Element {
  return new Element('iq', { type: 'result', id: ping.attrs.id, from: ping.attrs.to, to: ping.attrs.from })
}

export function isAnswerTo (el: Element, id: string): boolean {
  return el.name === 'iq' && (el.attrs.type === 'result' || el.attrs.type === 'error') && el.attrs.id === id
}
