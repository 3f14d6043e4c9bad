// The attacks on authentication (chapter 12), each a request that would be valid but for the
// one way it is forged, with the code GRIDIM-SEC-5 gives for it (a parameter or component
// missing or malformed — no alg, another alg, a one-character nonce, content-digest not covered
// or without sha-256 — is `unauthenticated`; a well-formed signature that does not verify is
// `bad-signature`): every one must be refused
// with 401 and that code, before anything else is looked at (GRIDIM-ERR-7) — so none changes
// anything. Replaying a nonce is built by the test from a request it has already sent.
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto'
import type { Operation } from '../../reference/lib/contract/operations.ts'
import { composeRequest, urlOf } from './compose-request.ts'
import { sha512Digest, type Forgery } from './forge-signature.ts'
import type { HostileInput } from './hostile-inputs.ts'
import type { RawRequest } from './raw-request.ts'

export type Attack = { name: string, codes: string[], request: RawRequest }

const UNAUTHENTICATED = ['unauthenticated']
const BAD_SIGNATURE = ['bad-signature']
const REPLAYED = ['replayed-request']

/** A key no directory holds. */
const stranger: KeyObject = generateKeyPairSync('ed25519').privateKey

export function signedAttacks (baseUrl: string, op: Operation, valid: HostileInput, signer: { keyId: string, privateKey: KeyObject }): Attack[] {
  const now = Math.floor(Date.now() / 1000)
  const hasBody = valid.body !== undefined && valid.body.length > 0
  const forged = (name: string, codes: string[], forgery: Forgery, input = valid): Attack =>
    ({ name, codes, request: composeRequest(baseUrl, op, input, { signer }, forgery) })
  const url = new URL(urlOf(baseUrl, op, valid))
  const evil = `http://evil.example:1${url.pathname}${url.search}`
  const attacks: Attack[] = [
    { name: 'unsigned', codes: UNAUTHENTICATED, request: composeRequest(baseUrl, op, valid, {}) },
    forged('signed with another key than its keyid\'s', BAD_SIGNATURE, { privateKey: stranger }),
    forged('keyid unknown to the directory', ['unknown-key'], { params: { keyid: randomUUID() }, privateKey: stranger }),
    forged('created an hour ago', REPLAYED, { params: { created: now - 3600 } }),
    forged('created an hour ahead', REPLAYED, { params: { created: now + 3600 } }),
    forged('signed for another target URI', BAD_SIGNATURE, { signedUrl: `http://127.0.0.1:1${url.pathname}${url.search}` }),
    forged('no created parameter', UNAUTHENTICATED, { params: { created: null } }),
    forged('no nonce parameter', UNAUTHENTICATED, { params: { nonce: null } }),
    forged('no alg parameter', UNAUTHENTICATED, { params: { alg: null } }),
    forged('a one-character nonce', UNAUTHENTICATED, { params: { nonce: 'a' } }),
    forged('alg other than ed25519', UNAUTHENTICATED, { params: { alg: 'hmac-sha256' } }),
    forged('label other than gridim', UNAUTHENTICATED, { label: 'sig1' }),
    forged('@target-uri not covered', UNAUTHENTICATED, { components: hasBody ? ['@method', 'content-digest'] : ['@method'] }),
    // GRIDIM-SEC-4: signed for the Host it is sent with, not for the receiver's advertised URL.
    { name: 'signed for the Host header it carries, not the advertised URL', codes: BAD_SIGNATURE, request: withHost(composeRequest(baseUrl, op, valid, { signer }, { signedUrl: evil }), 'evil.example:1') }
  ]
  if (hasBody) {
    const other = { ...valid, body: Buffer.concat([valid.body!.subarray(0, -1), Buffer.from(' }')]) }
    attacks.push(
      { name: 'Content-Digest of other bytes than the body', codes: BAD_SIGNATURE, request: { ...composeRequest(baseUrl, op, valid, { signer }), body: other.body } },
      forged('content-digest not covered', UNAUTHENTICATED, { components: ['@method', '@target-uri'] }),
      // GRIDIM-SEC-2: sha-256 is required; a sha-512 digest alone is as good as none.
      forged('Content-Digest with sha-512 only', UNAUTHENTICATED, { digest: sha512Digest(valid.body!) })
    )
  }
  return attacks
}

function withHost (request: RawRequest, host: string): RawRequest {
  return { ...request, headers: { ...request.headers, host } }
}

/** Attacks on a bearer token (session secret or admin token): none may pass. */
export function bearerAttacks (baseUrl: string, op: Operation, valid: HostileInput, others: { wrongToken: string }): Attack[] {
  const bearer = (name: string, authorization: string | undefined): Attack => {
    const request = composeRequest(baseUrl, op, valid, {})
    return { name, codes: UNAUTHENTICATED, request: authorization === undefined ? request : { ...request, headers: { ...request.headers, authorization } } }
  }
  return [
    bearer('no Authorization', undefined),
    bearer('a token of another kind', `Bearer ${others.wrongToken}`),
    bearer('an unknown token', `Bearer ${randomUUID().replace(/-/g, '')}`),
    bearer('another scheme', 'Basic YWRhOnBhc3N3b3Jk'),
    bearer('an empty token', 'Bearer '),
    bearer('a token with spaces and quotes', 'Bearer "a b"')
  ]
}

/**
 * GRIDIM-ERR-7: authentication comes before the request's shape, so a request without
 * credentials whose input is also invalid is refused as unauthenticated.
 */
export function withoutCredentials (baseUrl: string, op: Operation, invalid: HostileInput): Attack {
  return { name: `no credentials, and ${invalid.kind}`, codes: UNAUTHENTICATED, request: composeRequest(baseUrl, op, invalid, {}) }
}
