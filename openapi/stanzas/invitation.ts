// Invitations to a room: mediated through the room (XEP-0045 §7.8.2) or sent directly
// (XEP-0249). GridIM's groupSessionInvitation notice becomes one of these.
import { Type, type Static } from '@sinclair/typebox'
import { BareJid, Jid } from './jid.ts'
import { StanzaId, Text } from './common.ts'

/**
 * XEP-0045 §7.8.2, first step: the inviter asks the room to invite someone,
 * <x xmlns='…/muc#user'><invite to='invitee'><reason/></invite></x>, addressed to the bare room.
 */
export const MucInvite = Type.Object({
  kind: Type.Literal('mucInvite'),
  from: Jid,
  to: BareJid,
  id: Type.Optional(StanzaId),
  invitee: Jid,
  reason: Type.Optional(Text)
}, { $id: 'urn:gridim:stanza:muc-invite', additionalProperties: false })
export type MucInvite = Static<typeof MucInvite>

/**
 * XEP-0045 §7.8.2, second step: the room passes the invitation on from its bare JID, naming the
 * inviter in <invite from='…'/>.
 */
export const MucInvitation = Type.Object({
  kind: Type.Literal('mucInvitation'),
  from: BareJid,
  to: Jid,
  id: Type.Optional(StanzaId),
  inviter: Jid,
  reason: Type.Optional(Text)
}, { $id: 'urn:gridim:stanza:muc-invitation', additionalProperties: false })
export type MucInvitation = Static<typeof MucInvitation>

/** XEP-0249 §2: <x xmlns='jabber:x:conference' jid='room' reason='…'/> sent straight to the invitee. */
export const DirectInvitation = Type.Object({
  kind: Type.Literal('directInvitation'),
  from: Jid,
  to: Jid,
  id: Type.Optional(StanzaId),
  room: BareJid,
  reason: Type.Optional(Text)
}, { $id: 'urn:gridim:stanza:direct-invitation', additionalProperties: false })
export type DirectInvitation = Static<typeof DirectInvitation>
