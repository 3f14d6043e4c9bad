// RFC 9421 §4.1 and §4.2: the Signature-Input and Signature fields are Dictionaries keyed by
// label; the member under one label is an Inner List (input) and a Byte Sequence (signature).
import { UnauthenticatedError } from './errors.ts'
import { fieldValue, type HttpFields } from './http-message.ts'
import type { InnerList } from './structured-field.ts'
import { parseDictionary } from './structured-field-parse.ts'

export type LabelledSignature = { input: InnerList, signature: Buffer }

/**
 * RFC 9421 §3.2 steps 1–2: find the signature under label. Absent fields or label →
 * UnauthenticatedError, and so are fields that are not valid Dictionaries of the right shape:
 * GRIDIM-SEC-5 and GRIDIM-SEC-17 call a malformed signature no signature at all.
 */
export function labelledSignature (headers: HttpFields, label: string): LabelledSignature {
  const inputField = fieldValue(headers, 'signature-input')
  const signatureField = fieldValue(headers, 'signature')
  if (inputField === undefined || signatureField === undefined) {
    throw new UnauthenticatedError('the request has no Signature and Signature-Input fields')
  }
  const inputs = parseDictionary(inputField)
  if (inputs === undefined) throw new UnauthenticatedError('Signature-Input is not a structured field Dictionary')
  const signatures = parseDictionary(signatureField)
  if (signatures === undefined) throw new UnauthenticatedError('Signature is not a structured field Dictionary')
  const input = inputs.get(label)
  const signature = signatures.get(label)
  if (input === undefined || signature === undefined) throw new UnauthenticatedError(`no signature labelled ${label}`)
  if (input.kind !== 'inner-list') throw new UnauthenticatedError(`Signature-Input ${label} is not an Inner List`)
  if (signature.kind !== 'item' || signature.value.type !== 'binary') throw new UnauthenticatedError(`Signature ${label} is not a Byte Sequence`)
  return { input, signature: signature.value.value }
}
