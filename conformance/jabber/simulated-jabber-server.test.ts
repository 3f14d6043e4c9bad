// The runner's simulated Jabber server on its own: the component link (XEP-0114) as the
// reference component sees it, and the RFC 6121 server duties the XMPP flows rely on.
import t, { type Test } from 'tap'
import { connect } from 'node:net'
import { Element } from 'ltx'
import { Component } from '../../reference/xmpp/component/index.ts'
import type { XmppConnection } from '../xmpp/connection.ts'
import { SimulatedJabberServer } from './simulated-jabber-server.ts'

const GW = 'grid.localhost'

async function until<T> (what: string, pick: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const found = pick()
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

async function setup (t: Test, link = true): Promise<{ server: SimulatedJabberServer, port: number, component: Component, fromServer: Element[] }> {
  const server = new SimulatedJabberServer({ domain: 'jabber.localhost', component: { domain: GW, secret: 's3cret' } })
  const port = await server.listen()
  const component = new Component({ host: '127.0.0.1', port, domain: GW, secret: 's3cret', serverDomain: 'jabber.localhost', backoff: { initialMs: 20, maxMs: 100 } })
  const fromServer: Element[] = []
  component.on('stanza', (el) => fromServer.push(el))
  component.on('error', () => {})
  t.teardown(async () => { await component.stop(); await server.close() })
  if (link) await component.start()
  return { server, port, component, fromServer }
}

async function login (server: SimulatedJabberServer): Promise<{ jid: string, client: XmppConnection, got: Element[] }> {
  const account = await server.createAccount()
  const client = await server.connect({ username: account.user, password: account.password, resource: 'r' })
  const got: Element[] = []
  client.onStanza((el) => got.push(el))
  return { jid: client.jid, client, got }
}

/** What a raw socket gets back for what it writes, until the server ends the stream. */
async function raw (port: number, ...writes: string[]): Promise<string> {
  const socket = connect(port, '127.0.0.1')
  let text = ''
  socket.on('data', (chunk) => { text += chunk.toString() })
  await new Promise((resolve) => socket.once('connect', resolve))
  for (const w of writes) socket.write(w)
  await new Promise((resolve) => { socket.once('close', resolve); setTimeout(() => { socket.destroy() }, 3000) })
  return text
}

const OPEN = (to: string): string => `<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='${to}'>`

t.test('the component link: an unknown domain, a wrong handshake and a forged from are stream errors', async (t) => {
  const { port } = await setup(t, false)
  t.match(await raw(port, OPEN('other.localhost')), /<host-unknown/)
  t.match(await raw(port, OPEN(GW), '<handshake>00</handshake>'), /<not-authorized/)
  t.match(await raw(port, OPEN(GW), '<handshake>00</handshake>'), /<\/stream:stream>$/, 'and the stream is closed')
  t.match(await raw(port, OPEN(GW), '<x><y>'.repeat(5) + '</z>'), /<not-authorized|<not-well-formed|<bad-format/)
})

t.test('a stanza from outside the component\'s domain ends the link with invalid-from', async (t) => {
  const { server, component } = await setup(t)
  const offline = new Promise<Error | undefined>((resolve) => component.once('offline', resolve))
  component.send(new Element('message', { from: 'someone@elsewhere', to: 'x@jabber.localhost', type: 'chat' }).c('body').t('hi').up())
  t.match(String(await offline), /invalid-from/)
  t.equal(server.handshakes >= 1, true)
})

t.test('chat both ways, from the full JID; a wrong password is refused', async (t) => {
  const { server, component, fromServer } = await setup(t)
  const d = await login(server)
  await d.client.send(new Element('presence'))
  await d.client.send(new Element('message', { to: `a.b@${GW}`, type: 'chat', id: 'm1' }).c('body').t('to the grid').up())
  const out = await until('the message at the component', () => fromServer.find((el) => el.attrs.id === 'm1'))
  t.equal(out.attrs.from, d.jid, 'stamped with the sender\'s full JID')
  component.send(new Element('message', { from: `a.b@${GW}/grid`, to: d.jid.split('/')[0], type: 'chat', id: 'm2' }).c('body').t('back').up())
  t.equal((await until('the answer', () => d.got.find((el) => el.attrs.id === 'm2'))).getChildText('body'), 'back')
  await t.rejects(server.connect({ username: d.jid.split('@')[0]!, password: 'wrong' }), /not-authorized/)
})

t.test('offline messages come back at the next initial presence, with a delay stamp', async (t) => {
  const { server, component } = await setup(t)
  const account = await server.createAccount()
  const bare = `${account.user}@jabber.localhost`
  component.send(new Element('message', { from: `a.b@${GW}/grid`, to: bare, type: 'chat', id: 'held' }).c('body').t('while away').up())
  await new Promise((resolve) => setTimeout(resolve, 50))
  const client = await server.connect({ username: account.user, password: account.password, resource: 'r' })
  const got: Element[] = []
  client.onStanza((el) => got.push(el))
  await new Promise((resolve) => setTimeout(resolve, 30))
  t.equal(got.length, 0, 'nothing before initial presence')
  await client.send(new Element('presence'))
  const held = await until('the held message', () => got.find((el) => el.attrs.id === 'held'))
  t.ok(held.getChild('delay', 'urn:xmpp:delay'), 'XEP-0203 delay')
})

t.test('subscriptions: a request, its approval, presence after it, and the roster as it changes', async (t) => {
  const { server, component, fromServer } = await setup(t)
  const d = await login(server)
  const bare = d.jid.split('/')[0]!
  const roster = await d.client.iq(new Element('iq', { type: 'get' }).c('query', { xmlns: 'jabber:iq:roster' }).up())
  t.equal(roster.getChild('query')?.getChildren('item').length, 0)
  await d.client.send(new Element('presence'))
  const grid = `a.b@${GW}`
  // D asks to see the grid user; the grid answers subscribed.
  await d.client.send(new Element('presence', { to: grid, type: 'subscribe' }))
  const ask = await until('subscribe at the component', () => fromServer.find((el) => el.attrs.type === 'subscribe'))
  t.equal(ask.attrs.from, bare, 'subscriptions go out from the bare JID')
  component.send(new Element('presence', { from: grid, to: bare, type: 'subscribed' }))
  await until('subscribed at D', () => d.got.find((el) => el.name === 'presence' && el.attrs.type === 'subscribed'))
  const push = d.got.filter((el) => el.name === 'iq' && el.attrs.type === 'set').at(-1)
  t.equal(push?.getChild('query')?.getChild('item')?.attrs.subscription, 'to')
  // The grid user asks back; D approves, and the grid gets D's presence at once.
  component.send(new Element('presence', { from: grid, to: bare, type: 'subscribe' }))
  await until('subscribe at D', () => d.got.find((el) => el.name === 'presence' && el.attrs.type === 'subscribe'))
  await d.client.send(new Element('presence', { to: grid, type: 'subscribed' }))
  await until('D\'s presence after approval', () => fromServer.find((el) => el.name === 'presence' && el.attrs.type === undefined && el.attrs.from === d.jid))
  // A probe from a subscriber is answered; a second subscribe is approved by the server itself.
  component.send(new Element('presence', { from: grid, to: bare, type: 'probe' }))
  await until('the probe answered', () => fromServer.filter((el) => el.name === 'presence' && el.attrs.type === undefined).length >= 2 ? true : undefined)
  component.send(new Element('presence', { from: grid, to: bare, type: 'subscribe' }))
  await until('subscribed from the server', () => fromServer.find((el) => el.attrs.type === 'subscribed' && el.attrs.from === bare))
  // D removes the contact: both subscriptions end.
  await d.client.iq(new Element('iq', { type: 'set' }).c('query', { xmlns: 'jabber:iq:roster' }).c('item', { jid: grid, subscription: 'remove' }).up().up())
  await until('unsubscribe and unsubscribed', () => fromServer.some((el) => el.attrs.type === 'unsubscribe') && fromServer.some((el) => el.attrs.type === 'unsubscribed') ? true : undefined)
  const after = await d.client.iq(new Element('iq', { type: 'get' }).c('query', { xmlns: 'jabber:iq:roster' }).up())
  t.equal(after.getChild('query')?.getChildren('item').length, 0)
  // Ending the session: the subscriber (none left) gets nothing; a bad roster set is refused.
  await t.rejects(d.client.iq(new Element('iq', { type: 'set' }).c('query', { xmlns: 'jabber:iq:roster' }).up()), /bad-request/)
})

t.test('what cannot be routed comes back as a stanza error; pings are answered', async (t) => {
  const { server, component, fromServer } = await setup(t)
  const d = await login(server)
  await d.client.send(new Element('presence'))
  await d.client.send(new Element('message', { to: 'x@elsewhere.example', type: 'chat', id: 'far' }).c('body').t('?').up())
  const bounced = await until('the bounce', () => d.got.find((el) => el.attrs.id === 'far'))
  t.equal(bounced.attrs.type, 'error')
  t.ok(bounced.getChild('error')?.getChild('remote-server-not-found'))
  // The component pings the server (XEP-0199) and gets a result; a message to a missing account is refused.
  component.send(new Element('iq', { type: 'get', id: 'p1', from: GW, to: 'jabber.localhost' }).c('ping', { xmlns: 'urn:xmpp:ping' }).up())
  await until('the pong', () => fromServer.find((el) => el.attrs.id === 'p1' && el.attrs.type === 'result'))
  component.send(new Element('message', { from: `a.b@${GW}/grid`, to: 'nobody@jabber.localhost', type: 'chat', id: 'nobody' }).c('body').t('?').up())
  const refused = await until('the refusal', () => fromServer.find((el) => el.attrs.id === 'nobody'))
  t.ok(refused.getChild('error')?.getChild('service-unavailable'))
  // A server IQ it does not serve.
  await t.rejects(d.client.iq(new Element('iq', { type: 'get' }).c('query', { xmlns: 'jabber:iq:version' }).up()), /service-unavailable/)
  t.equal((await d.client.iq(new Element('iq', { type: 'get', to: 'jabber.localhost' }).c('ping', { xmlns: 'urn:xmpp:ping' }).up())).attrs.type, 'result')
})

t.test('with the component not linked, a message to the gateway is refused, not lost', async (t) => {
  const { server } = await setup(t, false)
  const d = await login(server)
  await d.client.send(new Element('presence'))
  await d.client.send(new Element('message', { to: `a.b@${GW}`, type: 'chat', id: 'nolink' }).c('body').t('?').up())
  const bounced = await until('the bounce', () => d.got.find((el) => el.attrs.id === 'nolink'))
  t.ok(bounced.getChild('error')?.getChild('service-unavailable'))
  t.equal(server.linked, false)
})

t.test('a second login replaces the first session, whose subscribers see it go', async (t) => {
  const { server, fromServer } = await setup(t)
  const account = await server.createAccount()
  await server.addRosterItem(account.user, { jid: `a.b@${GW}`, subscription: 'both' })
  const first = await server.connect({ username: account.user, password: account.password, resource: 'one' })
  await first.send(new Element('presence'))
  await until('available at the subscriber', () => fromServer.find((el) => el.name === 'presence' && el.attrs.from === first.jid && el.attrs.type === undefined))
  const second = await server.connect({ username: account.user, password: account.password, resource: 'two' })
  t.not(second.jid, first.jid)
  const gone = await until('unavailable at the subscriber', () => fromServer.find((el) => el.name === 'presence' && el.attrs.from === first.jid && el.attrs.type === 'unavailable'))
  t.equal(gone.attrs.to, `a.b@${GW}`)
  await t.rejects(server.addRosterItem('missing', { jid: 'x@y', subscription: 'none' }), /no account/)
})

t.test('the rest of RFC 6121 the flows may touch: roster names, endings both ways, IQs routed to a session, disco', async (t) => {
  const { server, component, fromServer } = await setup(t)
  const d = await login(server)
  const bare = d.jid.split('/')[0]!
  const grid = `a.b@${GW}`
  await server.addRosterItem(d.jid.split('@')[0]!, { jid: grid, subscription: 'both' })
  await d.client.send(new Element('presence'))
  // A roster set names the contact; the push carries the name.
  await d.client.iq(new Element('iq', { type: 'set' }).c('query', { xmlns: 'jabber:iq:roster' }).c('item', { jid: grid, name: 'Ada' }).up().up())
  const named = await d.client.iq(new Element('iq', { type: 'get' }).c('query', { xmlns: 'jabber:iq:roster' }).up())
  t.match(named.getChild('query')?.getChild('item')?.attrs, { jid: grid, name: 'Ada', subscription: 'both' })
  // IQs from the component: to D's full JID reach the session; to the bare JID a ping is answered; to a gone resource refused.
  component.send(new Element('iq', { type: 'get', id: 'v1', from: grid + '/grid', to: d.jid }).c('query', { xmlns: 'jabber:iq:version' }).up())
  await until('the iq at D', () => d.got.find((el) => el.attrs.id === 'v1'))
  component.send(new Element('iq', { type: 'get', id: 'p2', from: grid + '/grid', to: bare }).c('ping', { xmlns: 'urn:xmpp:ping' }).up())
  await until('the bare-JID pong', () => fromServer.find((el) => el.attrs.id === 'p2' && el.attrs.type === 'result'))
  component.send(new Element('iq', { type: 'get', id: 'v2', from: grid + '/grid', to: `${bare}/gone` }).c('query', { xmlns: 'jabber:iq:version' }).up())
  t.ok((await until('the refusal', () => fromServer.find((el) => el.attrs.id === 'v2'))).getChild('error')?.getChild('service-unavailable'))
  // disco#info of the server, and a set it does not serve.
  component.send(new Element('iq', { type: 'get', id: 'd1', from: GW, to: 'jabber.localhost' }).c('query', { xmlns: 'http://jabber.org/protocol/disco#info' }).up())
  t.ok((await until('disco', () => fromServer.find((el) => el.attrs.id === 'd1'))).getChild('query')?.getChild('identity'))
  component.send(new Element('iq', { type: 'set', id: 's1', from: GW, to: 'jabber.localhost' }).c('query', { xmlns: 'jabber:iq:private' }).up())
  t.ok((await until('refused set', () => fromServer.find((el) => el.attrs.id === 's1'))).getChild('error'))
  // The grid user ends D's view of it, then its own; D's roster follows, D is told each time.
  component.send(new Element('presence', { from: grid, to: bare, type: 'unsubscribed' }))
  await until('unsubscribed at D', () => d.got.find((el) => el.name === 'presence' && el.attrs.type === 'unsubscribed'))
  component.send(new Element('presence', { from: grid, to: bare, type: 'unsubscribe' }))
  await until('unsubscribe at D', () => d.got.find((el) => el.name === 'presence' && el.attrs.type === 'unsubscribe'))
  const ended = await d.client.iq(new Element('iq', { type: 'get' }).c('query', { xmlns: 'jabber:iq:roster' }).up())
  t.equal(ended.getChild('query')?.getChild('item')?.attrs.subscription, 'none')
  // D's side: unsubscribe and unsubscribed go out from the bare JID; unavailable after unsubscribed.
  await server.addRosterItem(d.jid.split('@')[0]!, { jid: grid, subscription: 'both' })
  await d.client.send(new Element('presence', { to: grid, type: 'unsubscribe' }))
  await d.client.send(new Element('presence', { to: grid, type: 'unsubscribed' }))
  await until('both endings at the component', () => fromServer.some((el) => el.attrs.type === 'unsubscribe' && el.attrs.from === bare) && fromServer.some((el) => el.attrs.type === 'unsubscribed' && el.attrs.from === bare) ? true : undefined)
  await until('unavailable to the contact', () => fromServer.find((el) => el.attrs.type === 'unavailable' && el.attrs.from === d.jid))
  // Going unavailable; a groupchat to D's bare JID then bounces (no session to take it).
  await d.client.send(new Element('presence', { type: 'unavailable' }))
  await d.client.close()
  component.send(new Element('message', { from: `room@${GW}/B`, to: bare, type: 'groupchat', id: 'g1' }).c('body').t('hi').up())
  t.ok((await until('the groupchat bounce', () => fromServer.find((el) => el.attrs.id === 'g1'))).getChild('error'))
})

t.test('directed presence: where it went is told when the session ends (RFC 6121 §4.6.3)', async (t) => {
  const { server, fromServer } = await setup(t)
  const d = await login(server)
  await d.client.send(new Element('presence'))
  await d.client.send(new Element('presence', { to: GW }))
  await until('the directed presence', () => fromServer.find((el) => el.name === 'presence' && el.attrs.to === GW && el.attrs.type === undefined))
  await d.client.close()
  const gone = await until('unavailable to the gateway', () => fromServer.find((el) => el.name === 'presence' && el.attrs.to === GW && el.attrs.type === 'unavailable'))
  t.equal(gone.attrs.from, d.jid)
})

t.test('what a server ignores or refuses quietly: unsolicited answers, errors never answered with errors, a full offline store', async (t) => {
  const { server, component, fromServer } = await setup(t)
  const grid = `a.b@${GW}`
  const account = await server.createAccount()
  const bare = `${account.user}@jabber.localhost`
  // A subscription request that arrives before the user's initial presence is shown at it.
  component.send(new Element('presence', { from: grid, to: bare, type: 'subscribe' }))
  // Unsolicited or pointless inbound subscription stanzas change nothing (RFC 6121 §3.1.6, §3.2, §3.3).
  for (const type of ['subscribed', 'unsubscribe', 'unsubscribed']) component.send(new Element('presence', { from: `x.y@${GW}`, to: bare, type }))
  // A probe from a non-subscriber gets no answer; an error to a missing account is not answered with an error.
  component.send(new Element('presence', { from: `x.y@${GW}`, to: bare, type: 'probe' }))
  component.send(new Element('message', { from: grid, to: 'nobody@jabber.localhost', type: 'error', id: 'e1' }))
  component.send(new Element('presence', { from: grid, to: 'nobody@jabber.localhost' }))
  component.send(new Element('message', { from: grid, to: 'jabber.localhost', type: 'chat', id: 'srv' }).c('body').t('to the server itself').up())
  await new Promise((resolve) => setTimeout(resolve, 50))
  const d = await server.connect({ username: account.user, password: account.password, resource: 'r' })
  const got: Element[] = []
  d.onStanza((el) => got.push(el))
  await d.send(new Element('presence', { type: 'probe', to: grid })) // a client's probe is the server's business: ignored
  await d.send(new Element('presence', { type: 'error' }))
  await d.send(new Element('presence'))
  await d.send(new Element('presence')) // not initial: no second round of probes
  const shown = await until('the held request', () => got.find((el) => el.name === 'presence' && el.attrs.type === 'subscribe'))
  t.equal(shown.attrs.from, grid)
  const roster = await d.iq(new Element('iq', { type: 'get', id: 'r1' }).c('query', { xmlns: 'jabber:iq:roster' }).up())
  t.equal(roster.getChild('query')?.getChildren('item').length, 0, 'nothing was added by the unsolicited stanzas')
  // Approving twice routes once; ending what does not exist is passed on, the roster untouched.
  await d.send(new Element('presence', { to: grid, type: 'subscribed' }))
  await d.send(new Element('presence', { to: grid, type: 'subscribed' }))
  await d.send(new Element('presence', { to: `z.z@${GW}`, type: 'unsubscribe' }))
  await d.send(new Element('presence', { to: `z.z@${GW}`, type: 'unsubscribed' }))
  await until('the endings passed on', () => fromServer.filter((el) => el.attrs.to === `z.z@${GW}`).length >= 2 ? true : undefined)
  t.equal(fromServer.filter((el) => el.attrs.type === 'subscribed' && el.attrs.from === bare).length, 1, 'one subscribed routed')
  t.notOk(fromServer.some((el) => el.attrs.id === 'e1' || el.attrs.id === 'srv' || (el.name === 'presence' && el.attrs.from === `x.y@${GW}`)), 'no answers to errors, probes of non-subscribers or the server\'s messages')
  t.notOk(fromServer.some((el) => el.name === 'presence' && el.attrs.type === undefined && el.attrs.to === `x.y@${GW}`), 'no presence to a non-subscriber')
  await d.close()
  await d.close()
  // The offline store is bounded: beyond it the sender gets an error, so nothing is lost silently.
  for (let i = 0; i <= 100; i++) component.send(new Element('message', { from: grid, to: bare, type: 'chat', id: `o${i}` }).c('body').t('x').up())
  const full = await until('the refusal when full', () => fromServer.find((el) => el.attrs.id === 'o100'))
  t.equal(full.attrs.type, 'error')
})

t.test('the component stream: wrong namespace refused; a new link replaces an old one', async (t) => {
  const { port, server } = await setup(t, false)
  t.match(await raw(port, `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${GW}'>`), /<invalid-namespace/)
  const first = new Component({ host: '127.0.0.1', port, domain: GW, secret: 's3cret', serverDomain: 'jabber.localhost', backoff: { initialMs: 5000, maxMs: 5000 } })
  first.on('error', () => {})
  const second = new Component({ host: '127.0.0.1', port, domain: GW, secret: 's3cret', serverDomain: 'jabber.localhost', backoff: { initialMs: 5000, maxMs: 5000 } })
  second.on('error', () => {})
  t.teardown(async () => { await first.stop(); await second.stop() })
  await first.start()
  const dropped = new Promise((resolve) => first.once('offline', resolve))
  await second.start()
  await dropped
  t.equal(server.handshakes, 2)
  t.equal(server.linked, true)
})
