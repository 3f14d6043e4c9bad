// RFC 9421 signatures as GridIM's profile makes them (chapter 12) — or bent one way, for the
// signed attacks: a parameter left out or malformed, a component not covered, another label,
// another key, another target URI, a digest of other bytes. Built from the reference's own
// structured-field and signature-base code, so an attack differs from a good request in exactly
// the one way it names.
import { createHash, randomBytes, type KeyObject } from 'node:crypto'
import { contentDigest, signatureBase, signBase } from '../../reference/lib/signatures/index.ts'
import { binary, integer, item, string, type InnerList, type Parameters } from '../../reference/lib/signatures/structured-field.ts'
import { serializeDictionary } from '../../reference/lib/signatures/structured-field-serialize.ts'

export type Forgery = {
  /** Signature parameters to set (a value) or leave out (null); the rest are GridIM's. */
  params?: Partial<Record<'created' | 'keyid' | 'alg' | 'nonce', string | number | null>>
  components?: string[]
  label?: string
  /** Sign with this key instead of the signer's own (keyid unchanged). */
  privateKey?: KeyObject
  /** Sign as if the request went to this URL (GRIDIM-SEC-4). */
  signedUrl?: string
  /** The Content-Digest field to send and cover, instead of the body's sha-256. */
  digest?: string
}

export type RequestToSign = { method: string, url: string, headers: Record<string, string>, body?: Buffer }

export const sha512Digest = (body: Buffer): string => `sha-512=:${createHash('sha512').update(body).digest('base64')}:`

/** The headers that sign `req` as `keyId` with `privateKey`, bent by `forgery`. */
export function signatureHeaders (req: RequestToSign, keyId: string, privateKey: KeyObject, forgery: Forgery = {}): Record<string, string> {
  const body = req.body ?? Buffer.alloc(0)
  const digest = forgery.digest ?? (body.length > 0 ? contentDigest(body) : undefined)
  const headers: Record<string, string> = digest === undefined ? {} : { 'content-digest': digest }
  const components = forgery.components ?? (digest === undefined ? ['@method', '@target-uri'] : ['@method', '@target-uri', 'content-digest'])
  const values: Record<string, string | number | null> = {
    created: Math.floor(Date.now() / 1000), keyid: keyId, alg: 'ed25519', nonce: randomBytes(16).toString('base64url'), ...forgery.params
  }
  const params: Parameters = new Map()
  for (const [name, value] of Object.entries(values)) {
    if (value !== null) params.set(name, typeof value === 'number' ? integer(value) : string(value))
  }
  const input: InnerList = { kind: 'inner-list', items: components.map((c) => item(string(c))), params }
  const base = signatureBase({ method: req.method, url: forgery.signedUrl ?? req.url, headers: { ...req.headers, ...headers }, body }, input)
  const label = forgery.label ?? 'gridim'
  return {
    ...headers,
    'signature-input': serializeDictionary(new Map([[label, input]])),
    signature: serializeDictionary(new Map([[label, item(binary(signBase(base, forgery.privateKey ?? privateKey)))]]))
  }
}
