// A region under test whose target file gives no regionId, and which the runner cannot tell one
// (its command has no {regionId}, or it is started by hand with its own key), has an id of its
// own. The runner plays the user server, so it learns that id from the region's first lease
// request (renewRegionLease, PUT /regions/{regionId}/lease, signed with keyid = regionId,
// GRIDIM-SEC-1) — but only when the signature verifies with that region's public key, so no other
// caller can claim a region's place. It then provisions the region under the learned id before
// the user server handles the request, which therefore succeeds like any lease of a known region.
import type { KeyObject } from 'node:crypto'
import { DEFAULT_LABEL, labelledSignature, readSignatureInput, signatureBase, verifyBase, type HttpFields } from '../../reference/lib/signatures/index.ts'

export type IncomingRequest = { method: string, url: string, headers: HttpFields }

const LEASE_PATH = /^\/regions\/([^/]+)\/lease$/

/**
 * The regionId a request claims when it is a lease request whose path and signature name the
 * same id; undefined for anything else (the user server judges those as usual).
 */
export function claimedRegionId (request: IncomingRequest): string | undefined {
  if (request.method.toUpperCase() !== 'PUT') return undefined
  const match = LEASE_PATH.exec(new URL(request.url).pathname)
  if (match === null) return undefined
  let keyId: string | undefined
  try {
    keyId = readSignatureInput(labelledSignature(request.headers, DEFAULT_LABEL).input).params.keyid
  } catch {
    return undefined
  }
  const regionId = decodeURIComponent(match[1]!)
  return keyId === regionId ? regionId : undefined
}

/**
 * Whether the request's signature verifies with `key` (RFC 9421 §3.2 steps 3–6). Freshness, the
 * nonce and the Content-Digest against the body are left to the user server, which verifies the
 * whole request once the key is in its directory.
 */
export function signedWith (request: IncomingRequest, key: KeyObject): boolean {
  try {
    const { input, signature } = labelledSignature(request.headers, DEFAULT_LABEL)
    return verifyBase(signatureBase({ method: request.method.toUpperCase(), url: request.url, headers: request.headers }, input), signature, key)
  } catch {
    return false
  }
}

export type Unidentified = { key: KeyObject, learn: (regionId: string) => Promise<void> }

/**
 * Given the regions still waiting for their id, finds the one that signed a lease request for an
 * id not yet in the directory (`known`), and lets it learn that id. Returns whether one did.
 */
export async function learnFrom (request: IncomingRequest, waiting: Set<Unidentified>, known: (regionId: string) => boolean | Promise<boolean>): Promise<boolean> {
  if (waiting.size === 0) return false
  const regionId = claimedRegionId(request)
  if (regionId === undefined || await known(regionId)) return false
  for (const region of waiting) {
    if (!signedWith(request, region.key)) continue
    waiting.delete(region)
    await region.learn(regionId)
    return true
  }
  return false
}
