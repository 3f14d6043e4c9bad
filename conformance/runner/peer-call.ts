// A service-to-service request made by the runner as a role it plays, signed correctly or
// deliberately wrong (GRIDIM-SEC negative checks): `signature` picks how. `payload` spoils the
// body instead (GRIDIM-LIM-3, GRIDIM-ERR-11), the way a careless or hostile client would.
import { randomUUID } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import type { Operation } from '../../reference/lib/contract/operations.ts'
import { buildUrl, keptAliveAgents, send as sendKeptAlive } from '../../reference/lib/http/index.ts'
import { generateKeyPair, signRequest } from '../../reference/lib/signatures/index.ts'
import type { SimulatedRegion } from './simulated-region.ts'
import { PROFILE_SPOILS, spoilSignature, type ProfileSpoil } from './spoil-signature.ts'

export const SIGNATURE_MODES = ['valid', 'none', 'foreign-key', 'unknown-key', 'stale', 'aged-30s', 'bad-digest', 'replay', 'replay-later', 'next-key', ...PROFILE_SPOILS] as const
export type SignatureMode = typeof SIGNATURE_MODES[number]

/**
 * `replay-later` sends the identical request again this long after the first: past the first's
 * `created` second, well inside the smallest replay window a grid may set (5 s, chapter 13).
 */
export const REPLAY_LATER_SECONDS = 2

/**
 * `oversized`: the body (the JSON of the arguments, `{}` when the operation takes none, so GET
 * and DELETE too) is padded with JSON whitespace to 70 000 bytes, over the 65 536 limit.
 * `invalid-utf8`: every U+FFFD in the JSON text is sent as the lone byte 0xFF, which is not UTF-8.
 */
export const PAYLOAD_SPOILS = ['oversized', 'invalid-utf8'] as const
export type PayloadSpoil = typeof PAYLOAD_SPOILS[number]

/** Over GRIDIM-LIM-3's 65 536 bytes by a margin no rounding can hide. */
const OVERSIZED_BYTES = 70_000

export type PeerRequest = {
  params: Record<string, string>
  query: Record<string, string>
  headers: Record<string, string>
  body?: unknown
}

function isProfileSpoil (mode: SignatureMode): mode is ProfileSpoil {
  return (PROFILE_SPOILS as readonly string[]).includes(mode)
}

/** Who signs: a region the runner plays, or the runner in the user server's voice (keyid `user-server`). */
export type PeerSigner = Pick<SimulatedRegion, 'regionId' | 'privateKey' | 'nextPrivateKey'>

function sign (sim: PeerSigner, mode: SignatureMode, method: string, url: string, headers: Record<string, string>, body: Buffer | undefined): Record<string, string> {
  if (mode === 'none') return {}
  const keyId = mode === 'unknown-key' ? randomUUID() : sim.regionId
  const privateKey = mode === 'foreign-key' ? generateKeyPair().privateKey : mode === 'next-key' ? sim.nextPrivateKey : sim.privateKey
  // `stale` is outside every allowed replay window (at most 600 s); `aged-30s` is inside the
  // default one and outside a shortened one, which tells which window a receiver applies (GRIDIM-LIM-22).
  const created = Math.floor(Date.now() / 1000) - (mode === 'stale' ? 3600 : mode === 'aged-30s' ? 30 : 0)
  return { ...signRequest({ method, url, headers, body }, { keyId, privateKey, created }) } as Record<string, string>
}

/** The request body as bytes on the wire, spoilt as asked. */
function bodyBytes (op: Operation, body: unknown, payload: PayloadSpoil | undefined): Buffer | undefined {
  if (payload === 'oversized') {
    const json = JSON.stringify(body ?? {})
    return Buffer.from(json + ' '.repeat(Math.max(0, OVERSIZED_BYTES - Buffer.byteLength(json))))
  }
  if (body === undefined) return undefined
  const bytes = Buffer.from(JSON.stringify(body))
  if (payload !== 'invalid-utf8') return bytes
  const replacement = Buffer.from('\uFFFD')
  const parts: Buffer[] = []
  let from = 0
  for (let at = bytes.indexOf(replacement); at !== -1; at = bytes.indexOf(replacement, from)) {
    parts.push(bytes.subarray(from, at), Buffer.from([0xff]))
    from = at + replacement.length
  }
  if (parts.length === 0) throw new Error(`${op.operationId}: payload invalid-utf8 needs a U+FFFD in the arguments to replace`)
  return Buffer.concat([...parts, bytes.subarray(from)])
}

/** `retryAfter`: the Retry-After header, when the answer has one (GRIDIM-LIM-12). */
export type PeerAnswer = { status: number, body: unknown, contentType?: string, retryAfter?: string }

function answer (status: number, text: string, contentType: string | undefined): PeerAnswer {
  let parsed: unknown
  try { parsed = text === '' ? undefined : JSON.parse(text) } catch { parsed = text }
  return { status, body: parsed, contentType }
}

/**
 * The runner's own kept-alive connections: what a target makes of a spoilt request (a body it
 * leaves unread, say) stays on them, never on those of the reference's roles in this process.
 */
const AGENTS = keptAliveAgents()

/**
 * As the reference's roles send (PeerClient): node:http over kept-alive connections, once more on
 * a fresh one when a kept-alive one turns out closed, with the headers `again()` gives.
 */
async function send (method: string, url: string, headers: Record<string, string>, body: Buffer | undefined, again?: () => Record<string, string>): Promise<PeerAnswer> {
  const res = await sendKeptAlive(url, method, headers, body, 15_000, again, AGENTS)
  return { ...answer(res.status, res.text, res.contentType), ...(res.retryAfter === undefined ? {} : { retryAfter: res.retryAfter }) }
}

/**
 * A connection of its own, closed after the answer, for requests that should not leave a kept-alive
 * connection to whatever the peer makes of them: a spoilt signature profile (a Host that is not
 * the URL's, GRIDIM-SEC-4), and a body on a GET (GRIDIM-LIM-3).
 */
async function sendRaw (method: string, url: string, headers: Record<string, string>, body: Buffer | undefined): Promise<PeerAnswer> {
  return await new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { ...headers, connection: 'close', ...(body === undefined ? {} : { 'content-length': String(body.length) }) }, agent: false, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve(answer(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), res.headers['content-type'])) })
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 15 s`)))
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * `method` sends the request with another method at the operation's path (GRIDIM-ERR-13: a method
 * no operation has there; GRIDIM-ERR-14: HEAD for a GET).
 */
export async function peerCall (baseUrl: string, operation: Operation, req: PeerRequest, sim: PeerSigner | undefined, mode: SignatureMode, payload?: PayloadSpoil, method?: string): Promise<PeerAnswer> {
  const op = method === undefined ? operation : { ...operation, method }
  const url = buildUrl(baseUrl, op, { params: req.params, query: req.query })
  const body = bodyBytes(op, req.body, payload)
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...req.headers }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const signed = op.security.includes('gridimSignature') && sim !== undefined
  if (signed && isProfileSpoil(mode)) {
    return await sendRaw(op.method, url, spoilSignature(mode, { method: op.method, url, headers, body }, { keyId: sim.regionId, privateKey: sim.privateKey }).headers, body)
  }
  if (signed) Object.assign(headers, sign(sim, mode, op.method, url, headers, body))
  // Sent again on a fresh connection, a correctly signed request is signed anew, as a role's is
  // (GRIDIM-SEC-18): the first may have been spent at the peer.
  const again = signed && mode === 'valid' ? () => ({ ...headers, ...sign(sim, mode, op.method, url, headers, body) }) : undefined
  if (mode === 'bad-digest' && body !== undefined) return await send(op.method, url, headers, Buffer.concat([body, Buffer.from(' ')]))
  if (mode === 'replay' || mode === 'replay-later') await send(op.method, url, headers, body)
  if (mode === 'replay-later') await new Promise((resolve) => setTimeout(resolve, REPLAY_LATER_SECONDS * 1000))
  // A GET or HEAD with a body: a peer may leave the body unread on the connection.
  if (body !== undefined && (op.method === 'GET' || op.method === 'HEAD')) return await sendRaw(op.method, url, headers, body)
  return await send(op.method, url, headers, body, again)
}
