// Reading an <iq/> element as one named schema of openapi/stanzas/iq.ts, as read-as.ts does for
// messages and presence: a gate (the iq type and the payload's namespace, RFC 6120 §8.2.3, RFC
// 6121 §2, XEP-0030 §3.1) that makes an element one of its kind, and a reader that gives the JSON
// form, which the schema then judges. Readers do not refuse: a malformed answer reads as an
// object that breaks its schema, so the problem names the schema and the member.
import type { Static } from '@sinclair/typebox'
import { Element } from 'ltx'
import type { iqSchemas } from '../../openapi/stanzas/index.ts'

export type IqName = keyof typeof iqSchemas
export type IqOf<N extends IqName> = Static<(typeof iqSchemas)[N]>

export const NS_ROSTER = 'jabber:iq:roster'
export const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info'

const iqWith = (type: string, ns: string) => (el: Element): boolean =>
  el.name === 'iq' && el.attrs.type === type && el.getChild('query', ns) !== undefined

const GATES: Record<IqName, (el: Element) => boolean> = {
  'roster-result': iqWith('result', NS_ROSTER),
  'roster-push': iqWith('set', NS_ROSTER),
  'disco-info-query': iqWith('get', NS_DISCO_INFO),
  'disco-info-result': iqWith('result', NS_DISCO_INFO)
}

/** Only the attributes present, as strings (a missing one stays missing, for the schema to judge). */
function attrs (el: Element, ...names: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of names) if (typeof el.attrs[name] === 'string') out[name] = el.attrs[name] as string
  return out
}

function rosterItem (item: Element): Record<string, unknown> {
  const groups = item.getChildren('group').map((g) => g.getText())
  return { ...attrs(item, 'jid', 'name', 'subscription', 'ask'), ...(groups.length > 0 ? { groups } : {}) }
}

const READERS: { [N in IqName]: (el: Element) => unknown } = {
  'roster-result': (el) => {
    const query = el.getChild('query', NS_ROSTER)!
    // A roster is a set (RFC 6121 §2.1.4 names no order): read in the order of the items' jid.
    const items = query.getChildren('item').map(rosterItem).sort((a, b) => String(a.jid).localeCompare(String(b.jid)))
    return { kind: 'rosterResult', ...attrs(el, 'id', 'from', 'to'), ...attrs(query, 'ver'), items }
  },
  'roster-push': (el) => {
    const query = el.getChild('query', NS_ROSTER)!
    const items = query.getChildren('item')
    // RFC 6121 §2.1.6: exactly one item; several (or none) read as a list that breaks the schema.
    return { kind: 'rosterPush', ...attrs(el, 'id', 'from', 'to'), ...attrs(query, 'ver'), item: items.length === 1 ? rosterItem(items[0]!) : items.map(rosterItem) }
  },
  'disco-info-query': (el) => ({ kind: 'discoInfoQuery', ...attrs(el, 'id', 'from', 'to'), ...attrs(el.getChild('query', NS_DISCO_INFO)!, 'node') }),
  'disco-info-result': (el) => {
    const query = el.getChild('query', NS_DISCO_INFO)!
    return {
      kind: 'discoInfoResult',
      ...attrs(el, 'id', 'from', 'to'),
      ...attrs(query, 'node'),
      identities: query.getChildren('identity').map((i) => attrs(i, 'category', 'type', 'name')),
      features: query.getChildren('feature').map((f) => String(f.attrs.var ?? ''))
    }
  }
}

export const IQ_NAMES = Object.keys(GATES) as IqName[]

export function isIqName (name: string): name is IqName {
  return Object.hasOwn(GATES, name)
}

/** The iq schema an element is meant to be, if any. */
export function iqSchemaOf (el: Element): IqName | undefined {
  return IQ_NAMES.find((name) => GATES[name](el))
}

export function isMeantAsIq (name: IqName, el: Element): boolean {
  return GATES[name](el)
}

/** The JSON form of an element meant as `name`; the schema says whether it is a good one. */
export function readIq (name: IqName, el: Element): unknown {
  return READERS[name](el)
}

/** The requests a client sends: a disco#info query built from its JSON form (XEP-0030 §3.1). */
export function buildIq (name: IqName, query: Record<string, unknown>): Element {
  if (name !== 'disco-info-query') throw new Error(`${name} is an answer or a push, which only a server sends; a client sends disco-info-query`)
  const iq = new Element('iq', { type: 'get', to: String(query.to), id: String(query.id) })
  iq.c('query', { xmlns: NS_DISCO_INFO, ...(query.node === undefined ? {} : { node: String(query.node) }) })
  return iq
}
