// The runner action `open-websocket`: one GET of the gateway's WebSocket endpoint (RFC 6455
// §4.1, RFC 7395 §3.1) over a real connection, as a valid handshake or spoiled one way, so a
// flow can see what a client gets back: 101 for a handshake the gateway takes, and otherwise the
// 400 that gateway.yaml's openWebSocket lists — not a 404 because no upgrade was asked for.
import { request } from 'node:http'

export const HANDSHAKES = ['valid', 'no-upgrade', 'bad-key'] as const
export type Handshake = typeof HANDSHAKES[number]

const VALID: Record<string, string> = {
  connection: 'Upgrade',
  upgrade: 'websocket',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'sec-websocket-version': '13',
  'sec-websocket-protocol': 'xmpp'
}

export function handshakeHeaders (handshake: Handshake): Record<string, string> {
  if (handshake === 'no-upgrade') return {}
  if (handshake === 'bad-key') return { ...VALID, 'sec-websocket-key': 'not-sixteen-bytes' }
  return VALID
}

export type HandshakeAnswer = { status: number, body: unknown, contentType?: string }

/** GETs `<gatewayUrl>/xmpp-websocket` with `headers`; a 101 is answered and the socket closed at once. */
export async function openWebSocket (gatewayUrl: string, headers: Record<string, string>): Promise<HandshakeAnswer> {
  return await new Promise((resolve) => {
    const req = request(`${gatewayUrl.replace(/\/$/, '')}/xmpp-websocket`, { headers, agent: false, timeout: 15_000 })
    req.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve({ status: res.statusCode ?? 101, body: undefined })
    })
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => {
        const contentType = res.headers['content-type']?.split(';')[0]
        let body: unknown = text
        try { body = JSON.parse(text) } catch { /* not JSON: the text is the body */ }
        resolve({ status: res.statusCode ?? 0, body, ...(contentType === undefined ? {} : { contentType }) })
      })
    })
    req.on('timeout', () => req.destroy(new Error('no answer within 15 s')))
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, body: { error: err.code ?? err.message } }))
    req.end()
  })
}
