// What the roles the runner plays refused (issue 14): an answer of 400 or more from the
// simulated user server or a simulated region, with its code — and, for a signed request, the
// RFC 9421 signature base the verifier rebuilt from the request as received, so that "took no
// lease" or "saw no event" can say *why*: the runner's user server refused every renewRegionLease
// with bad-signature, and this is the base it verified against (GRIDIM-SEC-5).
import type { Request } from '@hapi/hapi'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import { DEFAULT_LABEL, labelledSignature, signatureBase, type HttpFields } from '../../reference/lib/signatures/index.ts'
import { pathOf } from './caller.ts'

export type Refusal = {
  at: number
  /** The runner's role that refused: `the runner's user server`, or a simulated region's flow name. */
  by: string
  operationId: string
  method: string
  /** The path with its query. */
  path: string
  /** The signer's keyid, when the request was signed. */
  keyId?: string
  status: number
  /** The problem's `code` (GRIDIM-ERR-1), when it has one. */
  code?: string
  detail?: string
  /** For a signed request: the signature base rebuilt from the request as received (RFC 9421 §2.5). */
  signatureBase?: string
}

/** The signature base of a request as received, or why none can be built (no or malformed signature fields). */
export function rebuiltSignatureBase (request: { method: string, url: string, headers: HttpFields }): string | undefined {
  if (request.headers['signature-input'] === undefined) return undefined
  try {
    const { input } = labelledSignature(request.headers, DEFAULT_LABEL)
    return signatureBase({ method: request.method, url: request.url, headers: request.headers }, input)
  } catch (err) {
    return `(none: ${(err as Error).message})`
  }
}

/** The refusal an answered request was, or undefined when it was not refused. */
export function refusalOf (by: string, request: { method: string, url: URL, headers: Request['headers'] | HttpFields }, exchange: ObservedExchange): Refusal | undefined {
  if (exchange.status < 400) return undefined
  const problem = (typeof exchange.responseBody === 'object' && exchange.responseBody !== null ? exchange.responseBody : {}) as { code?: unknown, detail?: unknown }
  // hapi's headers are node's IncomingHttpHeaders: strings, or string lists (set-cookie) — HTTP fields.
  const base = rebuiltSignatureBase({ method: request.method.toUpperCase(), url: request.url.href, headers: request.headers as HttpFields })
  return {
    at: exchange.at,
    by,
    operationId: exchange.operationId,
    method: exchange.method,
    path: pathOf(exchange.url),
    ...(exchange.keyId === undefined ? {} : { keyId: exchange.keyId }),
    status: exchange.status,
    ...(typeof problem.code === 'string' ? { code: problem.code } : {}),
    ...(typeof problem.detail === 'string' ? { detail: problem.detail } : {}),
    ...(base === undefined ? {} : { signatureBase: base })
  }
}

/**
 * One line per kind of refusal (who, which operation, which code), counted, with the detail and
 * the signature base of its last occurrence: "the runner's user server refused 5
 * renewRegionLease with 401 bad-signature (the signature does not verify); signature base it
 * rebuilt: ...".
 */
export function describeRefusals (refusals: readonly Refusal[]): string {
  const groups = new Map<string, { n: number, last: Refusal }>()
  for (const r of refusals) {
    const key = `${r.by}\n${r.operationId}\n${r.status}\n${r.code ?? ''}`
    groups.set(key, { n: (groups.get(key)?.n ?? 0) + 1, last: r })
  }
  return [...groups.values()].map(({ n, last }) =>
    `${last.by} refused ${n} ${last.operationId} (${last.method} ${last.path}${last.keyId === undefined ? '' : `, keyid ${last.keyId}`}) with ${last.status} ${last.code ?? 'without a code'}` +
    `${last.detail === undefined ? '' : ` (${last.detail})`}` +
    `${last.signatureBase === undefined ? '' : `; signature base it rebuilt:\n${last.signatureBase.split('\n').map((l) => `    ${l}`).join('\n')}`}`
  ).join('\n')
}

/** A bounded log of refusals: the newest `limit` are kept. */
export class RefusalLog {
  readonly #entries: Refusal[] = []
  constructor (readonly limit = 200) {}

  add (refusal: Refusal): void {
    this.#entries.push(refusal)
    if (this.#entries.length > this.limit) this.#entries.shift()
  }

  /** Those at or after `since` (ms), that `where` accepts. */
  since (since: number, where: (r: Refusal) => boolean = () => true): Refusal[] {
    return this.#entries.filter((r) => r.at >= since && where(r))
  }
}
