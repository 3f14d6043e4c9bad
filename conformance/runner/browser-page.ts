// The runner action `bosh-from-page`: the runner acts as a web page's script in a browser — an
// XMPP client such as Converse.js served from another origin — and judges the gateway's answers
// as the browser would (the Fetch standard's CORS protocol), GRIDIM-XMPP-56, -57:
//   preflight  OPTIONS /http-bind with Origin, Access-Control-Request-Method: POST and
//              Access-Control-Request-Headers: content-type (text/xml is not CORS-safelisted);
//   post       POST /http-bind with Origin: a session creation request (ended again at once);
//   websocket  the WebSocket opening handshake with Origin (browsers do not preflight it).
// `origin: allowed | refused` picks the target's page origins (GatewayEndpoint.pageOrigins).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { WebSocket } from 'ws'

export const PAGE_REQUESTS = ['preflight', 'post', 'websocket'] as const
export type PageRequest = typeof PAGE_REQUESTS[number]

/** What a loopback gateway allows by default (a page on this machine), and what nobody should. */
export const DEFAULT_PAGE_ORIGINS = { allowed: 'http://localhost:8080', refused: 'https://refused-origin.invalid' }

export type PageAnswer = { status: number, body: Record<string, unknown> }

type Raw = { status: number, headers: IncomingHttpHeaders, text: string }

function exchange (url: string, method: string, headers: Record<string, string>, body = ''): Promise<Raw> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method, agent: false, timeout: 15_000, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
      res.on('error', () => resolve({ status: 0, headers: {}, text: '' }))
    })
    req.on('timeout', () => req.destroy(new Error('no answer within 15 s')))
    req.on('error', () => resolve({ status: 0, headers: {}, text: '' }))
    req.end(body)
  })
}

const list = (value: string | string[] | undefined): string[] =>
  (Array.isArray(value) ? value.join(',') : value ?? '').split(',').map((v) => v.trim().toLowerCase()).filter((v) => v !== '')

/** Fetch "CORS check": the answer names this origin (or `*`, as no credentials are sent). */
function sharedWith (headers: IncomingHttpHeaders, origin: string): boolean {
  const allow = headers['access-control-allow-origin']
  return allow === '*' || allow === origin
}

const hasCorsHeaders = (headers: IncomingHttpHeaders): boolean => Object.keys(headers).some((name) => name.startsWith('access-control-allow-'))

/** Why the preflight fails for a POST of text/xml, as a browser and GRIDIM-XMPP-56 see it; undefined when it passes. */
function preflightFault (raw: Raw, origin: string): string | undefined {
  if (raw.status < 200 || raw.status > 299) return `status ${raw.status}, not 2xx`
  if (!sharedWith(raw.headers, origin)) return `Access-Control-Allow-Origin is ${JSON.stringify(raw.headers['access-control-allow-origin'] ?? null)}, not ${origin}`
  if (!list(raw.headers['access-control-allow-methods']).includes('post')) return 'Access-Control-Allow-Methods does not include POST'
  const headers = list(raw.headers['access-control-allow-headers'])
  if (!headers.includes('content-type') && !headers.includes('*')) return 'Access-Control-Allow-Headers does not include Content-Type'
  if (!(Number(raw.headers['access-control-max-age']) > 0)) return 'no Access-Control-Max-Age'
  return undefined
}

export async function fromPage (gatewayUrl: string, domain: string, kind: PageRequest, origin: string): Promise<PageAnswer> {
  const base = gatewayUrl.replace(/\/$/, '')
  if (kind === 'websocket') return await websocketHandshake(`${base.replace(/^http/, 'ws')}/xmpp-websocket`, origin)
  const url = `${base}/http-bind`
  if (kind === 'preflight') {
    const raw = await exchange(url, 'OPTIONS', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' })
    const fault = preflightFault(raw, origin)
    return { status: raw.status, body: { preflight: fault === undefined ? 'passed' : 'failed', ...(fault === undefined ? {} : { reason: fault }), corsHeaders: hasCorsHeaders(raw.headers) } }
  }
  const NS = "xmlns='http://jabber.org/protocol/httpbind'"
  const raw = await exchange(url, 'POST', { origin, 'content-type': 'text/xml; charset=utf-8' }, `<body ${NS} rid='1000' to='${domain}' wait='1' hold='1' ver='1.6'/>`)
  const sid = /^<body[^>]*\ssid=['"]([^'"]+)['"]/.exec(raw.text)?.[1]
  // The page leaves at once: the session it made is ended, so nothing of it lingers.
  if (sid !== undefined) await exchange(url, 'POST', { origin, 'content-type': 'text/xml; charset=utf-8' }, `<body ${NS} rid='1001' sid='${sid}' type='terminate'/>`)
  return {
    status: raw.status,
    body: { readable: sharedWith(raw.headers, origin), varyOrigin: list(raw.headers.vary).includes('origin') || raw.headers['access-control-allow-origin'] === '*', created: sid !== undefined }
  }
}

/** The opening handshake with `Origin`; 101 when the gateway upgrades, else its status (0: none). */
function websocketHandshake (url: string, origin: string): Promise<PageAnswer> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, ['xmpp'], { origin, handshakeTimeout: 15_000 })
    const done = (status: number): void => { ws.terminate(); resolve({ status, body: {} }) }
    ws.on('open', () => done(101))
    ws.on('unexpected-response', (_req, res) => { res.resume(); done(res.statusCode ?? 0) })
    ws.on('error', () => done(0))
  })
}
