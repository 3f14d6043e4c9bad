// RFC 9421 §3.2: verifying a signature, with GridIM's profile on top (GRIDIM-SEC): alg
// "ed25519", created + keyid + nonce required, the nonce long enough, the contract's components
// covered, a sha-256 Content-Digest, created within ±window, and each nonce accepted once per
// window. What is missing or malformed is `unauthenticated`; what is well formed and does not
// verify is `bad-signature` (GRIDIM-SEC-5, GRIDIM-SEC-17).
import type { KeyObject } from 'node:crypto'
import { NO_FAULTS, type Fault } from '../faults.ts'
import { checkContentDigest } from './content-digest.ts'
import { ALG, verifyBase } from './ed25519.ts'
import { BadSignatureError, ReplayedRequestError, UnauthenticatedError, UnknownKeyError, type SignatureError } from './errors.ts'
import { fieldValue, type HttpRequest } from './http-message.ts'
import type { NonceRegistry } from './nonce-cache.ts'
import { DEFAULT_LABEL, defaultComponents, hasBody } from './sign.ts'
import { signatureBase } from './signature-base.ts'
import { labelledSignature } from './signature-fields.ts'
import { readSignatureInput, type SignatureParams } from './signature-params.ts'

export type VerifyOptions = {
  /** The key for a keyid, or null when there is none (→ unknown-key). */
  resolveKey: (keyId: string) => Promise<KeyObject | null>
  /** The nonces accepted so far: a NonceCache, or a registry shared by several instances. */
  nonceCache: NonceRegistry
  /** UNIX seconds; default now. */
  now?: number
  /** Admin setting replayWindowSeconds; default 60. */
  windowSeconds?: number
  /** Default: the contract's "@method" "@target-uri" (+ "content-digest" with a body). */
  requiredComponents?: readonly string[]
  label?: string
  /** Deliberate bugs, only for conformance/variants (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
}

/**
 * GRIDIM-SEC-16: a nonce of at least 128 bits as base64url (22 characters) and no more than a
 * receiver need remember (128 characters).
 */
export const NONCE_FORM = /^[A-Za-z0-9_-]{22,128}$/

/** Only for the deliberate fault long-nonce-accepted: no upper bound (GRIDIM-SEC-16 broken). */
const UNBOUNDED_NONCE_FORM = /^[A-Za-z0-9_-]{22,}$/

export type VerifiedRequest = {
  keyId: string
  created: number
  components: string[]
}

type ProfileParams = Required<Pick<SignatureParams, 'created' | 'keyid' | 'alg' | 'nonce'>> & Pick<SignatureParams, 'expires'>

/**
 * RFC 9421 §3.2: resolves with the verified keyid, or rejects with a SignatureError whose code
 * is unauthenticated, bad-signature, unknown-key or replayed-request. The nonce is remembered
 * only once the signature verifies, so a forged request cannot use up a genuine one's nonce.
 * https://www.rfc-editor.org/rfc/rfc9421.html#section-3.2
 */
export async function verifyRequest (request: HttpRequest, options: VerifyOptions): Promise<VerifiedRequest> {
  const now = options.now ?? Math.floor(Date.now() / 1000)
  const windowSeconds = options.windowSeconds ?? 60
  const { input, signature } = labelledSignature(request.headers, options.label ?? DEFAULT_LABEL)
  const { components, params } = readSignatureInput(input)
  const faults = options.faults ?? NO_FAULTS
  // The malformed-signature-as-bad-signature fault gives the wrong code for what is malformed.
  const malformed = (detail: string): SignatureError =>
    faults.has('malformed-signature-as-bad-signature') ? new BadSignatureError(detail) : new UnauthenticatedError(detail)
  const nonceForm = faults.has('short-nonce-accepted') ? undefined : faults.has('long-nonce-accepted') ? UNBOUNDED_NONCE_FORM : NONCE_FORM
  const profile = profileParams(params, malformed, nonceForm)

  const withBody = hasBody(request)
  const required = options.requiredComponents ?? defaultComponents(withBody)
  // GRIDIM-SEC-17: a body is only trusted through a covered Content-Digest.
  for (const name of withBody ? [...required, 'content-digest'] : required) {
    if (!components.includes(name)) throw malformed(`the signature does not cover ${name}`)
  }
  let digest: string | undefined
  if (components.includes('content-digest')) {
    digest = fieldValue(request.headers, 'content-digest')
    if (digest === undefined) throw malformed('the covered Content-Digest field is missing')
  }
  checkFreshness(profile, now, windowSeconds)

  const key = await options.resolveKey(profile.keyid)
  if (key === null) throw new UnknownKeyError(`no key ${profile.keyid}`)

  if (digest !== undefined) {
    // GRIDIM-SEC-2, GRIDIM-SEC-15: sha-256 is the one algorithm every receiver relies on.
    const check = checkContentDigest(digest, request.body ?? '', !faults.has('any-digest-algorithm'))
    if (check === 'malformed') throw malformed('Content-Digest has no sha-256 digest, or is not a valid Dictionary (RFC 9530)')
    if (check === 'mismatch') throw new BadSignatureError('Content-Digest does not match the body')
  }
  if (!verifyBase(signatureBase(request, input), signature, key)) {
    throw new BadSignatureError('the signature does not verify')
  }
  // Nonces are per signer; "\n" cannot occur in a structured field string, so keys cannot collide.
  // Awaited even when the registry answers at once (NonceCache): the turn of the microtask queue
  // that costs is lost in the Ed25519 verification (no difference measured, issue 16).
  // The nonce-forgotten-after-created fault remembers it only until its created second.
  const until = profile.created + (faults.has('nonce-forgotten-after-created') ? 0 : windowSeconds)
  if (!await options.nonceCache.remember(`${profile.keyid}\n${profile.nonce}`, until, now)) {
    throw new ReplayedRequestError('this nonce was already used')
  }
  return { keyId: profile.keyid, created: profile.created, components }
}

/**
 * RFC 9421 §3.2.1 (application requirements): GridIM requires alg, created, keyid and nonce,
 * and a nonce of the form GRIDIM-SEC-16 gives; without them the request is unauthenticated.
 */
function profileParams (params: Partial<SignatureParams>, malformed: (detail: string) => SignatureError, nonceForm: RegExp | undefined): ProfileParams {
  const { created, keyid, alg, nonce, expires } = params
  if (alg !== ALG) throw malformed(`alg must be ${ALG}`)
  if (created === undefined) throw malformed('the signature has no created parameter')
  if (keyid === undefined || keyid === '') throw malformed('the signature has no keyid parameter')
  if (nonce === undefined || nonce === '') throw malformed('the signature has no nonce parameter')
  if (nonceForm !== undefined && !nonceForm.test(nonce)) throw malformed('the nonce must be 22 to 128 base64url characters (GRIDIM-SEC-16)')
  return { created, keyid, alg, nonce, ...(expires === undefined ? {} : { expires }) }
}

/** RFC 9421 §3.2.1: refuse signatures too old, from the future (clock skew), or expired. */
function checkFreshness (params: ProfileParams, now: number, windowSeconds: number): void {
  if (Math.abs(now - params.created) > windowSeconds) {
    throw new ReplayedRequestError(`created is more than ${windowSeconds} s from now`)
  }
  if (params.expires !== undefined && now > params.expires) throw new ReplayedRequestError('the signature has expired')
}
