// A service-to-service request made by the runner as a role it plays, signed correctly or
// deliberately wrong (GRIDIM-SEC negative checks): `signature` picks how.
import { randomUUID } from 'node:crypto'
import type { Operation } from '../../reference/lib/contract/operations.ts'
import { buildUrl, fetchFresh } from '../../reference/lib/http/index.ts'
import { generateKeyPair, signRequest } from '../../reference/lib/signatures/index.ts'
import type { SimulatedRegion } from './simulated-region.ts'

export const SIGNATURE_MODES = ['valid', 'none', 'foreign-key', 'unknown-key', 'stale', 'bad-digest', 'replay', 'next-key'] as const
export type SignatureMode = typeof SIGNATURE_MODES[number]

export type PeerRequest = {
  params: Record<string, string>
  query: Record<string, string>
  headers: Record<string, string>
  body?: unknown
}

function sign (sim: SimulatedRegion, mode: SignatureMode, method: string, url: string, headers: Record<string, string>, body: string | undefined): Record<string, string> {
  if (mode === 'none') return {}
  const keyId = mode === 'unknown-key' ? randomUUID() : sim.regionId
  const privateKey = mode === 'foreign-key' ? generateKeyPair().privateKey : mode === 'next-key' ? sim.nextPrivateKey : sim.privateKey
  const created = Math.floor(Date.now() / 1000) - (mode === 'stale' ? 3600 : 0)
  return { ...signRequest({ method, url, headers, body }, { keyId, privateKey, created }) } as Record<string, string>
}

export type PeerAnswer = { status: number, body: unknown, contentType?: string }

async function send (method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<PeerAnswer> {
  const res = await fetchFresh(url, { method, headers, body }, 15_000)
  const text = await res.text()
  let parsed: unknown
  try { parsed = text === '' ? undefined : JSON.parse(text) } catch { parsed = text }
  return { status: res.status, body: parsed, contentType: res.headers.get('content-type') ?? undefined }
}

export async function peerCall (baseUrl: string, op: Operation, req: PeerRequest, sim: SimulatedRegion | undefined, mode: SignatureMode): Promise<PeerAnswer> {
  const url = buildUrl(baseUrl, op, { params: req.params, query: req.query })
  const body = req.body === undefined ? undefined : JSON.stringify(req.body)
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...req.headers }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const signed = op.security.includes('gridimSignature') && sim !== undefined
  if (signed) Object.assign(headers, sign(sim, mode, op.method, url, headers, body))
  if (mode === 'bad-digest' && body !== undefined) return await send(op.method, url, headers, body + ' ')
  if (mode === 'replay') await send(op.method, url, headers, body)
  return await send(op.method, url, headers, body)
}
