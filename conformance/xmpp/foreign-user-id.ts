// GRIDIM-ID-10, computed by the runner from the spec's own words rather than taken from the
// implementation under test: a foreign user's id is the version 5 UUID (RFC 9562 §5.5) of the
// GridIM namespace and the normalised bare JID.
import { createHash } from 'node:crypto'

export const GRIDIM_NAMESPACE = '99ab8320-3303-4fe5-80ff-021291d9f3a4'

/** Without resource, NFC, lower-cased: RFC 7622's PRECIS preparation for ASCII JIDs. */
export function normaliseBareJid (jid: string): string {
  return jid.split('/')[0]!.normalize('NFC').toLowerCase()
}

export function foreignUserId (jid: string): string {
  const hash = createHash('sha1').update(Buffer.from(GRIDIM_NAMESPACE.replace(/-/g, ''), 'hex')).update(normaliseBareJid(jid), 'utf8').digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** GRIDIM-ID-8: `Ada Lovelace` is `ada.lovelace@<gateway domain>`. */
export function gridUserJid (firstName: string, lastName: string, domain: string): string {
  return `${firstName}.${lastName}@${domain}`.toLowerCase()
}
