// XEP-0045 Multi-User Chat: GridIM group sessions as rooms. Room and nick travel in the
// addresses exactly as on the wire (room@service/nick), so the mapping stays one-to-one.
import { Type, type Static } from '@sinclair/typebox'
import { FullJid, Jid } from './jid.ts'
import { Body, StanzaId, Text } from './common.ts'

/**
 * XEP-0045 §7.4 (occupant → room, `to` the bare room JID) and §7.4 reflection / delivery
 * (room → occupant, `from` room@service/nick, `to` the occupant's full JID). `id` is required:
 * it is the GridIM group message id receivers de-duplicate by.
 */
export const GroupchatMessage = Type.Object({
  kind: Type.Literal('groupchatMessage'),
  from: Jid,
  to: Jid,
  id: StanzaId,
  body: Body
}, { $id: 'urn:gridim:stanza:groupchat-message', additionalProperties: false })
export type GroupchatMessage = Static<typeof GroupchatMessage>

/**
 * XEP-0045 §7.2.1: presence to room@service/nick carrying <x xmlns='…/muc'/>; §7.2.15 the
 * optional <history maxstanzas=…/> limits the discussion history the room replays.
 */
export const MucJoin = Type.Object({
  kind: Type.Literal('mucJoin'),
  from: Jid,
  to: FullJid,
  id: Type.Optional(StanzaId),
  historyMaxStanzas: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 }))
}, { $id: 'urn:gridim:stanza:muc-join', additionalProperties: false })
export type MucJoin = Static<typeof MucJoin>

/** XEP-0045 §7.14: unavailable presence to room@service/nick, with an optional <status/>. */
export const MucLeave = Type.Object({
  kind: Type.Literal('mucLeave'),
  from: Jid,
  to: FullJid,
  id: Type.Optional(StanzaId),
  status: Type.Optional(Text)
}, { $id: 'urn:gridim:stanza:muc-leave', additionalProperties: false })
export type MucLeave = Static<typeof MucLeave>
