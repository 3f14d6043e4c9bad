// XMPP addresses as the stanza mapping needs them: checked against the contract's patterns plus
// RFC 7622 §3.1's byte limits, split into bare part and resource. No PRECIS preparation.
import type { TString } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { Jid } from '../../../openapi/stanzas/index.ts'
import { StanzaError } from './xmpp-error.ts'

const MAX_PART_BYTES = 1023

/** RFC 7622 §3.1: the part before the first '/', and the resourcepart after it (if any). */
function split (jid: string): { bare: string, resource?: string } {
  const slash = jid.indexOf('/')
  return slash === -1 ? { bare: jid } : { bare: jid.slice(0, slash), resource: jid.slice(slash + 1) }
}

export function bareJid (jid: string): string {
  return split(jid).bare
}

export function resourceOf (jid: string): string | undefined {
  return split(jid).resource
}

export function isFullJid (jid: string): boolean {
  return split(jid).resource !== undefined
}

/**
 * RFC 7622 §3.1: "each allowable portion of a JID MUST NOT be more than 1023 bytes in length".
 * RFC 6120 §8.3.3.8: an address that does not conform gets <jid-malformed/>.
 */
export function checkJid (value: string, schema: TString = Jid): string {
  const { bare, resource } = split(value)
  const at = bare.indexOf('@')
  const parts = [at === -1 ? bare : bare.slice(0, at), at === -1 ? '' : bare.slice(at + 1), resource ?? '']
  const tooLong = parts.some((part) => Buffer.byteLength(part, 'utf8') > MAX_PART_BYTES)
  if (tooLong || !Value.Check(schema, value)) throw new StanzaError('jid-malformed', `not a valid address: ${value.slice(0, 64)}`)
  return value
}
