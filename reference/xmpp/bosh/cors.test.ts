// GRIDIM-XMPP-56, -57: CORS at /http-bind, through server.inject (no sockets): the preflight a
// browser sends before a page on another origin may POST text/xml, and the answers it may read.
import t, { type Test } from 'tap'
import Hapi from '@hapi/hapi'
import { testC2sServer, DOMAIN } from '../c2s/test-support.ts'
import { OriginPolicy } from '../origin/index.ts'
import { boshPlugin } from './plugin.ts'
import { PREFLIGHT_MAX_AGE } from './cors.ts'

const NS = "xmlns='http://jabber.org/protocol/httpbind'"
const PAGE = 'http://localhost:8080'
const ELSEWHERE = 'https://elsewhere.example'
const CREATE = `<body ${NS} rid='1' to='${DOMAIN}' wait='1' hold='1' ver='1.6'/>`

async function setup (t: Test, origins?: OriginPolicy, faults?: ReadonlySet<'bosh-no-cors'>) {
  const harness = testC2sServer()
  const server = Hapi.server()
  await server.register({ plugin: boshPlugin, options: { c2s: harness.c2s, maxWait: 1, ...(origins === undefined ? {} : { origins }), ...(faults === undefined ? {} : { faults }) } })
  t.teardown(() => harness.c2s.closeAll())
  const preflight = (origin?: string) => server.inject({
    method: 'OPTIONS', url: '/http-bind',
    headers: { ...(origin === undefined ? {} : { origin }), 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }
  })
  const post = (origin?: string, payload = CREATE) => server.inject({
    method: 'POST', url: '/http-bind', payload, headers: { 'content-type': 'text/xml; charset=utf-8', ...(origin === undefined ? {} : { origin }) }
  })
  return { ...harness, server, preflight, post }
}

t.test('GRIDIM-XMPP-56: the preflight from an allowed origin is answered 204 with the allow headers', async (t) => {
  const { preflight } = await setup(t, new OriginPolicy({ loopback: true }))
  const res = await preflight(PAGE)
  t.equal(res.statusCode, 204)
  t.match(res.headers, {
    'access-control-allow-origin': PAGE,
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'Content-Type',
    'access-control-max-age': String(PREFLIGHT_MAX_AGE),
    vary: /Origin/
  })
  t.notOk('access-control-allow-credentials' in res.headers, 'no credentials: SASL is inside the stream')
})

t.test('GRIDIM-XMPP-56: a POST from an allowed origin creates the session and names the origin', async (t) => {
  const { post } = await setup(t, new OriginPolicy({ allow: [PAGE] }))
  const res = await post(PAGE)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['access-control-allow-origin'], PAGE)
  t.match(res.headers.vary, /Origin/)
  t.match(res.payload, /sid=/)
  const terminate = await post(PAGE, `<body ${NS} rid='1' sid='no-such-sid'/>`)
  t.equal(terminate.headers['access-control-allow-origin'], PAGE, 'a terminate body is labelled too, so the page can read the condition')
})

t.test('GRIDIM-XMPP-57, Fetch "HTTP responses": a refused origin\'s preflight gets 403 and no allow headers', async (t) => {
  const { preflight } = await setup(t, new OriginPolicy({ loopback: true }))
  const res = await preflight(ELSEWHERE)
  t.equal(res.statusCode, 403)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.match(JSON.parse(res.payload), { code: 'forbidden', detail: /elsewhere\.example/ })
  for (const name of ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers']) t.notOk(name in res.headers, name)
  t.match(res.headers.vary, /Origin/, 'the answer still varies by Origin')
})

t.test('GRIDIM-XMPP-57: a POST from a refused origin gets 403 and creates no session', async (t) => {
  const { post, server } = await setup(t, new OriginPolicy({ allow: ['https://chat.example.org'] }))
  const res = await post(ELSEWHERE)
  t.equal(res.statusCode, 403)
  t.notOk('access-control-allow-origin' in res.headers)
  const endpoint = (server.plugins as Record<string, { endpoint: { sessions: Map<string, unknown> } }>)['gridim-xmpp-bosh']!.endpoint
  t.equal(endpoint.sessions.size, 0, 'nothing changed')
})

t.test('without an Origin (not a browser page) nothing changes; with * every page is allowed', async (t) => {
  const closed = await setup(t)
  const plain = await closed.post()
  t.equal(plain.statusCode, 200)
  t.notOk('access-control-allow-origin' in plain.headers)
  t.equal((await closed.preflight()).statusCode, 204, 'OPTIONS without Origin: the allowed methods')
  t.equal((await closed.preflight(ELSEWHERE)).statusCode, 403, 'by default (not on loopback) only same-origin pages')
  const sameOrigin = await closed.server.inject({ method: 'OPTIONS', url: '/http-bind', headers: { host: 'gw.example:5280', origin: 'https://gw.example:5280', 'access-control-request-method': 'POST' } })
  t.equal(sameOrigin.headers['access-control-allow-origin'], 'https://gw.example:5280', 'a page from the gateway\'s own host is same-origin')
  const any = await setup(t, new OriginPolicy({ allow: ['*'] }))
  t.equal((await any.preflight(ELSEWHERE)).headers['access-control-allow-origin'], '*')
  t.equal((await any.post(ELSEWHERE)).headers['access-control-allow-origin'], '*')
})

t.test('the bosh-no-cors fault: the preflight is 404 and the POST carries no allow header', async (t) => {
  const { preflight, post } = await setup(t, new OriginPolicy({ loopback: true }), new Set(['bosh-no-cors'] as const))
  t.equal((await preflight(PAGE)).statusCode, 404)
  t.notOk('access-control-allow-origin' in (await post(PAGE)).headers)
})

t.test('a bad origins option fails at registration', async (t) => {
  const harness = testC2sServer()
  await t.rejects(Hapi.server().register({ plugin: boshPlugin, options: { c2s: harness.c2s, origins: ['*'] as unknown as OriginPolicy } }), /must be an OriginPolicy/)
})

t.test('GRIDIM-XMPP-56: an HTTP error at /http-bind (no such method) is labelled for the page too', async (t) => {
  const { server } = await setup(t, new OriginPolicy({ loopback: true }))
  const res = await server.inject({ method: 'GET', url: '/http-bind', headers: { origin: PAGE } })
  t.equal(res.statusCode, 404)
  t.equal(res.headers['access-control-allow-origin'], PAGE)
  t.match(res.headers.vary, /Origin/)
})

t.test('bad input gets a clear error: a preflight whose request method or header list is malformed gets 400', async (t) => {
  const { server } = await setup(t, new OriginPolicy({ loopback: true }))
  for (const headers of [{ 'access-control-request-method': 'PO ST' }, { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,,x' }]) {
    const res = await server.inject({ method: 'OPTIONS', url: '/http-bind', headers: { origin: PAGE, ...headers } })
    t.equal(res.statusCode, 400, JSON.stringify(headers))
    t.match(JSON.parse(res.payload), { code: 'invalid-request' })
  }
  const spaced = await server.inject({ method: 'OPTIONS', url: '/http-bind', headers: { origin: PAGE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-custom' } })
  t.equal(spaced.statusCode, 204, 'a list with spaces is fine')
})
