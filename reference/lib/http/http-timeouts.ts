// GRIDIM-LIM-17..20: how long a role waits for a client that is slow or silent. Node's HTTP
// server enforces all three; what it needs is the values, and a check interval short enough
// that a timeout is kept to within a fraction of itself.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { NO_FAULTS, type Fault } from '../faults.ts'

export type HttpTimeouts = {
  /** GRIDIM-LIM-17: a request's header section must arrive within this (default 10 s). */
  headersMs: number
  /** GRIDIM-LIM-18: a whole request, header section and body, must arrive within this (default 30 s). */
  requestMs: number
  /** GRIDIM-LIM-19: a kept-alive connection with no request under way is closed after this (default 5 s). */
  idleMs: number
}

export const DEFAULT_HTTP_TIMEOUTS: Readonly<HttpTimeouts> = { headersMs: 10_000, requestMs: 30_000, idleMs: 5_000 }

/** A node:http server that closes what exceeds `timeouts` (hapi listens with it). */
export function httpListener (timeouts: Partial<HttpTimeouts> = {}, faults: ReadonlySet<Fault> = NO_FAULTS): HttpServer {
  const { headersMs, requestMs, idleMs } = { ...DEFAULT_HTTP_TIMEOUTS, ...timeouts }
  if (!(headersMs > 0 && requestMs >= headersMs && idleMs > 0)) {
    throw new Error(`HTTP timeouts need 0 < headersMs <= requestMs and idleMs > 0, got ${JSON.stringify({ headersMs, requestMs, idleMs })}`)
  }
  // Node checks header and request timeouts every connectionsCheckingInterval (default 30 s).
  const connectionsCheckingInterval = Math.max(25, Math.min(1000, Math.floor(headersMs / 4)))
  const server = createHttpServer({ headersTimeout: headersMs, requestTimeout: requestMs, keepAliveTimeout: idleMs, connectionsCheckingInterval })
  // A timeout reaches the server as a 'clientError', which hapi answers and then only half-closes
  // (socket.end): a client that never reads and never closes would hold the socket for ever.
  // Once the answer is out, the socket goes. (Registered before hapi's listener, so it runs first.)
  server.on('clientError', (_error, socket) => {
    if (socket.destroyed) return
    if (socket.writableFinished) socket.destroy()
    else socket.once('finish', () => socket.destroy())
  })
  // The fault held-answer-cut-as-idle: a connection whose answer is not finished within the idle
  // timeout is closed, as if a held long poll were an idle connection (GRIDIM-LIM-20).
  if (faults.has('held-answer-cut-as-idle')) {
    server.on('request', (request, response) => {
      const timer = setTimeout(() => { request.socket.destroy() }, idleMs)
      response.once('close', () => { clearTimeout(timer) })
    })
  }
  return server
}
