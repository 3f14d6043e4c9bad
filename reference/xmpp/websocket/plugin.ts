// RFC 7395 on the hapi server's own listener (GRIDIM-XMPP-6): `ws` without a server of its own,
// fed by the listener's upgrade event for GET /xmpp-websocket with the `xmpp` subprotocol.
import type { Plugin, Server } from '@hapi/hapi'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { C2sServer } from '../c2s/index.ts'
import { GridImError } from '../../lib/errors/index.ts'
import { handshakeProblemFor, MAX_HANDSHAKE_BODY_BYTES as MAX_BODY_BYTES, offersSubprotocol, refuseHandshake, type HandshakeRefusal } from '../../lib/http/websocket-handshake.ts'
import { OriginPolicy } from '../origin/index.ts'
import type { Fault } from '../../lib/faults.ts'
import { DEFAULT_STANZA_LIMITS } from '../stanza/index.ts'
import { serveWebSocket } from './connection.ts'

export interface WebSocketOptions {
  c2s: C2sServer
  path?: string
  /** GRIDIM-XMPP-8: whether these connections count as protected (TLS in front). */
  secure?: boolean
  /** GRIDIM-XMPP-57: the pages that may open a stream from a browser; default none but same-origin. */
  origins?: OriginPolicy
  /** Deliberate bugs, only for conformance/variants (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
}

/** RFC 7395 §3.1: the client MUST offer the "xmpp" subprotocol. */
export function offersXmpp (request: IncomingMessage): boolean {
  return offersSubprotocol(request, 'xmpp')
}

/** Why `request` is not a handshake this server takes, or undefined when it is one. */
export function handshakeProblem (request: IncomingMessage): string | undefined {
  return handshakeProblemFor(request, 'xmpp', "the WebSocket handshake does not offer the 'xmpp' subprotocol (RFC 7395 §3.1)")
}

const refuse = (socket: Duplex, detail: string, code?: HandshakeRefusal): void => refuseHandshake(socket, '/xmpp-websocket', detail, code)

export const websocketPlugin: Plugin<WebSocketOptions> = {
  name: 'gridim-xmpp-websocket',
  register (server: Server, options: WebSocketOptions) {
    if (options?.c2s === undefined) throw new TypeError('websocket plugin: the `c2s` option (a C2sServer) is required')
    const path = options.path ?? '/xmpp-websocket'
    const origins = options.origins ?? new OriginPolicy()
    // A stanza may be 64 KiB; a frame a little more is still parsed, and refused by size there.
    const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * DEFAULT_STANZA_LIMITS.maxBytes, handleProtocols: () => 'xmpp' })
    server.listener.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (new URL(request.url ?? '/', 'http://x').pathname !== path) {
        if (server.listener.listenerCount('upgrade') === 1) socket.destroy() // nobody else takes upgrades
        return
      }
      if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return refuse(socket, `the handshake carries a body over ${MAX_BODY_BYTES} bytes`, 'body-too-large')
      const problem = handshakeProblem(request)
      if (problem !== undefined) return refuse(socket, problem)
      // GRIDIM-XMPP-57, RFC 6455 §10.2: browsers do not preflight a WebSocket, so the server
      // checks the page's origin itself and answers one it does not accept with 403.
      if (!origins.decide(request.headers.origin, request.headers.host).allowed) {
        return refuse(socket, `pages from ${String(request.headers.origin)} may not open XMPP streams at this gateway (GRIDIM-XMPP-57)`, 'forbidden')
      }
      wss.handleUpgrade(request, socket, head, (ws) => serveWebSocket(options.c2s, ws, { secure: options.secure ?? false, skipComments: options.faults?.has('websocket-xml-comments-skipped') === true }))
    })
    // A GET without `Upgrade` never reaches the upgrade event: hapi answers it, with the 400
    // the contract lists for a failed handshake rather than "no such operation" (GRIDIM-ERR-12).
    if (options.faults?.has('websocket-get-unrouted') !== true) server.route({
      method: 'GET',
      path,
      handler: (_request, h) => {
        const error = new GridImError('invalid-request', `GET ${path} is a WebSocket handshake (RFC 6455 §4.1, RFC 7395 §3.1); this request asks for no upgrade`)
        return h.response(error.toProblem(path)).code(error.status).type('application/problem+json')
      }
    })
    server.ext('onPreStop', () => {
      for (const ws of wss.clients) ws.terminate()
      wss.close()
    })
  }
}
