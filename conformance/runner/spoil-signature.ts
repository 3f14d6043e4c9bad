// The ways a broken but ordinary peer gets GridIM's signature profile wrong (chapter 12): it
// signs correctly by RFC 9421 and RFC 9530, but leaves out what GridIM requires or picks what
// GridIM forbids. Each spoil makes a signature the way such a peer would, with the runner's
// own key, so that the only thing wrong with the request is the one rule it breaks.
import { createHash, randomBytes, type KeyObject } from 'node:crypto'
import { ALG, contentDigest, signatureBase, signBase } from '../../reference/lib/signatures/index.ts'
import { binary, integer, item, string, type InnerList, type Parameters } from '../../reference/lib/signatures/structured-field.ts'
import { serializeDictionary } from '../../reference/lib/signatures/structured-field-serialize.ts'

export const PROFILE_SPOILS = ['sha-512-digest', 'no-alg', 'no-nonce', 'no-created', 'short-nonce', 'long-nonce', 'uncovered-digest', 'other-host'] as const
export type ProfileSpoil = typeof PROFILE_SPOILS[number]

/** RFC 3986 authority of a host nobody serves, for `other-host` (GRIDIM-SEC-4). */
export const OTHER_HOST = 'evil.example:1'

export type SpoiltRequest = {
  /** The URL the signature covers (for `other-host`, the same path on OTHER_HOST). */
  signedUrl: string
  headers: Record<string, string>
}

/** RFC 9530 §2: a Content-Digest that a peer preferring sha-512 sends (valid RFC 9530, not GridIM). */
function sha512Digest (body: Buffer): string {
  return `sha-512=:${createHash('sha512').update(body).digest('base64')}:`
}

/** GRIDIM-SEC-16: 22 to 128 base64url characters. */
export const LONG_NONCE_LENGTH = 129

/** The nonce a spoil signs with: 128 random bits as base64url, unless the spoil is the nonce's length. */
export function nonceFor (spoil: ProfileSpoil): string {
  if (spoil === 'short-nonce') return 'x'
  // 97 random bytes are 130 base64url characters: every one of the 129 kept is random.
  if (spoil === 'long-nonce') return randomBytes(97).toString('base64url').slice(0, LONG_NONCE_LENGTH)
  return randomBytes(16).toString('base64url')
}

/**
 * A request signed by `keyId`'s `privateKey` with one rule of the GridIM profile broken:
 * - `sha-512-digest`: the Content-Digest holds sha-512 only (GRIDIM-SEC-2, GRIDIM-SEC-15);
 * - `no-alg`, `no-nonce`, `no-created`: that parameter left out (GRIDIM-SEC-17);
 * - `short-nonce`: a one-character nonce (GRIDIM-SEC-16);
 * - `long-nonce`: a random base64url nonce of 129 characters, one over the limit (GRIDIM-SEC-16);
 * - `uncovered-digest`: a body whose Content-Digest the signature does not cover (GRIDIM-SEC-17);
 * - `other-host`: signed for the same path on another host, and sent naming that host (GRIDIM-SEC-4).
 */
export function spoilSignature (spoil: ProfileSpoil, request: { method: string, url: string, headers: Record<string, string>, body?: Buffer },
  signer: { keyId: string, privateKey: KeyObject }): SpoiltRequest {
  const { method, body } = request
  const url = new URL(request.url)
  if (spoil === 'other-host') url.host = OTHER_HOST
  const signedUrl = url.href
  const headers: Record<string, string> = { ...request.headers }
  if (body !== undefined) headers['content-digest'] = spoil === 'sha-512-digest' ? sha512Digest(body) : contentDigest(body)
  if (spoil === 'other-host') headers.host = OTHER_HOST

  const components = body === undefined || spoil === 'uncovered-digest' ? ['@method', '@target-uri'] : ['@method', '@target-uri', 'content-digest']
  const params: Parameters = new Map()
  if (spoil !== 'no-created') params.set('created', integer(Math.floor(Date.now() / 1000)))
  params.set('keyid', string(signer.keyId))
  if (spoil !== 'no-nonce') params.set('nonce', string(nonceFor(spoil)))
  if (spoil !== 'no-alg') params.set('alg', string(ALG))
  const input: InnerList = { kind: 'inner-list', items: components.map((name) => item(string(name))), params }
  const signature = signBase(signatureBase({ method, url: signedUrl, headers, body }, input), signer.privateKey)
  headers['signature-input'] = serializeDictionary(new Map([['gridim', input]]))
  headers.signature = serializeDictionary(new Map([['gridim', item(binary(signature))]]))
  return { signedUrl, headers }
}
