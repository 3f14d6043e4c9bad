// A hapi server with GridIM's two error channels: setup mistakes throw at start-up; request
// problems become RFC 9457 problem details with a stable code (GRIDIM-ERR). A 5xx never
// exposes its cause to the caller; it is logged instead. It listens with the timeouts of
// GRIDIM-LIM-17..19 and measures every request body, whatever the method (GRIDIM-LIM-3).
import Hapi, { type Request, type ResponseToolkit, type Server } from '@hapi/hapi'
import { GridImError, type ErrorCode } from '../errors/index.ts'
import { NO_FAULTS, type Fault } from '../faults.ts'
import { readWithin } from './measure-body.ts'
import { httpListener, type HttpTimeouts } from './http-timeouts.ts'
import type { Logger } from './logger.ts'

export type ServerOptions = {
  host?: string
  port?: number
  logger: Logger
  /** GRIDIM-LIM-17..19; the defaults of DEFAULT_HTTP_TIMEOUTS for what is not given. */
  timeouts?: Partial<HttpTimeouts>
  /** GRIDIM-LIM-3: the largest request body (default 65 536 bytes). */
  maxBodyBytes?: number
  /** Deliberate bugs, only for conformance/variants (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
}

/** A route that reads its own body up to its own limit (BOSH, GRIDIM-LIM-11) says so with this. */
export const OWN_BODY_LIMIT = 'gridimOwnBodyLimit'

/** GRIDIM-LIM-3. */
export const MAX_BODY_BYTES = 64 * 1024

const BOOM_CODES: Record<number, ErrorCode> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  // GRIDIM-ERR-12: no operation at this method and path (an empty path segment matches none).
  404: 'unknown-operation',
  405: 'unknown-operation',
  413: 'body-too-large',
  415: 'invalid-request',
  429: 'rate-limited',
  503: 'unavailable'
}

/** GRIDIM-LIM-12: a `rate-limited` refusal says when to try again (in seconds), unless the fault rate-limited-without-retry-after. */
export const RETRY_AFTER_SECONDS = 1

function toProblemResponse (request: Request, h: ResponseToolkit, error: GridImError, faults: ReadonlySet<Fault> = NO_FAULTS) {
  // GRIDIM-ERR-1, GRIDIM-ROLE-6; the fault labels problems as a framework's default JSON does.
  const type = faults.has('problems-as-plain-json') ? 'application/json' : 'application/problem+json'
  const problem = error.toProblem(request.path)
  // GRIDIM-ERR-6; the fault answers a 5xx with the stack, as a framework's development mode does.
  if (faults.has('stack-in-5xx') && error.status >= 500) problem.detail = error.stack
  // The fault problem-detail-on-5xx: a 5xx tells its cause, as a debugging aid would (the peer's address, say).
  if (error.status >= 500 && faults.has('problem-detail-on-5xx') && error.message !== problem.title) problem.detail = error.message
  const response = h.response(problem).code(error.status).type(type)
  if (error.code === 'rate-limited' && !faults.has('rate-limited-without-retry-after')) response.header('retry-after', String(RETRY_AFTER_SECONDS))
  return response
}

export function createServer (options: ServerOptions): Server {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES
  const faults = options.faults ?? NO_FAULTS
  const server = Hapi.server({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    listener: httpListener(options.timeouts, faults),
    routes: { timeout: { server: false, socket: false } },
    router: { stripTrailingSlash: true }
  })

  // Two faults of servers whose router comes late: a HEAD matched only to HEAD routes (GRIDIM-ERR-14),
  // and a body limit applied to every request before routing (GRIDIM-ERR-13).
  if (faults.has('head-as-unknown-operation') || faults.has('body-limit-before-routing')) {
    server.ext('onRequest', (request, h) => {
      if (faults.has('head-as-unknown-operation') && request.method === 'head') throw new GridImError('unknown-operation', `no operation at HEAD ${request.path}`)
      if (faults.has('body-limit-before-routing') && Number(request.headers['content-length'] ?? 0) > maxBodyBytes) throw new GridImError('body-too-large', `the request body is over ${maxBodyBytes} bytes`)
      return h.continue
    })
  }

  // GRIDIM-LIM-3, GRIDIM-ERR-7: the size of the body is the first thing checked, for every
  // method. hapi reads no body for GET and HEAD, so those are measured here (and dropped).
  server.ext('onPreAuth', async (request, h) => {
    if ((request.route.settings.app as Record<string, unknown> | undefined)?.[OWN_BODY_LIMIT] === true) return h.continue
    const method = request.method.toUpperCase()
    const unread = method === 'GET' || method === 'HEAD'
    // The get-body-unlimited fault lets a GET's body through unmeasured, as hapi alone does.
    if (unread && faults.has('get-body-unlimited')) return h.continue
    const declared = Number(request.headers['content-length'] ?? 0)
    if (declared > maxBodyBytes) throw new GridImError('body-too-large', `the request body is over ${maxBodyBytes} bytes`)
    if (unread && (declared > 0 || request.headers['transfer-encoding'] !== undefined)) {
      if ((await readWithin(request.raw.req, maxBodyBytes)).size > maxBodyBytes) throw new GridImError('body-too-large', `the request body is over ${maxBodyBytes} bytes`)
    }
    return h.continue
  })

  server.ext('onPreResponse', (request, h) => {
    const response = request.response
    if (response instanceof GridImError) return toProblemResponse(request, h, response, faults)
    if (!('isBoom' in response) || !response.isBoom) return h.continue
    const status = response.output.statusCode
    const code = BOOM_CODES[status]
    if (code !== undefined) return toProblemResponse(request, h, new GridImError(code, status === 404 ? `no operation at ${request.method.toUpperCase()} ${request.path}` : undefined), faults)
    options.logger.error('request failed', { route: request.route.settings.id ?? request.path, error: response.message, stack: response.stack })
    return toProblemResponse(request, h, new GridImError('internal'), faults)
  })

  return server
}
