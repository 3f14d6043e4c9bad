// XMPP addresses (RFC 7622). The patterns check the shape and the characters each part may not
// contain; they count characters, so they are a necessary bound: RFC 7622 §3.1 limits each part
// to 1023 *bytes* of UTF-8, which the reference implementation checks as well. PRECIS
// enforcement (RFC 7622 §3.2–3.4, RFC 8264) is out of scope for a schema.
import { Type, type Static } from '@sinclair/typebox'

const CONTROL = '\\u0000-\\u001f\\u007f'
/** RFC 7622 §3.3.1: a localpart never contains " & ' / : < > @ or spaces. */
const LOCAL = `[^"&'/:<>@\\s${CONTROL}]{1,1023}`
/** RFC 7622 §3.2: a domainpart has no @ or /; spaces are never part of a host name. */
const DOMAIN = `[^@/\\s${CONTROL}]{1,1023}`
/** RFC 7622 §3.4: a resourcepart is any text after the first /, without control characters. */
const RESOURCE = `[^${CONTROL}]{1,1023}`

/** Three parts of at most 1023 characters, an @ and a /. */
const MAX_JID = 3 * 1023 + 2

/** RFC 7622 §3.1: `[ localpart "@" ] domainpart [ "/" resourcepart ]`. */
export const Jid = Type.String({
  pattern: `^(?:${LOCAL}@)?${DOMAIN}(?:/${RESOURCE})?$`,
  maxLength: MAX_JID,
  description: 'An XMPP address, localpart@domainpart/resourcepart (RFC 7622 §3.1).'
})
export type Jid = Static<typeof Jid>

/** RFC 6120 §1.4: a bare JID has no resourcepart (a user account, a MUC room). */
export const BareJid = Type.String({
  pattern: `^(?:${LOCAL}@)?${DOMAIN}$`,
  maxLength: 2 * 1023 + 1,
  description: 'An XMPP address without a resourcepart (RFC 6120 §1.4).'
})
export type BareJid = Static<typeof BareJid>

/** RFC 6120 §1.4: a full JID has a resourcepart (a connected client, a MUC occupant room/nick). */
export const FullJid = Type.String({
  pattern: `^(?:${LOCAL}@)?${DOMAIN}/${RESOURCE}$`,
  maxLength: MAX_JID,
  description: 'An XMPP address with a resourcepart, e.g. a room occupant room@service/nick (RFC 6120 §1.4).'
})
export type FullJid = Static<typeof FullJid>
