// XEP-0124 at POST /http-bind over real loopback sockets, on the server every role uses (its
// timeouts included): what server.inject cannot show. An oversized body is answered, not reset
// (GRIDIM-LIM-11); bytes that are not UTF-8 are bad-request (GRIDIM-ERR-11); a request the
// connection manager holds outlives the HTTP timeouts (GRIDIM-LIM-20); a browser's preflight and
// POST from another origin, as the bytes go over a socket (GRIDIM-XMPP-56).
import t, { type Test } from 'tap'
import type { AddressInfo } from 'node:net'
import { parse, type Element } from 'ltx'
import { request } from 'node:http'
import { createLogger, createServer } from '../../lib/http/index.ts'
import { testC2sServer, DOMAIN } from '../c2s/test-support.ts'
import { OriginPolicy } from '../origin/index.ts'
import { boshPlugin } from './plugin.ts'

const NS = "xmlns='http://jabber.org/protocol/httpbind'"
const TIMEOUTS = { headersMs: 300, requestMs: 400, idleMs: 300 }

async function listening (t: Test): Promise<string> {
  const harness = testC2sServer()
  const server = createServer({ logger: createLogger({}, () => {}), timeouts: TIMEOUTS })
  await server.register({ plugin: boshPlugin, options: { c2s: harness.c2s, maxWait: 2, inactivity: 30, origins: new OriginPolicy({ loopback: true }) } })
  await server.start()
  t.teardown(async () => {
    harness.c2s.closeAll()
    await server.stop({ timeout: 100 })
  })
  return `http://127.0.0.1:${(server.listener.address() as AddressInfo).port}`
}

type Answer = { status: number, type?: string, condition?: string, error?: string }

/** One POST on its own connection; a reset is an answer too (status 0). */
function postRaw (url: string, body: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(`${url}/http-bind`, { method: 'POST', agent: false, headers: { 'content-type': 'text/xml; charset=utf-8', 'content-length': String(body.length) } }, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => { text += chunk.toString('utf8') })
      res.on('end', () => {
        const el = parse(text) as Element
        resolve({ status: res.statusCode ?? 0, type: el.attrs.type as string, condition: el.attrs.condition as string })
      })
    })
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, error: err.code }))
    req.end(body)
  })
}

const session = (content: Buffer): Buffer => Buffer.concat([Buffer.from(`<body ${NS} rid='1' to='${DOMAIN}' wait='1' hold='1' ver='1.6'>`), content, Buffer.from('</body>')])

async function post (url: string, body: string): Promise<Element> {
  const res = await fetch(`${url}/http-bind`, { method: 'POST', body, headers: { 'content-type': 'text/xml; charset=utf-8' } })
  return parse(await res.text()) as Element
}

t.test('GRIDIM-LIM-11, GRIDIM-XMPP-45: a body over 131 072 bytes gets a policy-violation terminate body, not a reset', async (t) => {
  const url = await listening(t)
  t.same(await postRaw(url, session(Buffer.from('x'.repeat(140_000)))), { status: 200, type: 'terminate', condition: 'policy-violation' })
  const flood = await postRaw(url, session(Buffer.from('x'.repeat(3_000_000))))
  t.equal(flood.status, 0, 'a flood past 16 times the limit is cut off')
  t.match(flood.error, /^(ECONNRESET|EPIPE)$/)
})

t.test('GRIDIM-ERR-11: a body that is not UTF-8 gets a bad-request terminate body', async (t) => {
  const url = await listening(t)
  t.same(await postRaw(url, session(Buffer.from([0x63, 0x61, 0x66, 0xff]))), { status: 200, type: 'terminate', condition: 'bad-request' })
})

t.test('GRIDIM-LIM-20: a request held for its wait, longer than every HTTP timeout, is answered', async (t) => {
  const url = await listening(t)
  const created = await post(url, `<body ${NS} rid='1000' to='${DOMAIN}' wait='2' hold='1' ver='1.6'/>`)
  const sid = created.attrs.sid as string
  t.ok(sid, 'a session')
  const started = Date.now()
  // Before authentication the stream has nothing more to say: the connection manager holds this.
  const held = await post(url, `<body ${NS} rid='1001' sid='${sid}'/>`)
  t.equal(held.attrs.type, undefined, 'an ordinary (empty) body, not a terminate body')
  t.ok(Date.now() - started >= 1000, `held ${Date.now() - started} ms, past the ${TIMEOUTS.requestMs} ms request timeout`)
})

/** One request on its own connection: status, headers and body text. */
function exchange (url: string, method: string, headers: Record<string, string>, body = ''): Promise<{ status: number, headers: Record<string, string | string[] | undefined>, text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/http-bind`, { method, agent: false, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => { text += chunk.toString('utf8') })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

t.test('GRIDIM-XMPP-56: a page on another loopback origin gets through the preflight, then its POST is readable', async (t) => {
  const url = await listening(t)
  const origin = 'http://localhost:8123'
  const preflight = await exchange(url, 'OPTIONS', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' })
  t.equal(preflight.status, 204)
  t.equal(preflight.headers['access-control-allow-origin'], origin)
  t.match(String(preflight.headers['access-control-allow-methods']), /POST/)
  t.match(String(preflight.headers['access-control-allow-headers']), /content-type/i)
  t.ok(Number(preflight.headers['access-control-max-age']) > 0)
  const created = await exchange(url, 'POST', { origin, 'content-type': 'text/xml; charset=utf-8' }, `<body ${NS} rid='1' to='${DOMAIN}' wait='1' hold='1' ver='1.6'/>`)
  t.equal(created.status, 200)
  t.equal(created.headers['access-control-allow-origin'], origin)
  t.match(String(created.headers.vary), /Origin/)
  t.ok((parse(created.text) as Element).attrs.sid, 'a session')
  const refused = await exchange(url, 'OPTIONS', { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' })
  t.equal(refused.status, 403)
  t.equal(refused.headers['access-control-allow-origin'], undefined)
})
