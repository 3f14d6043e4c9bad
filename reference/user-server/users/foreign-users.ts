// Foreign users (spec/protocol/02-identifiers.md): XMPP entities of outside Jabber servers, such as
// user D of the proposal. They have no password and no region; their id is derived from the bare
// JID so that every party computes the same one (GRIDIM-ID-10).
//
// The store knows only accounts with a first and a last name, so a foreign user is kept as an
// account whose first name is the bare JID, whose last name is empty (a grid user's never is:
// 1–31 characters) and whose password hash is empty, which no password verifies against.
import type { Store, UserRow } from '../../store/index.ts'
import { normaliseBareJid, uuidV5 } from '../../lib/identifiers/index.ts'

export { foreignUserId, GRIDIM_NAMESPACE, normaliseBareJid, uuidV5 } from '../../lib/identifiers/index.ts'

export function isForeignUser (user: Pick<UserRow, 'lastName'>): boolean {
  return user.lastName === ''
}

/** GRIDIM-ID-11: the foreign user of a JID, recorded on first use. */
export async function foreignUser (store: Store, jid: string, now: number): Promise<UserRow> {
  const bare = normaliseBareJid(jid)
  const userId = uuidV5(bare)
  const existing = await store.getUser(userId)
  if (existing !== null) return existing
  const row: UserRow = { userId, firstName: bare, lastName: '', passwordHash: '', passwordSalt: '', createdAt: now }
  await store.createUser(row)
  return await store.getUser(userId) ?? row
}

/** A JID at the gateway domain names the grid user `first.last` (GRIDIM-ID-9), or nobody. */
export async function gridUserOfJid (store: Store, jid: string, gatewayDomain: string): Promise<UserRow | null> {
  const [local, domain] = normaliseBareJid(jid).split('@') as [string, string]
  if (domain !== gatewayDomain.toLowerCase()) return null
  const parts = local.split('.')
  if (parts.length !== 2 || parts.some((p) => !/^[a-z0-9]{1,31}$/.test(p))) return null
  return await store.findUserByName(parts[0]!, parts[1]!)
}
