// RFC 9421 §3.1: creating a signature, with GridIM's profile: label "gridim", alg "ed25519",
// created + keyid + nonce, covering "@method" "@target-uri" and, with a body, "content-digest".
import { randomBytes, type KeyObject } from 'node:crypto'
import { contentDigest } from './content-digest.ts'
import { ALG, signBase } from './ed25519.ts'
import { bodyBytes, type HttpFields, type HttpRequest } from './http-message.ts'
import { signatureBase } from './signature-base.ts'
import { signatureInput } from './signature-params.ts'
import { binary, item } from './structured-field.ts'
import { serializeDictionary } from './structured-field-serialize.ts'

export const DEFAULT_LABEL = 'gridim'

export type SignOptions = {
  keyId: string
  privateKey: KeyObject
  label?: string
  /** Covered components; default "@method" "@target-uri" (+ "content-digest" with a body). */
  components?: readonly string[]
  /** UNIX seconds; default now. */
  created?: number
  /** Default 16 random bytes, base64url. */
  nonce?: string
  expires?: number
}

export type SignatureHeaders = {
  'Signature-Input': string
  Signature: string
  'Content-Digest'?: string
}

/** True when there is content to digest; an empty body is no body. */
export function hasBody (request: Pick<HttpRequest, 'body'>): boolean {
  return bodyBytes(request.body).length > 0
}

/** The contract's covered components for a request. */
export function defaultComponents (withBody: boolean): string[] {
  return withBody ? ['@method', '@target-uri', 'content-digest'] : ['@method', '@target-uri']
}

/**
 * RFC 9421 §3.1: the fields to add to request so that it carries a signature. With a body, a
 * Content-Digest (RFC 9530) is made first and is what the signature covers, replacing any the
 * caller set. Throws BadSignatureError when a chosen component is not in the request.
 * https://www.rfc-editor.org/rfc/rfc9421.html#section-3.1
 */
export function signRequest (request: HttpRequest, options: SignOptions): SignatureHeaders {
  const withBody = hasBody(request)
  const digest = withBody ? contentDigest(bodyBytes(request.body)) : undefined
  const headers: HttpFields = digest === undefined ? request.headers : { ...withoutField(request.headers, 'content-digest'), 'content-digest': digest }
  const input = signatureInput(options.components ?? defaultComponents(withBody), {
    created: options.created ?? Math.floor(Date.now() / 1000),
    keyid: options.keyId,
    alg: ALG,
    nonce: options.nonce ?? randomBytes(16).toString('base64url'),
    ...(options.expires === undefined ? {} : { expires: options.expires })
  })
  const signature = signBase(signatureBase({ ...request, headers }, input), options.privateKey)
  const label = options.label ?? DEFAULT_LABEL
  const out: SignatureHeaders = {
    'Signature-Input': serializeDictionary(new Map([[label, input]])),
    Signature: serializeDictionary(new Map([[label, item(binary(signature))]]))
  }
  if (digest !== undefined) out['Content-Digest'] = digest
  return out
}

function withoutField (fields: HttpFields, name: string): HttpFields {
  return Object.fromEntries(Object.entries(fields).filter(([fieldName]) => fieldName.toLowerCase() !== name))
}
