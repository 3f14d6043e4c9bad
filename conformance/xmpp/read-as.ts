// Reading a stanza element as one named schema of openapi/stanzas, with the reference mapping
// (reference/xmpp/stanza). Each schema has a gate — the element name, type and marker children
// that make a stanza one of its kind, as RFC 6120/6121 and the XEPs define them — and a reader
// that raises the StanzaError of whatever breaks the schema. The gate says "this is meant to be
// a chat-message"; the reader says whether it is a good one.
import type { Static } from '@sinclair/typebox'
import type { Element } from 'ltx'
import type { Stanza, stanzaSchemas } from '../../openapi/stanzas/index.ts'
import {
  chatMessageFromStanza, chatStateFromStanza, directInvitationFromStanza, findInvites, groupchatMessageFromStanza,
  isMucJoin, isMucLeave, mediatedInvitationFromStanza, messageErrorFromStanza, mucJoinFromStanza, mucLeaveFromStanza,
  NS_CHATSTATES, NS_CONFERENCE, presenceAvailableFromStanza, presenceErrorFromStanza, presenceProbeFromStanza,
  presenceUnavailableFromStanza, StanzaError, subscriptionFromStanza
} from '../../reference/xmpp/stanza/index.ts'
import { contentChild } from '../../reference/xmpp/stanza/read.ts'

export type StanzaName = Exclude<keyof typeof stanzaSchemas, 'stanza-error'>
/** The JSON form of a `name` stanza: its TypeBox schema's static type. */
export type StanzaOf<N extends StanzaName> = Static<(typeof stanzaSchemas)[N]>
/** Which way a stanza went, seen from the XMPP user's client. */
export type Direction = 'sent' | 'received'

type Gate = (el: Element, direction: Direction) => boolean

/** RFC 6121 §5.2.2: no type means normal, which GridIM reads as chat. */
const messageOf = (...types: string[]): Gate => (el) => el.name === 'message' && types.includes(el.attrs.type ?? 'normal')
const presenceOf = (type: string | undefined): Gate => (el) => el.name === 'presence' && el.attrs.type === type
const hasBody = (el: Element): boolean => contentChild(el, 'body') !== undefined
const hasChatState = (el: Element): boolean => el.getChildElements().some((c) => c.getNS() === NS_CHATSTATES)
const hasDirectInvitation = (el: Element): boolean => el.getChild('x', NS_CONFERENCE) !== undefined
const invite = (el: Element, attr: 'to' | 'from'): boolean => findInvites(el).some((i) => i.attrs[attr] !== undefined)
const plainChat = (el: Element): boolean => messageOf('chat', 'normal')(el, 'sent') && findInvites(el).length === 0 && !hasDirectInvitation(el)
/** XEP-0045 §7.14: leaving is unavailable presence to room/nick; a client never receives one. */
const leaving = (el: Element, direction: Direction): boolean => direction === 'sent' && isMucLeave(el)

const GATES: Record<StanzaName, Gate> = {
  'chat-message': (el) => plainChat(el) && hasBody(el),
  'chat-state': (el) => plainChat(el) && !hasBody(el) && hasChatState(el),
  // XEP-0045 §7.2.15/§8.1: a groupchat without a body is history or a subject, not a message.
  'groupchat-message': (el) => messageOf('groupchat')(el, 'sent') && hasBody(el),
  'message-error': messageOf('error'),
  'muc-invite': (el) => messageOf('chat', 'normal')(el, 'sent') && invite(el, 'to'),
  'muc-invitation': (el) => messageOf('chat', 'normal')(el, 'sent') && invite(el, 'from'),
  'direct-invitation': (el) => messageOf('chat', 'normal')(el, 'sent') && findInvites(el).length === 0 && hasDirectInvitation(el),
  'presence-available': (el, d) => presenceOf(undefined)(el, d) && !(d === 'sent' && isMucJoin(el)),
  'muc-join': (el, d) => presenceOf(undefined)(el, d) && d === 'sent' && isMucJoin(el),
  'presence-unavailable': (el, d) => presenceOf('unavailable')(el, d) && !leaving(el, d),
  'muc-leave': (el, d) => presenceOf('unavailable')(el, d) && leaving(el, d),
  'presence-probe': presenceOf('probe'),
  'presence-subscribe': presenceOf('subscribe'),
  'presence-subscribed': presenceOf('subscribed'),
  'presence-unsubscribe': presenceOf('unsubscribe'),
  'presence-unsubscribed': presenceOf('unsubscribed'),
  'presence-error': presenceOf('error')
}

/**
 * The mapping reads some elements as one of several kinds (a mediated invitation, a
 * subscription); one that reads as another kind than the schema asked for breaks that schema.
 */
function ofKind<K extends Stanza['kind']> (kind: K, stanza: Stanza): Extract<Stanza, { kind: K }> {
  if (stanza.kind !== kind) throw new StanzaError('bad-request', `it reads as ${stanza.kind}, not ${kind}`)
  // What the check above established; TypeScript does not narrow a union by a generic kind.
  return stanza as Extract<Stanza, { kind: K }>
}

const READERS: { [N in StanzaName]: (el: Element) => StanzaOf<N> } = {
  'chat-message': chatMessageFromStanza,
  'chat-state': chatStateFromStanza,
  'groupchat-message': groupchatMessageFromStanza,
  'message-error': messageErrorFromStanza,
  'muc-invite': (el) => ofKind('mucInvite', mediatedInvitationFromStanza(el)),
  'muc-invitation': (el) => ofKind('mucInvitation', mediatedInvitationFromStanza(el)),
  'direct-invitation': directInvitationFromStanza,
  'presence-available': presenceAvailableFromStanza,
  'muc-join': mucJoinFromStanza,
  'presence-unavailable': presenceUnavailableFromStanza,
  'muc-leave': mucLeaveFromStanza,
  'presence-probe': presenceProbeFromStanza,
  'presence-subscribe': (el) => ofKind('presenceSubscribe', subscriptionFromStanza(el, 'subscribe')),
  'presence-subscribed': (el) => ofKind('presenceSubscribed', subscriptionFromStanza(el, 'subscribed')),
  'presence-unsubscribe': (el) => ofKind('presenceUnsubscribe', subscriptionFromStanza(el, 'unsubscribe')),
  'presence-unsubscribed': (el) => ofKind('presenceUnsubscribed', subscriptionFromStanza(el, 'unsubscribed')),
  'presence-error': presenceErrorFromStanza
}

export const STANZA_NAMES = Object.keys(GATES) as StanzaName[]

export function isStanzaName (name: string): name is StanzaName {
  return Object.hasOwn(GATES, name)
}

/** The schema a stanza is meant to be, or undefined when none applies (IQs, headlines, receipts…). */
export function schemaOf (el: Element, direction: Direction): StanzaName | undefined {
  return STANZA_NAMES.find((name) => GATES[name](el, direction))
}

/** Whether the element is meant to be a `name` stanza. */
export function isMeantAs (name: StanzaName, el: Element, direction: Direction): boolean {
  return GATES[name](el, direction)
}

/** The object of schema `name`; throws the reference mapping's StanzaError when the element breaks it. */
export function readAs<N extends StanzaName> (name: N, el: Element): StanzaOf<N> {
  return READERS[name](el)
}
