// RFC 9530: Content-Digest, a Dictionary of algorithm → digest of the message content.
import { createHash, timingSafeEqual } from 'node:crypto'
import { bodyBytes, type HttpBody } from './http-message.ts'
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
  return `sha-256=:${createHash('sha256').update(bodyBytes(body)).digest('base64')}:`
}

/**
 * RFC 9530 §2: true when field is a valid Dictionary, carries at least one active algorithm,
 * and every active algorithm's digest matches body. Unknown algorithms are ignored, as
 * "a recipient ... MAY ignore any or all digests" it does not support.
 */
export function verifyContentDigest (field: string, body: HttpBody): boolean {
  const dictionary = parseDictionary(field)
  if (dictionary === undefined) return false
  const bytes = bodyBytes(body)
  let checked = 0
  for (const [algorithm, member] of dictionary) {
    const hash = ALGORITHMS.get(algorithm)
    if (hash === undefined) continue
    if (member.kind !== 'item' || member.value.type !== 'binary') return false
    const expected = createHash(hash).update(bytes).digest()
    const given = member.value.value
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false
    checked++
  }
  return checked > 0
}
