// The c2s stream over plain TCP: a real client (@xmpp/client) and raw hostile bytes.
import t, { type Test } from 'tap'
import { Element } from 'ltx'
import { connect } from 'node:net'
import { startTestClient } from '../../../tools/xmpp-servers/test-client.ts'
import { listenTcp } from './tcp.ts'
import { decodePlain } from './sasl-plain.ts'
import { DOMAIN, testC2sServer, until } from './test-support.ts'

async function setup (t: Test): Promise<{ port: number } & ReturnType<typeof testC2sServer>> {
  const harness = testC2sServer()
  const { server, port } = await listenTcp(harness.c2s, 0, '127.0.0.1', { maxBytes: 4096 })
  t.teardown(() => { harness.c2s.closeAll(); server.close() })
  return { port, ...harness }
}

const login = (port: number, username = 'ada.lovelace', password = 'ada-pw') =>
  startTestClient({ service: `xmpp://127.0.0.1:${port}`, domain: DOMAIN, username, password, resource: 'laptop' })

/** Raw bytes in, one chunk per answer (a client waits for each step), everything the server said out. */
function raw (port: number, chunks: string[], ms = 1000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    let out = ''
    socket.on('data', (d) => { out += d.toString() })
    socket.on('connect', async () => {
      for (const c of chunks) {
        socket.write(c)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })
    const done = (): void => { clearTimeout(timer); resolve(out) }
    const timer = setTimeout(() => { socket.destroy(); done() }, ms)
    socket.on('close', done)
    socket.on('error', () => {})
  })
}

const OPEN = `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${DOMAIN}' version='1.0'>`
const AUTH = `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0ada.lovelace\0ada-pw').toString('base64')}</auth>`

t.test('RFC 4616: PLAIN messages are decoded, malformed ones refused', async (t) => {
  t.same(decodePlain(Buffer.from('\0ada\0pw').toString('base64')), { authzid: '', authcid: 'ada', password: 'pw' })
  t.equal(decodePlain(Buffer.from('ada\0pw').toString('base64')), undefined)
  t.equal(decodePlain('!!!'), undefined)
  t.equal(decodePlain('='), undefined)
})

t.test('GRIDIM-XMPP-7, GRIDIM-XMPP-13: a client logs in with PLAIN, binds, gets its roster, and its stanzas reach the GridPort', async (t) => {
  const { port, recorded, c2s } = await setup(t)
  const ada = await login(port)
  t.teardown(() => ada.stop())
  t.equal(ada.jid, `ada.lovelace@${DOMAIN}/laptop`)
  t.comment(`c2s login over TCP in ${ada.loginMs} ms`)
  t.same(recorded.started, [`ada.lovelace@${DOMAIN}/laptop`])

  const roster = await ada.xmpp.iqCaller.request(new Element('iq', { type: 'get', id: 'r1' }).c('query', { xmlns: 'jabber:iq:roster' }).up())
  const item = roster.getChild('query', 'jabber:iq:roster')?.getChild('item')
  t.same(item?.attrs, { jid: `charles.babbage@${DOMAIN}`, subscription: 'both', name: 'Charles Babbage' })

  const echoed = ada.next((el) => el.name === 'message' && el.attrs.id === 'm1')
  await ada.xmpp.send(new Element('message', { type: 'chat', id: 'm1', to: `charles.babbage@${DOMAIN}` }).c('body').t('echo').up())
  t.equal((await echoed).attrs.from, `charles.babbage@${DOMAIN}`)
  t.equal(recorded.messages[0]?.attrs.from, `ada.lovelace@${DOMAIN}/laptop`, 'from is stamped with the full JID')

  await ada.xmpp.send(new Element('presence'))
  await until('the presence', () => recorded.presences.length === 1)
  t.ok(c2s.deliver(`ada.lovelace@${DOMAIN}`, new Element('message', { from: `charles.babbage@${DOMAIN}`, id: 'pushed' }).c('body').t('hi').up()))

  const unknownIq = await ada.xmpp.iqCaller.request(new Element('iq', { type: 'get', id: 'v1', to: DOMAIN }).c('query', { xmlns: 'jabber:iq:version' }).up()).catch((e: { condition?: string }) => e)
  t.equal((unknownIq as { condition?: string }).condition, 'service-unavailable', 'an IQ nobody handles gets service-unavailable')
})

t.test('a wrong password gets the not-authorized SASL failure', async (t) => {
  const { port } = await setup(t)
  const error = await login(port, 'ada.lovelace', 'wrong').catch((e: { condition?: string }) => e)
  t.equal((error as { condition?: string }).condition, 'not-authorized')
})

t.test('GRIDIM-XMPP-9: a second login of the same user closes the first stream with conflict', async (t) => {
  const { port, recorded } = await setup(t)
  const first = await login(port)
  const closed = new Promise((resolve) => first.xmpp.on('error', resolve))
  const second = await login(port)
  t.teardown(() => { void first.stop(); void second.stop() })
  t.match(await closed, { condition: 'conflict' })
  await until('the first session to end', () => recorded.ended.length === 1)
  t.same(recorded.ended[0], { jid: `ada.lovelace@${DOMAIN}/laptop`, condition: 'conflict' })
})

t.test('a stanza before authentication closes the stream with not-authorized', async (t) => {
  const { port } = await setup(t)
  t.match(await raw(port, [OPEN, "<message to='x@y'><body>hi</body></message>"]), /<not-authorized xmlns=["']urn:ietf:params:xml:ns:xmpp-streams["']\/>.*<\/stream:stream>$/)
})

t.test('GRIDIM-XMPP-43..46: hostile XML closes only the offending stream, and nothing of it is acted on', async (t) => {
  const { port, recorded } = await setup(t)
  const bystander = await login(port, 'charles.babbage', 'charles-pw')
  t.teardown(() => bystander.stop())
  const cases: Array<[string, string]> = [
    ['not-well-formed', "<message to='a@b'><body></message>"],
    ['restricted-xml', '<!DOCTYPE lol [<!ENTITY lol "lol">]>'],
    ['restricted-xml', "<message to='a@b'><body>&lol;</body></message>"],
    ['policy-violation', `<message to='a@b'><body>${'x'.repeat(5000)}</body></message>`]
  ]
  for (const [condition, bad] of cases) {
    const out = await raw(port, [OPEN, AUTH, OPEN, "<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>", bad])
    t.match(out, new RegExp(`<stream:error><${condition} xmlns=["']urn:ietf:params:xml:ns:xmpp-streams["']/>`), condition)
  }
  t.same(recorded.messages, [], 'no offending stanza reached the GridPort')
  const echoed = bystander.next((el) => el.attrs.id === 'still-here')
  await bystander.xmpp.send(new Element('message', { type: 'chat', id: 'still-here', to: `ada.lovelace@${DOMAIN}` }).c('body').t('echo').up())
  await echoed
  t.pass('the other client is unaffected')
})

t.test('a GridPort failure is answered with a stanza error and the stream stays up', async (t) => {
  const harness = testC2sServer({ onMessage: () => { throw new Error('database on fire at /secret/path') } })
  const { server, port } = await listenTcp(harness.c2s)
  t.teardown(() => { harness.c2s.closeAll(); server.close() })
  const ada = await login(port)
  t.teardown(() => ada.stop())
  const bounced = ada.next((el) => el.name === 'message' && el.attrs.type === 'error')
  await ada.xmpp.send(new Element('message', { type: 'chat', id: 'm2', to: `charles.babbage@${DOMAIN}` }).c('body').t('hi').up())
  const error = await bounced
  t.equal(error.attrs.id, 'm2')
  t.ok(error.getChild('error')?.getChild('internal-server-error'), 'internal-server-error')
  t.notMatch(error.toString(), /secret/, 'the internal detail is not exposed')
})

t.test('GRIDIM-XMPP-8: PLAIN is not offered on an insecure transport unless the operator says so', async (t) => {
  const { C2sServer } = await import('./server.ts')
  const c2s = new C2sServer({ domain: DOMAIN, authenticate: async () => null, roster: async () => [], gridPort: { onMessage () {}, onPresence () {} } })
  const { server, port } = await listenTcp(c2s)
  t.teardown(() => { c2s.closeAll(); server.close() })
  const out = await raw(port, [OPEN, AUTH], 300)
  t.notMatch(out, /<mechanism>PLAIN<\/mechanism>/, 'no PLAIN in the features')
  t.match(out, /<failure xmlns=["']urn:ietf:params:xml:ns:xmpp-sasl["']><invalid-mechanism\/><\/failure>/)
})
