// Service-to-service HTTP calls by operationId (GRIDIM-SEC: every one signed). The path comes
// from the contract; a problem-details answer becomes the GridImError it names; a network
// failure or timeout becomes `unavailable`, which callers may retry with the same message id.
import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { GridImError } from '../errors/index.ts'
import { allOperations, type Operation } from '../contract/operations.ts'
import type { Fault } from '../faults.ts'
import type { AllOperations, OperationId, PathParams, QueryParams, RequestBody, SuccessResponse } from '../contract/types.ts'

export type OutgoingRequest = { method: string, url: string, headers: Record<string, string>, body?: string }
/** Returns the headers that sign the request (Signature-Input, Signature, Content-Digest). */
export type Signer = (req: OutgoingRequest) => Record<string, string>

export type CallOptions = {
  params?: Record<string, string>
  query?: Record<string, string | number | undefined>
  body?: unknown
  /** Extra request headers, e.g. a bearer token for the client or admin interface. */
  headers?: Record<string, string>
  timeoutMs?: number
}

export type CallResult<T = unknown> = { status: number, body: T }

/** The options of a call of operation `Op`, typed from the contract: its path and query parameters and its body. */
export type CallOptionsFor<Op> =
  & ({} extends PathParams<Op> ? { params?: PathParams<Op> } : { params: PathParams<Op> })
  & ({} extends QueryParams<Op> ? { query?: QueryParams<Op> } : { query: QueryParams<Op> })
  & (undefined extends RequestBody<Op> ? { body?: RequestBody<Op> } : { body: RequestBody<Op> })
  & { headers?: Record<string, string>, timeoutMs?: number }

/** The rest parameter of a typed call: the options may be left out when nothing in them is required. */
export type CallArgs<Op> = {} extends CallOptionsFor<Op> ? [options?: CallOptionsFor<Op>] : [options: CallOptionsFor<Op>]

/** A successful answer of `Op`: status and body, discriminated by the status. */
export type CallResultFor<Op> = SuccessResponse<Op>

export type PeerClientOptions = {
  signer?: Signer
  timeoutMs?: number
  /** Called once per request sent, for metrics ("requests per sign-on"). */
  onRequest?: (operationId: string, url: string) => void
  /** Deliberate bugs, only for conformance/variants (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
}

let operations: Map<string, Operation> | undefined

/** One request seen by an observer: who signed it (if signed), what, where, and the answer. */
export type ObservedExchange = {
  operationId: string
  method: string
  url: string
  keyId?: string
  requestBody?: unknown
  status: number
  responseBody?: unknown
  /** The answer's Content-Type, so an observer can check media types (GRIDIM-ROLE-6). */
  responseContentType?: string
  /** When the request went out; `at` is when its answer came (or the call failed). */
  sentAt?: number
  at: number
}

const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE'])
/** How soon a stale kept-alive connection fails: at once, when the request is written to it. */
const STALE_WITHIN_MS = 1000

/** A failure that shows a kept-alive connection was stale: a reset at once, not a request the peer held and then cut. */
function isStale (code: string | undefined, startedAt: number): boolean {
  return STALE_CONNECTION.has(code ?? '') && Date.now() - startedAt < STALE_WITHIN_MS
}

const observers = new Set<(exchange: ObservedExchange) => void>()

function operation (operationId: string): Operation {
  operations ??= allOperations()
  const op = operations.get(operationId)
  if (op === undefined) throw new Error(`unknown operationId ${operationId}`)
  return op
}

/** The largest answer a peer may send (the contract's largest is a page of offline messages). */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024

/**
 * Kept-alive connections to peers. node:http rather than fetch: undici's fetch costs about
 * 600 µs more CPU per call on this path (`npm run bench -- --only costs`, BENCHMARKS.md), and a
 * region makes one call per message it forwards.
 */
export type Agents = { readonly 'http:': HttpAgent, readonly 'https:': HttpsAgent }
/** A pool of kept-alive connections of its own (the conformance runner keeps its roles' apart). */
export const keptAliveAgents = (): Agents => ({ 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) })
const AGENTS = keptAliveAgents()

/** An answer as it came: status, Content-Type, the body as UTF-8 text, Retry-After. */
export type RawResponse = { status: number, contentType: string | undefined, text: string, retryAfter?: string }

/**
 * A `Retry-After` field value (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds or an
 * HTTP-date; undefined when absent or unreadable.
 */
export function retryAfterMs (value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

function sendOnce (url: URL, method: string, headers: Record<string, string>, body: string | Buffer | undefined, timeoutMs: number, fresh: boolean, agents: Agents): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const protocol = url.protocol === 'https:' ? 'https:' : 'http:'
    const req = (protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method,
      // A fresh connection is one of its own: the pool's other idle ones may be as stale.
      agent: fresh ? false : agents[protocol],
      headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }
    })
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
    const started = Date.now()
    const fail = (err: Error): void => {
      clearTimeout(timer)
      // A kept-alive connection the peer had closed fails at once, before anything was answered.
      // One cut after the peer held the request a while (a long poll cut at an idle timeout,
      // GRIDIM-LIM-20) is the peer's doing, not a stale connection: sending it again would hide it.
      reject(Object.assign(err, { staleConnection: req.reusedSocket && isStale((err as { code?: string }).code, started) }))
    }
    req.on('error', fail)
    req.on('response', (res) => {
      let text = ''
      let size = 0
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        size += Buffer.byteLength(chunk)
        if (size > MAX_RESPONSE_BYTES) req.destroy(new Error(`answer larger than ${MAX_RESPONSE_BYTES} bytes`))
        else text += chunk
      })
      res.on('error', fail)
      res.on('end', () => {
        clearTimeout(timer)
        const retryAfter = res.headers['retry-after']
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text, ...(retryAfter === undefined ? {} : { retryAfter }) })
      })
    })
    req.end(body)
  })
}

/**
 * One request over the kept-alive connections; once more on a fresh connection when a kept-alive
 * one turns out closed (the peer restarted), with the headers `again()` gives: a signed request is
 * signed anew, since the first may have reached the peer after all — a balancer that lost the
 * instance it had passed it to closes the connection the same way — and its nonce may be spent
 * there (GRIDIM-SEC-5, GRIDIM-SEC-18). The conformance runner sends its roles' requests with it.
 */
export async function send (url: string, method: string, headers: Record<string, string>, body: string | Buffer | undefined, timeoutMs: number, again: () => Record<string, string> = () => headers, agents: Agents = AGENTS): Promise<RawResponse> {
  const target = new URL(url)
  try {
    return await sendOnce(target, method, headers, body, timeoutMs, false, agents)
  } catch (err) {
    if (!(err as { staleConnection?: boolean }).staleConnection) throw err
    return await sendOnce(target, method, again(), body, timeoutMs, true, agents)
  }
}

export function buildUrl (baseUrl: string, op: Operation, options: CallOptions): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = options.params?.[name]
    if (value === undefined) throw new Error(`${op.operationId}: missing path parameter ${name}`)
    return encodeURIComponent(value)
  })
  const url = new URL(baseUrl.replace(/\/$/, '') + path)
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v))
  return url.href
}

export class PeerClient {
  readonly #options: PeerClientOptions

  /**
   * Sees every exchange any PeerClient in this process makes (the conformance runner watches an
   * embedded grid's traffic this way). Returns the function that stops observing.
   */
  static observe (observer: (exchange: ObservedExchange) => void): () => void {
    observers.add(observer)
    return () => observers.delete(observer)
  }

  constructor (options: PeerClientOptions = {}) {
    this.#options = options
  }

  /**
   * Calls an operation of the contract, typed from it: the parameters and body it takes, the
   * body of its successful answer. An error answer is thrown as the GridImError it names.
   */
  async call<K extends OperationId> (baseUrl: string, operationId: K, ...[options]: CallArgs<AllOperations[K]>): Promise<CallResultFor<AllOperations[K]>> {
    return await this.callUnchecked(baseUrl, operationId, (options ?? {}) as CallOptions) as CallResultFor<AllOperations[K]>
  }

  /**
   * Calls an operation named at run time (a flow's step) with whatever parameters and body it is
   * given, unchecked: for what the contract forbids on purpose, and for data-driven callers.
   */
  async callUnchecked<T = unknown> (baseUrl: string, operationId: string, options: CallOptions = {}): Promise<CallResult<T>> {
    const op = operation(operationId)
    const url = buildUrl(baseUrl, op, options)
    const body = options.body === undefined ? undefined : JSON.stringify(options.body)
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...options.headers }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const request: OutgoingRequest = { method: op.method, url, headers, body }
    const signer = op.security.includes('gridimSignature') ? this.#options.signer : undefined
    if (signer !== undefined) Object.assign(headers, signer(request))
    this.#options.onRequest?.(operationId, url)
    const sentAt = Date.now()
    const report = (status: number, responseBody?: unknown, responseContentType?: string): void => {
      if (observers.size === 0) return
      const keyId = /keyid="([^"]*)"/.exec(headers['Signature-Input'] ?? headers['signature-input'] ?? '')?.[1]
      const exchange: ObservedExchange = { operationId, method: op.method, url, keyId, requestBody: options.body, status, responseBody, responseContentType, sentAt, at: Date.now() }
      for (const observer of observers) observer(exchange)
    }

    let response: RawResponse
    try {
      // GRIDIM-SEC-18: sent again, a request is signed anew; the fault sends the first one's headers, nonce and all.
      const resigned = signer === undefined || this.#options.faults?.has('resend-same-signature') === true ? undefined : () => ({ ...headers, ...signer(request) })
      response = await send(url, op.method, headers, body, options.timeoutMs ?? this.#options.timeoutMs ?? 10_000, resigned)
    } catch (err) {
      report(0)
      throw new GridImError('unavailable', `${operationId} to ${new URL(url).host} failed: ${(err as Error).message}`)
    }
    const { text, contentType } = response
    let parsed: any
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
    } catch {
      report(response.status, text, contentType)
      throw new GridImError('unavailable', `${operationId}: answer is not JSON (status ${response.status})`)
    }
    report(response.status, parsed, contentType)
    if (response.status >= 400) {
      // GRIDIM-ERR-3: a code this version does not know is acted on by its status class.
      const err = GridImError.fromProblem(parsed) ?? new GridImError(response.status >= 500 ? 'unavailable' : 'invalid-request', `${operationId}: status ${response.status}`)
      const code = (parsed as { code?: unknown } | undefined)?.code
      const wait = retryAfterMs(response.retryAfter)
      err.peerAnswer = { status: response.status, ...(typeof code === 'string' ? { code } : {}), ...(wait === undefined ? {} : { retryAfterMs: wait }) }
      throw err
    }
    return { status: response.status, body: parsed as T }
  }
}
