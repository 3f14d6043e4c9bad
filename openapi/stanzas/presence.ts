// RFC 6121 §4: availability presence, GridIM's online/offline presence notices.
import { Type, type Static } from '@sinclair/typebox'
import { BareJid, Jid } from './jid.ts'
import { StanzaId, Text } from './common.ts'

/** RFC 6121 §4.7.2.1: the availability sub-states; absent means plain "available". */
export const Show = Type.Union([
  Type.Literal('away'), Type.Literal('chat'), Type.Literal('dnd'), Type.Literal('xa')
], { description: 'Availability sub-state (RFC 6121 §4.7.2.1).' })
export type Show = Static<typeof Show>

/**
 * RFC 6121 §4.2 and §4.4: presence with no type. Without `to` it is broadcast to the
 * sender's subscribers (§4.2.1); with `to` it is directed presence (§4.6).
 */
export const PresenceAvailable = Type.Object({
  kind: Type.Literal('presenceAvailable'),
  from: Jid,
  to: Type.Optional(Jid),
  id: Type.Optional(StanzaId),
  show: Type.Optional(Show),
  status: Type.Optional(Text),
  mucStatusCodes: Type.Optional(Type.Array(Type.String({ pattern: '^[1-9][0-9]{2}$' }), {
    minItems: 1,
    description: 'XEP-0045 §15.6: the codes of the <status/> elements in the <x xmlns=\'http://jabber.org/protocol/muc#user\'/> of an occupant\'s presence from a room (110: this is you, 210: the room set your nick, §7.2.3), in ascending order; XEP-0045 gives them none.'
  }))
}, { $id: 'urn:gridim:stanza:presence-available', additionalProperties: false })
export type PresenceAvailable = Static<typeof PresenceAvailable>

/** RFC 6121 §4.5: presence of type unavailable, broadcast (no `to`) or directed. */
export const PresenceUnavailable = Type.Object({
  kind: Type.Literal('presenceUnavailable'),
  from: Jid,
  to: Type.Optional(Jid),
  id: Type.Optional(StanzaId),
  status: Type.Optional(Text)
}, { $id: 'urn:gridim:stanza:presence-unavailable', additionalProperties: false })
export type PresenceUnavailable = Static<typeof PresenceUnavailable>

/** RFC 6121 §4.3: a server asks for a contact's current presence; addressed to a bare JID. */
export const PresenceProbe = Type.Object({
  kind: Type.Literal('presenceProbe'),
  from: Jid,
  to: BareJid,
  id: Type.Optional(StanzaId)
}, { $id: 'urn:gridim:stanza:presence-probe', additionalProperties: false })
export type PresenceProbe = Static<typeof PresenceProbe>
