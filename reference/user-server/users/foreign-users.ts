// Foreign users (spec/protocol/02-identifiers.md): XMPP entities of outside Jabber servers, such as
// user D of the proposal. They have no password and no region; their id is derived from the bare
// JID so that every party computes the same one (GRIDIM-ID-10).
//
// The store knows only accounts with a first and a last name, so a foreign user is kept as an
// account whose first name is the bare JID, whose last name is empty (a grid user's never is:
// 1–31 characters) and whose password hash is empty, which no password verifies against.
import { createHash } from 'node:crypto'
import type { Store, UserRow } from '../../store/index.ts'

/** GRIDIM-ID-10: the GridIM namespace for version 5 UUIDs. */
export const GRIDIM_NAMESPACE = '99ab8320-3303-4fe5-80ff-021291d9f3a4'

/** RFC 9562 §5.5: SHA-1 of namespace and name, with version 5 and the RFC 9562 variant. */
export function uuidV5 (name: string, namespace = GRIDIM_NAMESPACE): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * A bare JID in the form GridIM compares: without resource, NFC, lower-cased. (RFC 7622's
 * PRECIS profiles do more; for the ASCII JIDs of practice this is the same.)
 */
export function normaliseBareJid (jid: string): string {
  return jid.split('/')[0]!.normalize('NFC').toLowerCase()
}

export function foreignUserId (jid: string): string {
  return uuidV5(normaliseBareJid(jid))
}

export function isForeignUser (user: Pick<UserRow, 'lastName'>): boolean {
  return user.lastName === ''
}

/** GRIDIM-ID-11: the foreign user of a JID, recorded on first use. */
export function foreignUser (store: Store, jid: string, now: number): UserRow {
  const bare = normaliseBareJid(jid)
  const userId = uuidV5(bare)
  const existing = store.getUser(userId)
  if (existing !== null) return existing
  const row: UserRow = { userId, firstName: bare, lastName: '', passwordHash: '', passwordSalt: '', createdAt: now }
  store.createUser(row)
  return store.getUser(userId) ?? row
}

/** A JID at the gateway domain names the grid user `first.last` (GRIDIM-ID-9), or nobody. */
export function gridUserOfJid (store: Store, jid: string, gatewayDomain: string): UserRow | null {
  const [local, domain] = normaliseBareJid(jid).split('@') as [string, string]
  if (domain !== gatewayDomain.toLowerCase()) return null
  const parts = local.split('.')
  if (parts.length !== 2 || parts.some((p) => !/^[a-z0-9]{1,31}$/.test(p))) return null
  return store.findUserByName(parts[0]!, parts[1]!)
}
