// A signed call to another GridIM service: sign the request (RFC 9421 §3.1) and send it with
// the global fetch.
import type { HttpBody } from './http-message.ts'
import { signRequest, type SignOptions } from './sign.ts'

/**
 * Signs and sends. The body must be bytes or text (what GridIM sends is JSON), because the
 * digest has to be over the exact bytes on the wire; streams and forms are refused.
 */
export async function signedFetch (url: string | URL, init: RequestInit = {}, signer: SignOptions): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase()
  const body = signableBody(init.body)
  const headers = new Headers(init.headers)
  const signatureHeaders = signRequest({ method, url: String(url), headers: Object.fromEntries(headers), body }, signer)
  for (const [name, value] of Object.entries(signatureHeaders)) headers.set(name, value)
  return await fetch(url, { ...init, method, headers, ...(body === undefined ? {} : { body }) })
}

function signableBody (body: RequestInit['body']): HttpBody | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string' || body instanceof Uint8Array) return body
  throw new TypeError('signedFetch signs string or byte bodies only')
}
