// GRIDIM-SEC, GRIDIM-ERR: every way a signed request can fail, as one GridImError subclass per
// code. Each is a 401 whose code says why; the HTTP and XMPP edges map them from the code table.
import { GridImError } from '../errors/index.ts'

export type SignatureErrorCode = 'unauthenticated' | 'bad-signature' | 'unknown-key' | 'replayed-request'

export class SignatureError extends GridImError {
  declare readonly code: SignatureErrorCode

  constructor (code: SignatureErrorCode, detail?: string) {
    super(code, detail)
    this.name = 'SignatureError'
  }
}

/** No Signature / Signature-Input field, or none under the expected label. */
export class UnauthenticatedError extends SignatureError {
  constructor (detail?: string) {
    super('unauthenticated', detail)
    this.name = 'UnauthenticatedError'
  }
}

/** Malformed fields, a digest mismatch, a missing component, a wrong alg, or a signature that does not verify. */
export class BadSignatureError extends SignatureError {
  constructor (detail?: string) {
    super('bad-signature', detail)
    this.name = 'BadSignatureError'
  }
}

/** The keyid names no key the verifier knows. */
export class UnknownKeyError extends SignatureError {
  constructor (detail?: string) {
    super('unknown-key', detail)
    this.name = 'UnknownKeyError'
  }
}

/** created outside the window, expires passed, or the nonce was seen before. */
export class ReplayedRequestError extends SignatureError {
  constructor (detail?: string) {
    super('replayed-request', detail)
    this.name = 'ReplayedRequestError'
  }
}
