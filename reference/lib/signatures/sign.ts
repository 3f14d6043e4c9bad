// RFC 9421 §3.1: creating a signature, with GridIM's profile: label "gridim", alg "ed25519",
// created + keyid + nonce, covering "@method" "@target-uri" and, with a body, "content-digest".
import type { KeyObject } from 'node:crypto'
import { contentDigest } from './content-digest.ts'
import { ALG, signBase } from './ed25519.ts'
import { bodyIsEmpty, type HttpFields, type HttpRequest } from './http-message.ts'
import { freshNonce } from './nonce.ts'
import { componentLines, signatureParamsLine } from './signature-base.ts'
import { BadSignatureError } from './errors.ts'
import { serializeBareItem, serializeKey } from './structured-field-serialize.ts'

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
  return !bodyIsEmpty(request.body)
}

const WITH_BODY: readonly string[] = Object.freeze(['@method', '@target-uri', 'content-digest'])
const WITHOUT_BODY: readonly string[] = Object.freeze(['@method', '@target-uri'])

/** The contract's covered components for a request. */
export function defaultComponents (withBody: boolean): string[] {
  return [...(withBody ? WITH_BODY : WITHOUT_BODY)]
}

/**
 * RFC 9421 §3.1: the fields to add to request so that it carries a signature. With a body, a
 * Content-Digest (RFC 9530) is made first and is what the signature covers, replacing any the
 * caller set. Throws BadSignatureError when a chosen component is not in the request.
 * https://www.rfc-editor.org/rfc/rfc9421.html#section-3.1
 *
 * It runs once per signed request, so it does the least work that gives the same fields
 * (issue 15): the Signature-Input member is serialized once and that text is the last line of
 * the signature base, the body is hashed in place, and the nonce comes from a pool.
 */
export function signRequest (request: HttpRequest, options: SignOptions): SignatureHeaders {
  const withBody = hasBody(request)
  const digest = withBody ? contentDigest(request.body!) : undefined
  const components = options.components ?? (withBody ? WITH_BODY : WITHOUT_BODY)
  // The components first: one the request lacks is a BadSignatureError before anything else.
  const lines = componentLines({ ...request, headers: coveredFields(request.headers, components, digest) }, components)
  const member = signatureInputMember(components, {
    created: options.created ?? Math.floor(Date.now() / 1000),
    keyid: options.keyId,
    alg: ALG,
    nonce: options.nonce ?? freshNonce(),
    expires: options.expires
  })
  const signature = signBase(lines + signatureParamsLine(member), options.privateKey)
  const label = serializeKey(options.label ?? DEFAULT_LABEL)
  const out: SignatureHeaders = {
    'Signature-Input': `${label}=${member}`,
    Signature: `${label}=:${signature.toString('base64')}:`
  }
  if (digest !== undefined) out['Content-Digest'] = digest
  return out
}

/** The contract's components as an sf Inner List, serialized once (RFC 8941 §4.1.1.1). */
const SERIALIZED_COMPONENTS = new Map([WITH_BODY, WITHOUT_BODY].map((names) => [names, `(${names.map((n) => `"${n}"`).join(' ')})`]))

/**
 * RFC 9421 §2.3: the Signature-Input member, an Inner List of the covered components with
 * parameters created, keyid, alg, nonce (and expires), serialized as RFC 8941 §4.1 says. Throws
 * BadSignatureError for a component named twice; TypeError for a value with no sf form.
 */
function signatureInputMember (components: readonly string[], params: { created: number, keyid: string, alg: string, nonce: string, expires: number | undefined }): string {
  let list = SERIALIZED_COMPONENTS.get(components)
  if (list === undefined) {
    list = ''
    for (const [i, name] of components.entries()) {
      // "The component identifiers MUST NOT be repeated" (RFC 9421 §2.5 step 2.1)
      if (components.indexOf(name) !== i) throw new BadSignatureError(`component ${name} is covered twice`)
      list += (i === 0 ? '' : ' ') + serializeBareItem({ type: 'string', value: name })
    }
    list = `(${list})`
  }
  let out = `${list};created=${serializeBareItem({ type: 'integer', value: params.created })}` +
    `;keyid=${serializeBareItem({ type: 'string', value: params.keyid })}` +
    `;alg=${serializeBareItem({ type: 'string', value: params.alg })}` +
    `;nonce=${serializeBareItem({ type: 'string', value: params.nonce })}`
  if (params.expires !== undefined) out += `;expires=${serializeBareItem({ type: 'integer', value: params.expires })}`
  return out
}

/**
 * The fields the signature base reads: with a body, the Content-Digest just made replaces any
 * the caller set. When content-digest is the one field covered (the contract's case) that digest
 * is all the base needs, and the caller's fields are not copied.
 */
function coveredFields (headers: HttpFields, components: readonly string[], digest: string | undefined): HttpFields {
  if (digest === undefined) return headers
  if (components.every((name) => name === 'content-digest' || name.startsWith('@'))) return { 'content-digest': digest }
  return { ...withoutField(headers, 'content-digest'), 'content-digest': digest }
}

function withoutField (fields: HttpFields, name: string): HttpFields {
  return Object.fromEntries(Object.entries(fields).filter(([fieldName]) => fieldName.toLowerCase() !== name))
}
