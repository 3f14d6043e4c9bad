// RFC 9421 §2.3: the signature parameters and covered components, carried as one Inner List in
// Signature-Input and repeated as the last line of the signature base.
import { UnauthenticatedError } from './errors.ts'
import { integer, item, string, type InnerList, type Parameters } from './structured-field.ts'

export type SignatureParams = {
  /** UNIX seconds when the signature was made. */
  created: number
  keyid: string
  alg?: string
  nonce?: string
  /** UNIX seconds after which the signature is no longer valid. */
  expires?: number
  /** RFC 9421 §2.3: an application-specific tag; GridIM does not send one. */
  tag?: string
}

/** The Signature-Input member for these components and parameters, in the order GridIM sends them. */
export function signatureInput (components: readonly string[], params: SignatureParams): InnerList {
  const out: Parameters = new Map()
  out.set('created', integer(params.created))
  out.set('keyid', string(params.keyid))
  if (params.alg !== undefined) out.set('alg', string(params.alg))
  if (params.nonce !== undefined) out.set('nonce', string(params.nonce))
  if (params.expires !== undefined) out.set('expires', integer(params.expires))
  return { kind: 'inner-list', items: components.map((name) => item(string(name))), params: out }
}

export type ReadSignatureInput = {
  components: string[]
  params: Partial<SignatureParams>
}

const INTEGER_PARAMS = new Set(['created', 'expires'])
const STRING_PARAMS = new Set(['keyid', 'alg', 'nonce', 'tag'])

/**
 * RFC 9421 §2.3 and §3.2 step 3: the covered components and the known parameters, each checked
 * for its type; a wrong type is a malformed signature, `unauthenticated` (GRIDIM-SEC-17). Unknown parameters are left in the Inner List, which is what gets signed.
 */
export function readSignatureInput (input: InnerList): ReadSignatureInput {
  const components: string[] = []
  for (const entry of input.items) {
    if (entry.value.type !== 'string') throw new UnauthenticatedError('a covered component identifier must be a string')
    components.push(entry.value.value)
  }
  const params: Record<string, string | number> = {}
  for (const [name, value] of input.params) {
    if (INTEGER_PARAMS.has(name) && value.type !== 'integer') throw new UnauthenticatedError(`signature parameter ${name} must be an integer`)
    if (STRING_PARAMS.has(name) && value.type !== 'string') throw new UnauthenticatedError(`signature parameter ${name} must be a string`)
    if (INTEGER_PARAMS.has(name) || STRING_PARAMS.has(name)) params[name] = value.value as string | number
  }
  return { components, params: params as Partial<SignatureParams> }
}
