// What a hapi server the runner plays (a simulated region, the simulated user server) receives and
// answers, as ObservedExchanges: the same record the runner gets of traffic between roles, so the
// contract is checked (GRIDIM-ROLE-9) and exchanges are counted the same way for both.
import type { Request, ResponseObject, Server } from '@hapi/hapi'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import { refusalOf, type RefusalLog } from './refusals.ts'

/** The `keyid` and `nonce` of a request's Signature-Input, when it names them. */
export function signatureParams (headers: Record<string, unknown>): { keyId?: string, nonce?: string } {
  const input = String(headers['signature-input'] ?? '')
  const keyId = /;\s*keyid="([^"]*)"/.exec(input)?.[1]
  const nonce = /;\s*nonce="([^"]*)"/.exec(input)?.[1]
  return { ...(keyId === undefined ? {} : { keyId }), ...(nonce === undefined ? {} : { nonce }) }
}

/** A request's body as the JSON it carries, or its text; undefined when it has none. */
export function parsed (payload: unknown): unknown {
  if (!Buffer.isBuffer(payload) || payload.length === 0) return undefined
  const text = payload.toString('utf8')
  try { return JSON.parse(text) } catch { return text }
}

/**
 * Calls onExchange once per answered request that reached one of the server's operations; with
 * `refusals`, each one answered 400 or more is also logged as refused `by` this role.
 */
export function recordExchanges (server: Server, onExchange: (exchange: ObservedExchange) => void, refusals?: { by: string, log: RefusalLog }): void {
  // 'response' fires once the answer has gone out, problem answers included (onPreResponse made them).
  server.events.on('response', (request: Request) => {
    const operationId = request.route.settings.id
    if (operationId === undefined) return
    // A request read and then left unanswered (a scripted cut) has no response object: status 0,
    // as a caller records a call that got no answer.
    const response = typeof request.response === 'object' && request.response !== null ? request.response as ResponseObject : undefined
    const source = response?.source
    const { keyId } = signatureParams(request.headers)
    const exchange: ObservedExchange = {
      operationId,
      method: request.method.toUpperCase(),
      url: request.url.href,
      keyId,
      requestBody: parsed(request.payload),
      status: response?.statusCode ?? 0,
      // A stream (an event stream) is not a JSON body; everything else is the object sent.
      responseBody: source !== null && typeof source === 'object' && 'pipe' in source ? undefined : source ?? undefined,
      responseContentType: String(response?.headers['content-type'] ?? '') || undefined,
      sentAt: request.info.received,
      at: Date.now()
    }
    onExchange(exchange)
    const refusal = refusals === undefined ? undefined : refusalOf(refusals.by, request, exchange)
    if (refusal !== undefined) refusals!.log.add(refusal)
  })
}
