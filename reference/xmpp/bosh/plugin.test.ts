// XEP-0124/0206 at POST /http-bind, driven with raw HTTP through server.inject (no sockets).
import t, { type Test } from 'tap'
import Hapi from '@hapi/hapi'
import { parse, type Element } from 'ltx'
import { testC2sServer, DOMAIN, until } from '../c2s/test-support.ts'
import { boshPlugin, type BoshEndpoint } from './plugin.ts'
import { classifyRid } from './rid-window.ts'

const NS = "xmlns='http://jabber.org/protocol/httpbind'"
const PLAIN = Buffer.from('\0ada.lovelace\0ada-pw').toString('base64')

async function setup (t: Test, options: { inactivity?: number, maxWait?: number } = {}) {
  const harness = testC2sServer()
  const server = Hapi.server()
  await server.register({ plugin: boshPlugin, options: { c2s: harness.c2s, maxWait: options.maxWait ?? 1, inactivity: options.inactivity ?? 30 } })
  const endpoint = (server.plugins as Record<string, { endpoint: BoshEndpoint }>)['gridim-xmpp-bosh']!.endpoint
  t.teardown(() => harness.c2s.closeAll())
  const post = async (payload: string): Promise<Element> => {
    const res = await server.inject({ method: 'POST', url: '/http-bind', payload, headers: { 'content-type': 'text/xml; charset=utf-8' } })
    t.equal(res.statusCode, 200)
    return parse(res.payload) as Element
  }
  return { ...harness, server, endpoint, post }
}

/** Creates a session and logs Ada in; returns the sid and the next rid. */
async function login (post: (p: string) => Promise<Element>): Promise<{ sid: string, rid: number }> {
  const created = await post(`<body ${NS} rid='1000' to='${DOMAIN}' wait='1' hold='1' ver='1.6' xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0'/>`)
  const sid = created.attrs.sid as string
  const success = await post(`<body ${NS} rid='1001' sid='${sid}'><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${PLAIN}</auth></body>`)
  if (success.getChild('success') === undefined) throw new Error('no SASL success: ' + success.toString())
  await post(`<body ${NS} rid='1002' sid='${sid}' xmpp:restart='true' xmlns:xmpp='urn:xmpp:xbosh'/>`)
  const bound = await post(`<body ${NS} rid='1003' sid='${sid}'><iq xmlns='jabber:client' type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>web</resource></bind></iq></body>`)
  if (bound.getChild('iq')?.attrs.type !== 'result') throw new Error('no bind result: ' + bound.toString())
  return { sid, rid: 1004 }
}

t.test('XEP-0124 §14.1: the rid window', async (t) => {
  const seen = (r: number) => r === 10
  t.equal(classifyRid(11, 10, 2, seen), 'accept')
  t.equal(classifyRid(12, 10, 2, seen), 'accept')
  t.equal(classifyRid(13, 10, 2, seen), 'invalid')
  t.equal(classifyRid(10, 10, 2, seen), 'repeat')
  t.equal(classifyRid(8, 10, 2, seen), 'invalid')
})

t.test('XEP-0124 §7, XEP-0206: session creation answers with the session attributes and the SASL features', async (t) => {
  const { post } = await setup(t)
  const created = await post(`<body ${NS} rid='1' to='${DOMAIN}' wait='90' hold='3' ver='1.6'/>`)
  t.match(created.attrs, { wait: '1', hold: '1', requests: '2', inactivity: '30', polling: '5', from: DOMAIN, 'xmpp:version': '1.0' })
  t.match(created.attrs.sid, /^[0-9a-f-]{36}$/)
  t.equal(created.getChild('features')?.getChild('mechanisms')?.getChildText('mechanism'), 'PLAIN')
})

t.test('GRIDIM-XMPP-6, -7, -10: a client logs in over BOSH, sends and receives, and ends the session', async (t) => {
  const { post, recorded } = await setup(t)
  const { sid } = await login(post)
  t.same(recorded.started, [`ada.lovelace@${DOMAIN}/web`])
  const echoed = await post(`<body ${NS} rid='1004' sid='${sid}'><message xmlns='jabber:client' type='chat' id='m1' to='charles.babbage@${DOMAIN}'><body>echo</body></message></body>`)
  t.equal(echoed.getChild('message')?.attrs.id, 'm1', 'the echo comes back on the same request')
  t.equal(recorded.messages[0]?.attrs.from, `ada.lovelace@${DOMAIN}/web`)
  const ended = await post(`<body ${NS} rid='1005' sid='${sid}' type='terminate'><presence xmlns='jabber:client' type='unavailable'/></body>`)
  t.equal(ended.attrs.type, 'terminate')
  await until('the session to end', () => recorded.ended.length === 1)
  const after = await post(`<body ${NS} rid='1006' sid='${sid}'/>`)
  t.equal(after.attrs.type, 'terminate', 'the terminated session answers terminate')
})

t.test('a held request is answered when a stanza arrives for the client, or empty after wait', async (t) => {
  const { post, c2s } = await setup(t)
  const { sid } = await login(post)
  const held = post(`<body ${NS} rid='1004' sid='${sid}'/>`)
  await new Promise((resolve) => setTimeout(resolve, 50))
  c2s.deliver(`ada.lovelace@${DOMAIN}`, parse(`<message from='charles.babbage@${DOMAIN}' id='push1' type='chat'><body>hi</body></message>`) as Element)
  t.equal((await held).getChild('message')?.attrs.id, 'push1')
  const started = Date.now()
  const empty = await post(`<body ${NS} rid='1005' sid='${sid}'/>`)
  t.equal(empty.children.length, 0)
  t.ok(Date.now() - started >= 900, 'held for wait (1 s)')
})

t.test('GRIDIM-XMPP-11: an unknown sid and a rid outside the window get item-not-found', async (t) => {
  const { post } = await setup(t)
  t.match((await post(`<body ${NS} rid='5' sid='no-such-sid'/>`)).attrs, { type: 'terminate', condition: 'item-not-found' })
  const { sid } = await login(post)
  t.match((await post(`<body ${NS} rid='9999' sid='${sid}'/>`)).attrs, { type: 'terminate', condition: 'item-not-found' })
  t.match((await post(`<body ${NS} rid='1004' sid='${sid}'/>`)).attrs, { type: 'terminate', condition: 'item-not-found' }, 'the session is gone')
})

t.test('a repeated rid is answered again with the kept response (XEP-0124 §14.3)', async (t) => {
  const { post } = await setup(t)
  const { sid } = await login(post)
  const again = await post(`<body ${NS} rid='1003' sid='${sid}'><iq xmlns='jabber:client' type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq></body>`)
  t.equal(again.getChild('iq')?.attrs.id, 'b1')
})

t.test('overactivity: more simultaneous requests than "requests" is a policy-violation', async (t) => {
  const { post } = await setup(t, { maxWait: 5 })
  const { sid } = await login(post)
  const first = post(`<body ${NS} rid='1004' sid='${sid}'/>`)
  const third = post(`<body ${NS} rid='1006' sid='${sid}'/>`)
  const fourth = await post(`<body ${NS} rid='1005' sid='${sid}'/>`)
  const results = [await first, await third, fourth]
  t.ok(results.some((b) => b.attrs.condition === 'policy-violation'), 'one request gets policy-violation')
})

t.test('GRIDIM-XMPP-44: a body that is not well-formed or not a BOSH body gets bad-request', async (t) => {
  const { post, recorded } = await setup(t)
  t.match((await post(`<body ${NS} rid='1'><unclosed></body>`)).attrs, { type: 'terminate', condition: 'bad-request' })
  t.match((await post("<other rid='1'/>")).attrs, { type: 'terminate', condition: 'bad-request' })
  t.match((await post(`<body ${NS} to='${DOMAIN}'/>`)).attrs, { type: 'terminate', condition: 'bad-request' }, 'no rid')
  const { sid } = await login(post)
  t.match((await post(`<body ${NS} rid='1004' sid='${sid}'><message><body>x</message></body>`)).attrs, { condition: 'bad-request' })
  await until('the session to end', () => recorded.ended.length === 1)
  t.same(recorded.messages, [], 'nothing of it reached the grid')
})

t.test('GRIDIM-XMPP-43: a DTD ends the stream with restricted-xml', async (t) => {
  const { post } = await setup(t)
  const out = await post(`<!DOCTYPE body [<!ENTITY x "y">]><body ${NS} rid='1' to='${DOMAIN}'>&x;</body>`)
  t.match(out.attrs, { type: 'terminate', condition: 'remote-stream-error' })
  t.ok(out.getChild('error')?.getChild('restricted-xml'))
})

t.test('GRIDIM-LIM-11: a body over 131 072 bytes is a policy-violation', async (t) => {
  const { post } = await setup(t)
  t.match((await post(`<body ${NS} rid='1' to='${DOMAIN}'>${'x'.repeat(140_000)}</body>`)).attrs, { condition: 'policy-violation' })
})

t.test('GRIDIM-XMPP-10: after inactivity seconds without a request the session ends and the user is signed off', async (t) => {
  const { post, recorded, endpoint } = await setup(t, { inactivity: 1, maxWait: 1 })
  await login(post)
  await until('the inactivity timeout', () => recorded.ended.length === 1, 4000)
  t.equal(endpoint.sessions.size, 0)
})

t.test('a stopped server ends its BOSH sessions: none is left with a timer to keep the process alive', async (t) => {
  const { post, server, endpoint } = await setup(t)
  const { sid } = await login(post)
  const session = endpoint.sessions.get(sid)! as unknown as { inactivityTimer: { _destroyed: boolean } }
  t.ok(session, 'a session while the server runs')
  t.equal(session.inactivityTimer._destroyed, false, 'its inactivity timer runs')
  await server.stop()
  t.equal(endpoint.sessions.size, 0, 'no session once it has stopped')
  t.equal(session.inactivityTimer._destroyed, true, 'nor its timer')
})
