// A hapi server with GridIM's two error channels: setup mistakes throw at start-up; request
// problems become RFC 9457 problem details with a stable code (GRIDIM-ERR). A 5xx never
// exposes its cause to the caller; it is logged instead.
import Hapi, { type Request, type ResponseToolkit, type Server } from '@hapi/hapi'
import { GridImError, type ErrorCode } from '../errors/index.ts'
import type { Logger } from './logger.ts'

export type ServerOptions = { host?: string, port?: number, logger: Logger }

const BOOM_CODES: Record<number, ErrorCode> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'unknown-operation',
  405: 'unknown-operation',
  413: 'body-too-large',
  415: 'invalid-request',
  429: 'rate-limited',
  503: 'unavailable'
}

function toProblemResponse (request: Request, h: ResponseToolkit, error: GridImError) {
  return h.response(error.toProblem(request.path)).code(error.status).type('application/problem+json')
}

export function createServer (options: ServerOptions): Server {
  const server = Hapi.server({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    routes: { timeout: { server: false, socket: false } },
    router: { stripTrailingSlash: true }
  })

  server.ext('onPreResponse', (request, h) => {
    const response = request.response
    if (response instanceof GridImError) return toProblemResponse(request, h, response)
    if (!('isBoom' in response) || !response.isBoom) return h.continue
    const status = response.output.statusCode
    const code = BOOM_CODES[status]
    if (code !== undefined) return toProblemResponse(request, h, new GridImError(code, status === 404 ? `no operation at ${request.method.toUpperCase()} ${request.path}` : undefined))
    options.logger.error('request failed', { route: request.route.settings.id ?? request.path, error: response.message, stack: response.stack })
    return toProblemResponse(request, h, new GridImError('internal'))
  })

  return server
}
