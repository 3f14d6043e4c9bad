// Identifiers every role computes the same way (spec/protocol/02-identifiers.md): the version 5
// UUIDs of the GridIM namespace (GRIDIM-ID-10) and bare JIDs in the form GridIM compares.
import { createHash } from 'node:crypto'

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
