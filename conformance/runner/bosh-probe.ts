// The runner action `post-bosh-body`: one BOSH request (XEP-0124) that a gateway must refuse
// the BOSH way, sent over a real socket — where a server that stops reading and closes makes
// TCP reset the connection and the answer is lost (GRIDIM-LIM-11, GRIDIM-XMPP-45), which
// server.inject never shows. `body`: `oversized` (a session request of 140 000 bytes) or
// `invalid-utf8` (a session request holding the byte 0xFF, GRIDIM-ERR-11).
import { request as httpRequest } from 'node:http'

export const BOSH_BODY_SPOILS = ['oversized', 'invalid-utf8'] as const
export type BoshBodySpoil = typeof BOSH_BODY_SPOILS[number]

/** Over GRIDIM-LIM-11's 131 072 bytes by a margin. */
const OVERSIZED_BYTES = 140_000

export type BoshAnswer = { status: number, body: { type?: string, condition?: string, error?: string } }

function sessionRequest (domain: string, content: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`<body xmlns='http://jabber.org/protocol/httpbind' rid='1' to='${domain}' wait='1' hold='1' ver='1.6'>`),
    content,
    Buffer.from('</body>')
  ])
}

export function boshBody (spoil: BoshBodySpoil, domain: string): Buffer {
  if (spoil === 'oversized') return sessionRequest(domain, Buffer.from('x'.repeat(OVERSIZED_BYTES)))
  return sessionRequest(domain, Buffer.from([0x63, 0x61, 0x66, 0xff]))
}

/** Posts `body` to `<gatewayUrl>/http-bind`; a reset or timeout is an answer too: status 0. */
export async function postBoshBody (gatewayUrl: string, body: Buffer): Promise<BoshAnswer> {
  return await new Promise((resolve) => {
    const url = `${gatewayUrl.replace(/\/$/, '')}/http-bind`
    const req = httpRequest(url, { method: 'POST', agent: false, timeout: 15_000, headers: { 'content-type': 'text/xml; charset=utf-8', 'content-length': String(body.length), connection: 'close' } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => {
        const attr = (name: string) => new RegExp(`^<body[^>]*\\s${name}=['"]([^'"]*)['"]`).exec(text)?.[1]
        resolve({ status: res.statusCode ?? 0, body: { type: attr('type'), condition: attr('condition') } })
      })
      res.on('error', (err) => resolve({ status: 0, body: { error: err.message } }))
    })
    req.on('timeout', () => req.destroy(new Error('no answer within 15 s')))
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, body: { error: err.code ?? err.message } }))
    req.end(body)
  })
}
