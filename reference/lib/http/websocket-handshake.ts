// The server half of an RFC 6455 §4 opening handshake on a hapi listener's `upgrade` event, for
// every WebSocket this project serves (the gateway's XMPP WebSocket, the region's client
// stream): what makes a handshake acceptable, and the problem-details refusal of one that is
// not (`ws` would answer a bad handshake itself, in text/html).
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { GridImError } from '../errors/index.ts'

/** RFC 6455 §4.1: the key is base64 of 16 bytes. */
const KEY = /^[A-Za-z0-9+/]{22}==$/

/** GRIDIM-LIM-3: no request body over 65,536 bytes, a handshake's included. */
export const MAX_HANDSHAKE_BODY_BYTES = 65_536

/** RFC 6455 §1.9: whether the handshake offers `protocol` among its subprotocols. */
export function offersSubprotocol (request: IncomingMessage, protocol: string): boolean {
  const header = request.headers['sec-websocket-protocol']
  return typeof header === 'string' && header.split(',').some((p) => p.trim() === protocol)
}

/** Why `request` is not a handshake for `protocol`, or undefined when it is one; `missing` says why the protocol is required. */
export function handshakeProblemFor (request: IncomingMessage, protocol: string, missing: string): string | undefined {
  if (request.headers.upgrade?.toLowerCase() !== 'websocket') return 'the Upgrade header must be websocket (RFC 6455 §4.1)'
  if (!KEY.test(request.headers['sec-websocket-key'] ?? '')) return 'Sec-WebSocket-Key must be base64 of 16 bytes (RFC 6455 §4.1)'
  if (request.headers['sec-websocket-version'] !== '13') return 'unsupported Sec-WebSocket-Version; this server speaks 13'
  if (!offersSubprotocol(request, protocol)) return missing
  return undefined
}

export type HandshakeRefusal = 'invalid-request' | 'body-too-large' | 'forbidden'

/**
 * Answers a handshake with problem details and closes the connection. `mediaType` is theirs
 * (GRIDIM-ERR-1) but for the fault stream-refusal-plain-json.
 */
export function refuseHandshake (socket: Duplex, instance: string, detail: string, code: HandshakeRefusal = 'invalid-request', mediaType = 'application/problem+json'): void {
  const error = new GridImError(code, detail)
  const body = JSON.stringify(error.toProblem(instance))
  const reason = { 'invalid-request': 'Bad Request', 'body-too-large': 'Content Too Large', forbidden: 'Forbidden' }[code]
  socket.end(`HTTP/1.1 ${error.status} ${reason}\r\nContent-Type: ${mediaType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nSec-WebSocket-Version: 13\r\nConnection: close\r\n\r\n${body}`)
}

/** The pathname a handshake asks for. */
export const upgradePath = (request: IncomingMessage): string => new URL(request.url ?? '/', 'http://x').pathname
