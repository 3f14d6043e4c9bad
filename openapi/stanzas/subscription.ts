// RFC 6121 §3: presence subscriptions, the XMPP form of GridIM friendships. RFC 6121 §3.1.2
// says servers stamp subscription stanzas with bare JIDs, so both ends are bare here.
import { Type, type Static } from '@sinclair/typebox'
import { BareJid } from './jid.ts'
import { StanzaId, Text } from './common.ts'

/** RFC 6121 §3.1.1: a subscription request; GridIM offerFriendship, the <status/> its message. */
export const PresenceSubscribe = Type.Object({
  kind: Type.Literal('presenceSubscribe'),
  from: BareJid,
  to: BareJid,
  id: Type.Optional(StanzaId),
  status: Type.Optional(Text),
  /** XEP-0172 §4.2: the requester's name, `<nick xmlns='http://jabber.org/protocol/nick'/>` (GRIDIM-XMPP-62). */
  nick: Type.Optional(Text)
}, { $id: 'urn:gridim:stanza:presence-subscribe', additionalProperties: false })
export type PresenceSubscribe = Static<typeof PresenceSubscribe>

/** RFC 6121 §3.1.4: the contact approves; GridIM acceptFriendshipOffer. */
export const PresenceSubscribed = Type.Object({
  kind: Type.Literal('presenceSubscribed'),
  from: BareJid,
  to: BareJid,
  id: Type.Optional(StanzaId)
}, { $id: 'urn:gridim:stanza:presence-subscribed', additionalProperties: false })
export type PresenceSubscribed = Static<typeof PresenceSubscribed>

/** RFC 6121 §3.3.1: the user cancels its subscription to the contact. */
export const PresenceUnsubscribe = Type.Object({
  kind: Type.Literal('presenceUnsubscribe'),
  from: BareJid,
  to: BareJid,
  id: Type.Optional(StanzaId)
}, { $id: 'urn:gridim:stanza:presence-unsubscribe', additionalProperties: false })
export type PresenceUnsubscribe = Static<typeof PresenceUnsubscribe>

/** RFC 6121 §3.2.1: the contact cancels a subscription; §3.1.4: or declines a request. */
export const PresenceUnsubscribed = Type.Object({
  kind: Type.Literal('presenceUnsubscribed'),
  from: BareJid,
  to: BareJid,
  id: Type.Optional(StanzaId)
}, { $id: 'urn:gridim:stanza:presence-unsubscribed', additionalProperties: false })
export type PresenceUnsubscribed = Static<typeof PresenceUnsubscribed>
