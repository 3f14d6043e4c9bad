// RFC 7395 on the hapi server's own listener (GRIDIM-XMPP-6): `ws` without a server of its own,
// fed by the listener's upgrade event for GET /xmpp-websocket with the `xmpp` subprotocol.
import type { Plugin, Server } from '@hapi/hapi'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { C2sServer } from '../c2s/index.ts'
import { GridImError } from '../../lib/errors/index.ts'
import { OriginPolicy } from '../origin/index.ts'
import { DEFAULT_STANZA_LIMITS } from '../stanza/index.ts'
import { serveWebSocket } from './connection.ts'

export interface WebSocketOptions {
  c2s: C2sServer
  path?: string
  /** GRIDIM-XMPP-8: whether these connections count as protected (TLS in front). */
  secure?: boolean
  /** GRIDIM-XMPP-57: the pages that may open a stream from a browser; default none but same-origin. */
  origins?: OriginPolicy
}

/** RFC 7395 §3.1: the client MUST offer the "xmpp" subprotocol. */
export function offersXmpp (request: IncomingMessage): boolean {
  const header = request.headers['sec-websocket-protocol']
  return typeof header === 'string' && header.split(',').some((p) => p.trim() === 'xmpp')
}

/** Refuses an upgrade with problem details (invalid-request, or forbidden for an origin), as the contract says. */
function refuse (socket: Duplex, detail: string, code: 'invalid-request' | 'forbidden' = 'invalid-request'): void {
  const body = JSON.stringify(new GridImError(code, detail).toProblem('/xmpp-websocket'))
  const status = code === 'forbidden' ? '403 Forbidden' : '400 Bad Request'
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nSec-WebSocket-Version: 13\r\nConnection: close\r\n\r\n${body}`)
}

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
      if (!offersXmpp(request)) return refuse(socket, "the WebSocket handshake does not offer the 'xmpp' subprotocol (RFC 7395 §3.1)")
      if (request.headers['sec-websocket-version'] !== '13') return refuse(socket, 'unsupported Sec-WebSocket-Version; this server speaks 13')
      // GRIDIM-XMPP-57, RFC 6455 §10.2: browsers do not preflight a WebSocket, so the server
      // checks the page's origin itself and answers one it does not accept with 403.
      if (!origins.decide(request.headers.origin, request.headers.host).allowed) {
        return refuse(socket, `pages from ${String(request.headers.origin)} may not open XMPP streams at this gateway (GRIDIM-XMPP-57)`, 'forbidden')
      }
      wss.handleUpgrade(request, socket, head, (ws) => serveWebSocket(options.c2s, ws, { secure: options.secure ?? false }))
    })
    server.ext('onPreStop', () => {
      for (const ws of wss.clients) ws.terminate()
      wss.close()
    })
  }
}
