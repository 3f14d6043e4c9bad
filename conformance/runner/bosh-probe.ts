// The runner action `post-bosh-body`: a BOSH request (XEP-0124) that a gateway must refuse the
// BOSH way, sent over a real socket — where a server that stops reading and closes makes TCP
// reset the connection and the answer is lost (GRIDIM-LIM-11, GRIDIM-XMPP-45), which
// server.inject never shows. `body`: `oversized` (a session request of 140 000 bytes),
// `invalid-utf8` (a session request holding the byte 0xFF, GRIDIM-ERR-11), `unknown-sid` (a
// request naming a session the gateway never made), `rid-outside-window` (a session is made, then
// a request with a rid far ahead of the window), `no-rid` (a session request without the rid every
// request carries, XEP-0124 §7.1 — not valid XEP-0124) and `restricted-xml` (a session request with
// a document type declaration that declares an entity, RFC 6120 §11.1), GRIDIM-XMPP-11, -43.
import { randomBytes } from 'node:crypto'
import { request as httpRequest } from 'node:http'

export const BOSH_BODY_SPOILS = ['oversized', 'invalid-utf8', 'unknown-sid', 'rid-outside-window', 'no-rid', 'restricted-xml'] as const
export type BoshBodySpoil = typeof BOSH_BODY_SPOILS[number]

/** Over GRIDIM-LIM-11's 131 072 bytes by a margin. */
const OVERSIZED_BYTES = 140_000
/** Far past any window: XEP-0124 §14.1 lets a client run at most `requests` ahead. */
const RID_AHEAD = 1_000_000
const NS_HTTPBIND = 'http://jabber.org/protocol/httpbind'

export type BoshAnswer = {
  status: number
  /** The `<body/>`'s type and condition; `streamError`, the condition of a `<stream:error/>` it carries (XEP-0206 §6). */
  body: { type?: string, condition?: string, streamError?: string, sid?: string, error?: string }
}

const sessionHeader = (domain: string, rid: number): string => `<body xmlns='${NS_HTTPBIND}' rid='${rid}' to='${domain}' wait='1' hold='1' ver='1.6' xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0'>`

function sessionRequest (domain: string, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from(sessionHeader(domain, 1)), content, Buffer.from('</body>')])
}

/** A fresh rid, as XEP-0124 §14 asks a client to pick one: random and far below 2^53. */
const freshRid = (): number => randomBytes(4).readUInt32BE() + 1

/** The bytes of a spoilt request that needs no session of its own. */
export function boshBody (spoil: Exclude<BoshBodySpoil, 'rid-outside-window'>, domain: string): Buffer {
  switch (spoil) {
    case 'oversized': return sessionRequest(domain, Buffer.from('x'.repeat(OVERSIZED_BYTES)))
    case 'invalid-utf8': return sessionRequest(domain, Buffer.from([0x63, 0x61, 0x66, 0xff]))
    case 'unknown-sid': return Buffer.from(`<body xmlns='${NS_HTTPBIND}' rid='${freshRid()}' sid='${randomBytes(16).toString('hex')}'/>`)
    case 'no-rid': return Buffer.from(`<body xmlns='${NS_HTTPBIND}' to='${domain}' wait='1' hold='1' ver='1.6'/>`)
    case 'restricted-xml': return Buffer.from(`<!DOCTYPE body [<!ENTITY who "${domain}">]>${sessionHeader(domain, freshRid()).replace(`to='${domain}'`, "to='&who;'")}</body>`)
  }
}

/** Reads the answer's `<body/>` attributes and the condition of a stream error it carries. */
export function readAnswer (text: string): BoshAnswer['body'] {
  const attr = (name: string) => new RegExp(`^<body[^>]*\\s${name}=['"]([^'"]*)['"]`).exec(text.trim())?.[1]
  const streamError = /<(?:stream:)?error[^>]*>\s*<([a-z-]+)/.exec(text)?.[1]
  return { type: attr('type'), condition: attr('condition'), ...(streamError === undefined ? {} : { streamError }), ...(attr('sid') === undefined ? {} : { sid: attr('sid') }) }
}

/** Posts `body` to `<gatewayUrl>/http-bind`; a reset or timeout is an answer too: status 0. */
export async function postBoshBody (gatewayUrl: string, body: Buffer): Promise<BoshAnswer> {
  return await new Promise((resolve) => {
    const url = `${gatewayUrl.replace(/\/$/, '')}/http-bind`
    const req = httpRequest(url, { method: 'POST', agent: false, timeout: 15_000, headers: { 'content-type': 'text/xml; charset=utf-8', 'content-length': String(body.length), connection: 'close' } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: readAnswer(text) }))
      res.on('error', (err) => resolve({ status: 0, body: { error: err.message } }))
    })
    req.on('timeout', () => req.destroy(new Error('no answer within 15 s')))
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, body: { error: err.code ?? err.message } }))
    req.end(body)
  })
}

/**
 * The probe of one spoil. `rid-outside-window` first makes a session as a client does (its
 * answer must name a `sid`, else that answer is the result), then sends the next request with
 * a rid a million past the last one.
 */
export async function probeBosh (gatewayUrl: string, spoil: BoshBodySpoil, domain: string): Promise<BoshAnswer> {
  if (spoil !== 'rid-outside-window') return await postBoshBody(gatewayUrl, boshBody(spoil, domain))
  const rid = freshRid()
  const created = await postBoshBody(gatewayUrl, Buffer.from(`${sessionHeader(domain, rid)}</body>`))
  const sid = created.body.sid
  if (sid === undefined) return created
  return await postBoshBody(gatewayUrl, Buffer.from(`<body xmlns='${NS_HTTPBIND}' rid='${rid + RID_AHEAD}' sid='${sid}'/>`))
}
