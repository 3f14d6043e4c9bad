// IQ answers (RFC 6120 §8.2.3) and the IQs the c2s layer answers itself.
import { Element } from 'ltx'
import { errorToElement } from '../stanza/index.ts'
import type { StanzaErrorElement } from '../../../openapi/stanzas/index.ts'
import { NS_DISCO_INFO, NS_PING, NS_ROSTER } from './ns.ts'
import type { RosterItem } from './types.ts'

/** RFC 6120 §8.2.3: a result answering `iq`, from and to swapped. */
export function iqResult (iq: Element, from?: string): Element {
  const attrs: Record<string, string> = { type: 'result', id: iq.attrs.id }
  if (from !== undefined) attrs.from = from
  if (iq.attrs.from !== undefined) attrs.to = iq.attrs.from
  return new Element('iq', attrs)
}

/** RFC 6120 §8.3.1: an error stanza carries the original's id; from and to are swapped. */
export function errorReply (stanza: Element, error: StanzaErrorElement, from?: string): Element {
  const attrs: Record<string, string> = { type: 'error' }
  if (stanza.attrs.id !== undefined) attrs.id = stanza.attrs.id
  const replyFrom = stanza.attrs.to ?? from
  if (replyFrom !== undefined) attrs.from = replyFrom
  if (stanza.attrs.from !== undefined) attrs.to = stanza.attrs.from
  const reply = new Element(stanza.name, attrs)
  reply.cnode(errorToElement(error))
  return reply
}

/** RFC 6121 §2.1.4: the roster result, one <item/> per contact (GRIDIM-XMPP-13). */
export function rosterResult (iq: Element, items: RosterItem[]): Element {
  const result = iqResult(iq)
  const query = result.c('query', { xmlns: NS_ROSTER })
  for (const item of items) {
    const attrs: Record<string, string> = { jid: item.jid, subscription: item.subscription }
    if (item.name !== undefined) attrs.name = item.name
    const el = query.c('item', attrs)
    for (const group of item.groups ?? []) el.c('group').t(group)
  }
  return result
}

/** RFC 6121 §2.1.6: a roster push for one changed item (GRIDIM-XMPP-14). */
export function rosterPush (to: string, id: string, item: RosterItem): Element {
  const iq = new Element('iq', { type: 'set', id, to })
  const attrs: Record<string, string> = { jid: item.jid, subscription: item.subscription }
  if (item.name !== undefined) attrs.name = item.name
  iq.c('query', { xmlns: NS_ROSTER }).c('item', attrs)
  return iq
}

export function isRosterGet (iq: Element): boolean {
  return iq.attrs.type === 'get' && iq.getChild('query', NS_ROSTER) !== undefined
}

export function isPingTo (iq: Element, domain: string): boolean {
  return iq.attrs.type === 'get' && (iq.attrs.to === undefined || iq.attrs.to === domain) && iq.getChild('ping', NS_PING) !== undefined
}

/** XEP-0030 §3.1: the server's identity and the features the gateway offers. */
export function discoInfoResult (iq: Element, domain: string): Element | undefined {
  if (iq.attrs.type !== 'get' || iq.attrs.to !== domain || iq.getChild('query', NS_DISCO_INFO) === undefined) return undefined
  const result = iqResult(iq, domain)
  const query = result.c('query', { xmlns: NS_DISCO_INFO })
  query.c('identity', { category: 'server', type: 'im', name: 'GridIM gateway' })
  for (const feature of [NS_DISCO_INFO, NS_PING, NS_ROSTER]) query.c('feature', { var: feature })
  return result
}
