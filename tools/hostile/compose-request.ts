// An input for an operation as the request that carries it: the operation's path with the
// input's (already encoded) parameters, its query, its body, and the caller's real credentials
// — a region's signature, Ada's session secret or the admin token — so that the input reaches
// validation instead of stopping at authentication.
import type { KeyObject } from 'node:crypto'
import type { Operation } from '../../reference/lib/contract/operations.ts'
import { signatureHeaders, type Forgery } from './forge-signature.ts'
import type { HostileInput } from './hostile-inputs.ts'
import type { RawRequest } from './raw-request.ts'

export type Credentials = {
  /** Who signs gridimSignature operations of this server. */
  signer?: { keyId: string, privateKey: KeyObject }
  /** The bearer token of sessionSecret or adminToken operations. */
  bearer?: string
}

export function urlOf (baseUrl: string, op: Operation, input: HostileInput): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => input.path[name] ?? '')
  const query = input.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
  return `${baseUrl.replace(/\/$/, '')}${path}${query === '' ? '' : `?${query}`}`
}

/** The request for `input`, with credentials; `forgery` bends the signature (signed attacks). */
export function composeRequest (baseUrl: string, op: Operation, input: HostileInput, credentials: Credentials, forgery?: Forgery): RawRequest {
  const url = urlOf(baseUrl, op, input)
  const headers: Record<string, string> = { ...input.headers }
  if (op.security.includes('gridimSignature') && credentials.signer !== undefined) {
    Object.assign(headers, signatureHeaders({ method: op.method, url, headers, body: input.body }, credentials.signer.keyId, credentials.signer.privateKey, forgery))
  } else if ((op.security.includes('sessionSecret') || op.security.includes('adminToken')) && credentials.bearer !== undefined) {
    headers.authorization = `Bearer ${credentials.bearer}`
  }
  return { method: op.method, url, headers, ...(input.body === undefined ? {} : { body: input.body }) }
}
