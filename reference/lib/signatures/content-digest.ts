// RFC 9530: Content-Digest, a Dictionary of algorithm → digest of the message content.
import { hash, timingSafeEqual } from 'node:crypto'
import type { HttpBody } from './http-message.ts'
import { parseDictionary } from './structured-field-parse.ts'

/**
 * RFC 9530 §5 (Hash Algorithms for HTTP Digest Fields registry): the algorithms with status
 * "Active". The deprecated ones (md5, sha, unixsum, ...) are treated like unknown ones.
 */
const ALGORITHMS = new Map([['sha-256', 'sha256'], ['sha-512', 'sha512']])

/**
 * RFC 9530 §2: the Content-Digest field value for body, using sha-256.
 * https://www.rfc-editor.org/rfc/rfc9530.html#section-2
 */
export function contentDigest (body: HttpBody): string {
  // crypto.hash: one call, no Hash object, and a string body is hashed as UTF-8 without first
  // being copied into a Buffer (issue 15: this runs for every signed request).
  return `sha-256=:${hash('sha256', body, 'base64')}:`
}

/** What a Content-Digest field says about a body. */
export type DigestCheck = 'ok' | 'malformed' | 'mismatch'

/**
 * RFC 9530 §2 with GridIM's profile (GRIDIM-SEC-2, GRIDIM-SEC-15): 'malformed' when field is not
 * a valid Dictionary, has no `sha-256` member (whatever else it carries), or an active algorithm's
 * member is not a Byte Sequence; 'mismatch' when an active algorithm's digest differs from the
 * body's; otherwise 'ok'. Unknown algorithms are ignored, as "a recipient ... MAY ignore any or
 * all digests" it does not support. `requireSha256: false` accepts any one active algorithm,
 * which plain RFC 9530 allows and GridIM does not (only for the `any-digest-algorithm` fault).
 */
export function checkContentDigest (field: string, body: HttpBody, requireSha256 = true): DigestCheck {
  const dictionary = parseDictionary(field)
  if (dictionary === undefined) return 'malformed'
  if (requireSha256 && !dictionary.has('sha-256')) return 'malformed'
  let checked = 0
  for (const [algorithm, member] of dictionary) {
    const name = ALGORITHMS.get(algorithm)
    if (name === undefined) continue
    if (member.kind !== 'item' || member.value.type !== 'binary') return 'malformed'
    const expected = hash(name, body, 'buffer')
    const given = member.value.value
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'mismatch'
    checked++
  }
  return checked > 0 ? 'ok' : 'malformed'
}

/** True when field carries a matching `sha-256` digest of body and no other digest that differs. */
export function verifyContentDigest (field: string, body: HttpBody): boolean {
  return checkContentDigest(field, body) === 'ok'
}
