// Registers the operations of one OpenAPI document on a hapi server. The route table comes
// from the contract, not from hand-written paths: each operation's parameters and body are
// validated from its schemas (GRIDIM-ERR: bad input is refused before a handler runs, so it
// changes nothing), its security scheme is enforced, and its response is checked on the way out.
import type { Request, ResponseToolkit, RouteDefMethods, Server } from '@hapi/hapi'
import type { Readable } from 'node:stream'
import type { ValidateFunction } from 'ajv'
import { GridImError } from '../errors/index.ts'
import { listOperations, type Operation } from '../contract/operations.ts'
import type { DocumentName } from '../contract/load-openapi.ts'
import type { DocumentOperations, PathParams, QueryParams, RequestBody, ResponseBody, Status } from '../contract/types.ts'

export type Principal =
  | { kind: 'peer', keyId: string }
  | { kind: 'client', token: string }
  | { kind: 'admin' }
  | { kind: 'anonymous' }

export type SecurityScheme = 'gridimSignature' | 'sessionSecret' | 'adminToken'

/** What an authenticator sees: enough to verify a signature over the exact bytes received. */
export type RawRequest = { method: string, url: string, headers: Record<string, string | string[] | undefined>, body: Buffer }

export type Authenticator = (req: RawRequest) => Promise<Principal> | Principal

export type PeerPrincipal = { kind: 'peer', keyId: string }
export type ClientPrincipal = { kind: 'client', token: string }

/**
 * What a handler of operation `Op` (a member of a generated `operations` type) receives: its
 * path and query parameters and its body, validated against the contract and typed from it.
 * `P` is who called, as the operation's security scheme established.
 */
export type OperationInput<Op, P extends Principal = Principal> = {
  params: PathParams<Op>
  query: QueryParams<Op>
  headers: Record<string, string | string[] | undefined>
  body: RequestBody<Op>
  principal: P
  request: Request
}

type Answer<Op, S extends Status<Op>> =
  (S extends 200 ? { status?: S } : { status: S }) &
  (undefined extends ResponseBody<Op, S> ? { body?: ResponseBody<Op, S> } : { body: ResponseBody<Op, S> }) &
  { headers?: Record<string, string> }

/** What a handler of `Op` answers: one of the statuses its contract lists, with that status's body (200 when no status is given). */
export type OperationResult<Op> =
  | { [S in Status<Op>]: Answer<Op, S> }[Status<Op>]
  | { status?: number, stream: Readable, contentType: string, headers?: Record<string, string> }

export type OperationHandler<Op, P extends Principal = Principal> = (input: OperationInput<Op, P>) => Promise<OperationResult<Op>> | OperationResult<Op>

/** A handler of operation `K` of document `D`, e.g. `HandlerFor<'user-server', 'signOn', PeerPrincipal>`. */
export type HandlerFor<D extends DocumentName, K extends keyof DocumentOperations[D], P extends Principal = Principal> = OperationHandler<DocumentOperations[D][K], P>

/** operationId → handler for the operations of document `D` a server implements. */
export type OperationHandlers<D extends DocumentName> = { [K in keyof DocumentOperations[D]]?: HandlerFor<D, K, any> }

type AnyResult = { status?: number, body?: unknown, headers?: Record<string, string> } | { status?: number, stream: Readable, contentType: string, headers?: Record<string, string> }
type AnyInput = { params: Record<string, string>, query: Record<string, unknown>, headers: RawRequest['headers'], body: unknown, principal: Principal, request: Request }
type AnyHandler = (input: AnyInput) => Promise<AnyResult> | AnyResult

export type RegisterOptions<D extends DocumentName> = {
  document: D
  handlers: OperationHandlers<D>
  authenticators: Partial<Record<SecurityScheme, Authenticator>>
  /** Largest request body accepted (GRIDIM-LIM). */
  maxBodyBytes?: number
  /** Check every JSON response against the contract; a mismatch is a 500 (a bug in the server). */
  validateResponses?: boolean
}

function describe (errors: ValidateFunction['errors']): string {
  return (errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ')
}

/** Query strings are text; coerce to what the parameter's schema says before validating. */
function coerce (value: string, validate: ValidateFunction): unknown {
  const type = (validate.schema as { type?: unknown }).type
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value)
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true'
  return value
}

function checkParams (op: Operation, where: 'path' | 'query' | 'header', values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = where === 'path' ? { ...values } : {}
  for (const p of op.params[where]) {
    const key = where === 'header' ? p.name.toLowerCase() : p.name
    const raw = values[key]
    if (raw === undefined || raw === '') {
      if (p.required) throw new GridImError('invalid-request', `missing ${where} parameter ${p.name}`)
      continue
    }
    const value = typeof raw === 'string' ? coerce(raw, p.validate) : raw
    if (!p.validate(value)) throw new GridImError('invalid-request', `${where} parameter ${p.name}: ${describe(p.validate.errors)}`)
    out[p.name] = value
  }
  return out
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

function parseBody (op: Operation, raw: Buffer): unknown {
  if (op.requestBody === undefined) return undefined
  let text: string
  try {
    // GRIDIM-ERR-11, RFC 8259 §8.1: JSON is UTF-8; bytes that are not are refused, never replaced.
    text = UTF8.decode(raw)
  } catch {
    throw new GridImError('invalid-request', 'the body is not UTF-8')
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new GridImError('invalid-request', 'the body is not JSON')
  }
  if (!op.requestBody(body)) {
    const errors = op.requestBody.errors ?? []
    // GRIDIM-LIM-1, -2: message text over the limit is `message-too-long`, not a shape error,
    // even when the schema's maxLength (characters) is what caught it.
    const tooLong = errors.length > 0 && errors.every((e) => e.keyword === 'maxLength' && /\/(body|message)$/.test(e.instancePath))
    throw new GridImError(tooLong ? 'message-too-long' : 'invalid-request', `body: ${describe(errors)}`)
  }
  return body
}

async function authenticate (op: Operation, request: Request, raw: Buffer, authenticators: RegisterOptions<DocumentName>['authenticators']): Promise<Principal> {
  if (op.security.length === 0) return { kind: 'anonymous' }
  const scheme = op.security[0] as SecurityScheme
  const authenticator = authenticators[scheme]
  if (!authenticator) throw new Error(`${op.operationId}: no authenticator for security scheme ${scheme}`)
  return await authenticator({ method: request.method.toUpperCase(), url: request.url.href, headers: request.headers as RawRequest["headers"], body: raw })
}

function respond (op: Operation, h: ResponseToolkit, result: AnyResult, validateResponses: boolean) {
  const status = result.status ?? 200
  if ('stream' in result) {
    const response = h.response(result.stream).code(status).type(result.contentType)
    for (const [k, v] of Object.entries(result.headers ?? {})) response.header(k, v)
    return response
  }
  const spec = op.responses.get(String(status))
  if (validateResponses) {
    if (spec === undefined) throw new Error(`${op.operationId}: status ${status} is not in the contract`)
    if (spec.validate && !spec.validate(result.body)) {
      throw new Error(`${op.operationId}: response ${status} breaks the contract: ${describe(spec.validate.errors)}`)
    }
  }
  const response = result.body === undefined ? h.response().code(status) : h.response(result.body as object).code(status)
  if (result.body !== undefined && spec?.contentType) response.type(spec.contentType)
  for (const [k, v] of Object.entries(result.headers ?? {})) response.header(k, v)
  return response
}

export function registerOperations<D extends DocumentName> (server: Server, options: RegisterOptions<D>): Operation[] {
  const { document, handlers, authenticators, maxBodyBytes = 64 * 1024, validateResponses = true } = options
  const operations = listOperations(document).filter((op) => op.operationId in handlers)
  const unknown = Object.keys(handlers).filter((id) => !operations.some((op) => op.operationId === id))
  if (unknown.length > 0) throw new Error(`${document}: handlers for operations not in the contract: ${unknown.join(', ')}`)

  for (const op of operations) {
    const handler = (handlers as Record<string, AnyHandler>)[op.operationId]!
    const hasBody = op.method !== 'GET' && op.method !== 'HEAD' && op.method !== 'DELETE'
    // GRIDIM-LIM-3: every body hapi reads is read raw and within the limit, a DELETE's too
    // (hapi would otherwise parse up to 1 MiB of it); GET and HEAD bodies are measured in
    // createServer. Only an operation with a body in the contract sees one.
    const readsPayload = op.method !== 'GET' && op.method !== 'HEAD'
    server.route({
      method: op.method as RouteDefMethods,
      path: op.path,
      options: {
        id: op.operationId,
        // No hapi payload timeout: the listener's request timeout (GRIDIM-LIM-18) governs every body.
        payload: readsPayload ? { parse: false, output: 'data', maxBytes: maxBodyBytes, timeout: false } : undefined,
        handler: async (request, h) => {
          const raw = hasBody && Buffer.isBuffer(request.payload) ? request.payload : Buffer.alloc(0)
          const principal = await authenticate(op, request, raw, authenticators)
          const input: AnyInput = {
            params: checkParams(op, 'path', request.params) as Record<string, string>,
            query: checkParams(op, 'query', request.query as Record<string, unknown>),
            headers: request.headers as RawRequest["headers"],
            body: hasBody ? parseBody(op, raw) : undefined,
            principal,
            request
          }
          return respond(op, h, await handler(input), validateResponses)
        }
      }
    })
  }
  return operations
}
