// RFC 6120 §8.2.3 <iq/>: the requests and answers an IM-only grid user's client exchanges with
// the gateway — its roster (RFC 6121 §2, GRIDIM-XMPP-13, -14) and a room's disco#info (XEP-0030
// §3.1, XEP-0045 §7.12, GRIDIM-XMPP-61). The gateway maps no grid operation to them one for one,
// so they are kept apart from the message and presence stanzas (`iqSchemas`, not `stanzaSchemas`).
import { Type, type Static } from '@sinclair/typebox'
import { BareJid, Jid } from './jid.ts'
import { StanzaId } from './common.ts'

/** RFC 6121 §2.1.2.5: a roster item's subscription state; `remove` only in a push (§2.1.6). */
export const RosterSubscription = Type.Union([
  Type.Literal('none'), Type.Literal('to'), Type.Literal('from'), Type.Literal('both')
], { description: 'The subscription state of a roster item (RFC 6121 §2.1.2.5).' })

const rosterItemMembers = {
  jid: BareJid,
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 1023 })),
  ask: Type.Optional(Type.Literal('subscribe')),
  groups: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 1023 })))
}

/** What a roster result and a roster push both carry: the iq's id and addresses, and the roster version (RFC 6121 §2.6). */
const rosterIqMembers = {
  id: StanzaId,
  from: Type.Optional(BareJid),
  to: Type.Optional(Jid),
  ver: Type.Optional(Type.String())
}

/** RFC 6121 §2.1.2: one contact; its `jid` is a bare JID (§2.1.2.2). */
export const RosterItem = Type.Object({ ...rosterItemMembers, subscription: RosterSubscription }, { additionalProperties: false })
export type RosterItem = Static<typeof RosterItem>

/**
 * RFC 6121 §2.1.4: the answer to a roster get, one item per contact. A roster is a set; the
 * runner reads its items in the order of their `jid`, so an expectation does not depend on the
 * order a server lists them in.
 */
export const RosterResult = Type.Object({
  kind: Type.Literal('rosterResult'),
  ...rosterIqMembers,
  items: Type.Array(RosterItem)
}, { $id: 'urn:gridim:stanza:roster-result', additionalProperties: false })
export type RosterResult = Static<typeof RosterResult>

/**
 * RFC 6121 §2.1.6: a roster push, exactly one item, `remove` when the contact is gone; from
 * the user's own bare JID or no one (§2.1.6: a client ignores a push from anyone else).
 */
export const RosterPush = Type.Object({
  kind: Type.Literal('rosterPush'),
  ...rosterIqMembers,
  item: Type.Object({ ...rosterItemMembers, subscription: Type.Union([RosterSubscription, Type.Literal('remove')]) }, { additionalProperties: false })
}, { $id: 'urn:gridim:stanza:roster-push', additionalProperties: false })
export type RosterPush = Static<typeof RosterPush>

/** XEP-0030 §3.1: a disco#info request, to an entity and optionally one of its nodes. */
export const DiscoInfoQuery = Type.Object({
  kind: Type.Literal('discoInfoQuery'),
  from: Type.Optional(Jid),
  to: Jid,
  id: Type.Optional(StanzaId),
  node: Type.Optional(Type.String({ minLength: 1 }))
}, { $id: 'urn:gridim:stanza:disco-info-query', additionalProperties: false })
export type DiscoInfoQuery = Static<typeof DiscoInfoQuery>

/** XEP-0030 §3.1: identity category and type are required; the name is optional. */
export const DiscoIdentity = Type.Object({
  category: Type.String({ minLength: 1 }),
  type: Type.String({ minLength: 1 }),
  name: Type.Optional(Type.String({ minLength: 1 }))
}, { additionalProperties: false })

/** XEP-0030 §3.1: the answer, echoing the node asked about, with at least one identity. */
export const DiscoInfoResult = Type.Object({
  kind: Type.Literal('discoInfoResult'),
  id: StanzaId,
  from: Jid,
  to: Type.Optional(Jid),
  node: Type.Optional(Type.String({ minLength: 1 })),
  identities: Type.Array(DiscoIdentity, { minItems: 1 }),
  features: Type.Array(Type.String({ minLength: 1 }))
}, { $id: 'urn:gridim:stanza:disco-info-result', additionalProperties: false })
export type DiscoInfoResult = Static<typeof DiscoInfoResult>
