// RFC 6121 §3: presence subscriptions, the XMPP form of GridIM friendships.
import { Element } from 'ltx'
import {
  BareJid, type PresenceSubscribe, type PresenceSubscribed, type PresenceUnsubscribe, type PresenceUnsubscribed
} from '../../../openapi/stanzas/index.ts'
import { bareJid, checkJid } from './jid.ts'
import { attrs, compact, jidAttr, optionalChildText, optionalId } from './read.ts'

export type Subscription = PresenceSubscribe | PresenceSubscribed | PresenceUnsubscribe | PresenceUnsubscribed
/** XEP-0172: user nickname. */
export const NS_NICK = 'http://jabber.org/protocol/nick'

export type SubscriptionType = 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed'

const TYPE_OF_KIND: Record<Subscription['kind'], SubscriptionType> = {
  presenceSubscribe: 'subscribe',
  presenceSubscribed: 'subscribed',
  presenceUnsubscribe: 'unsubscribe',
  presenceUnsubscribed: 'unsubscribed'
}

const KIND_OF_TYPE: Record<SubscriptionType, Subscription['kind']> = {
  subscribe: 'presenceSubscribe',
  subscribed: 'presenceSubscribed',
  unsubscribe: 'presenceUnsubscribe',
  unsubscribed: 'presenceUnsubscribed'
}

export function isSubscriptionType (type: unknown): type is SubscriptionType {
  return typeof type === 'string' && Object.hasOwn(KIND_OF_TYPE, type)
}

/** RFC 6121 §3.1.1: a subscription request MAY carry a <status/>, GridIM's offer message. */
export function subscriptionToStanza (stanza: Subscription): Element {
  const el = new Element('presence', attrs({ type: TYPE_OF_KIND[stanza.kind], from: stanza.from, to: stanza.to, id: stanza.id }))
  if (stanza.kind === 'presenceSubscribe' && stanza.status !== undefined) el.c('status').t(stanza.status)
  // XEP-0172 §4.2: a subscription request SHOULD carry the requester's nick (GRIDIM-XMPP-62).
  if (stanza.kind === 'presenceSubscribe' && stanza.nick !== undefined) el.c('nick', { xmlns: NS_NICK }).t(stanza.nick)
  return el
}

/**
 * RFC 6121 §3.1.2: the user's server "MUST stamp the outbound subscription request with the bare
 * JID <user@domainpart> of the user", and the contact is addressed by bare JID (§3.1.1); any
 * resource a peer left on is dropped here.
 */
export function subscriptionFromStanza (el: Element, type: SubscriptionType): Subscription {
  const from = checkJid(bareJid(jidAttr(el, 'from')), BareJid)
  const to = checkJid(bareJid(jidAttr(el, 'to')), BareJid)
  const id = optionalId(el)
  const kind = KIND_OF_TYPE[type]
  if (kind === 'presenceSubscribe') {
    const nick = el.getChildText('nick', NS_NICK) ?? undefined
    return compact<PresenceSubscribe>({ kind, from, to, id, status: optionalChildText(el, 'status'), nick: nick === '' ? undefined : nick })
  }
  return compact<Subscription>({ kind, from, to, id })
}
