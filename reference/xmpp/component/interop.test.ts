// The component against real Prosody and ejabberd (GRIDIM-XMPP-1..4): handshake, a chat
// message each way with a c2s user, and a server restart survived with a queued message; a
// refused handshake stops the link (GRIDIM-XMPP-59).
import t from 'tap'
import { Element } from 'ltx'
import { once } from 'node:events'
import { XMPP_SERVERS, skipXmppServers, startTestClient, type RunningXmppServer } from '../../../tools/xmpp-servers/index.ts'
import { Component } from './component.ts'

const skip = skipXmppServers()
const GRID = 'grid.localhost'
const SECRET = 'gateway-secret'

/** Implementation differences as data (xmpp-peers.md): the condition for an unknown component domain. */
const UNKNOWN_DOMAIN_CONDITION: Record<RunningXmppServer['name'], string> = { prosody: 'host-unknown', ejabberd: 'not-authorized' }

function component (server: RunningXmppServer, overrides: { domain?: string, secret?: string } = {}): Component {
  return new Component({
    host: '127.0.0.1', port: server.componentPort, domain: overrides.domain ?? GRID, secret: overrides.secret ?? SECRET,
    serverDomain: server.domain, backoff: { initialMs: 50, maxMs: 500 }, ackDelayMs: 50
  })
}

const chat = (id: string, to: string, body: string): Element =>
  new Element('message', { type: 'chat', id, from: `ada.lovelace@${GRID}/grid`, to }).c('body').t(body).up()

for (const [name, start] of Object.entries(XMPP_SERVERS)) {
  t.test(`${name}: the gateway component links up and exchanges messages with a c2s user`, { skip }, async (t) => {
    const server = await start({ components: [{ domain: GRID, secret: SECRET }], users: [{ user: 'dave', password: 'davepw' }] })
    t.teardown(() => server.stop())
    const gateway = component(server)
    t.teardown(() => gateway.stop())
    let started = Date.now()
    await gateway.start()
    t.comment(`${name}: component connect + handshake in ${Date.now() - started} ms`)

    const login = { service: `xmpp://127.0.0.1:${server.c2sPort}`, domain: server.domain, username: 'dave', password: 'davepw', resource: 'phone' }
    const dave = await startTestClient(login)
    t.teardown(() => dave.stop())
    await dave.xmpp.send(new Element('presence'))

    started = Date.now()
    const arriving = dave.next((el) => el.name === 'message' && el.attrs.id === 'to-dave-1')
    gateway.send(chat('to-dave-1', 'dave@jabber.localhost', 'hello from the grid'))
    const got = await arriving
    t.comment(`${name}: component → c2s message in ${Date.now() - started} ms`)
    t.equal(got.getChildText('body'), 'hello from the grid')
    t.equal(got.attrs.from, `ada.lovelace@${GRID}/grid`)

    started = Date.now()
    const reply = once(gateway, 'stanza') as Promise<[Element]>
    await dave.xmpp.send(new Element('message', { type: 'chat', id: 'to-ada-1', to: `ada.lovelace@${GRID}` }).c('body').t('hi back').up())
    const [back] = await reply
    t.comment(`${name}: c2s → component message in ${Date.now() - started} ms`)
    t.equal(back.attrs.from, 'dave@jabber.localhost/phone')
    t.equal(back.getChildText('body'), 'hi back')
  })

  t.test(`${name}: the component survives a server restart and delivers what was queued meanwhile`, { skip }, async (t) => {
    const server = await start({ components: [{ domain: GRID, secret: SECRET }], users: [{ user: 'dave', password: 'davepw' }] })
    t.teardown(() => server.stop())
    const gateway = component(server)
    t.teardown(() => gateway.stop())
    await gateway.start()

    const offline = once(gateway, 'offline')
    const restarting = server.restart()
    await offline
    t.equal(gateway.send(chat('queued-1', 'dave@jabber.localhost', 'sent while the server was down')), 'queued')
    await restarting
    if (!gateway.online) await once(gateway, 'online')
    t.pass('reconnected after the restart')
    await new Promise((resolve) => setTimeout(resolve, 300)) // the queued message reaches the offline store

    const dave = await startTestClient({ service: `xmpp://127.0.0.1:${server.c2sPort}`, domain: server.domain, username: 'dave', password: 'davepw', resource: 'phone' })
    t.teardown(() => dave.stop())
    const stored = dave.next((el) => el.name === 'message' && el.attrs.id === 'queued-1')
    await dave.xmpp.send(new Element('presence'))
    t.equal((await stored).getChildText('body'), 'sent while the server was down')
  })

  t.test(`GRIDIM-XMPP-59, ${name}: a wrong secret and an unknown domain surface as typed stream errors, and the component stops trying`, { skip }, async (t) => {
    const server = await start({ components: [{ domain: GRID, secret: SECRET }] })
    t.teardown(() => server.stop())
    for (const [overrides, condition] of [[{ secret: 'nope' }, 'not-authorized'], [{ domain: 'unknown.localhost' }, UNKNOWN_DOMAIN_CONDITION[server.name]]] as const) {
      const refused = component(server, overrides)
      const retries: unknown[] = []
      refused.on('reconnecting', (info) => retries.push(info))
      await t.rejects(refused.start(), { name: 'StreamError', condition })
      t.match(refused.refusal, { condition }, `${condition}: a configuration refusal`)
      t.same(retries, [], `${condition}: no retry scheduled`)
      await refused.stop()
    }
  })

  // The conformance runner links several grids' gateways to one server (conformance/target/embedded.ts).
  t.test(`${name}: two components on one server each get only the stanzas for their own domain`, { skip }, async (t) => {
    const domains = ['grid1.localhost', 'grid2.localhost']
    const server = await start({ components: domains.map((domain, i) => ({ domain, secret: `secret-${i}` })), users: [{ user: 'dave', password: 'davepw' }] })
    t.teardown(() => server.stop())
    const got = new Map<string, string[]>(domains.map((d) => [d, []]))
    const links = domains.map((domain, i) => component(server, { domain, secret: `secret-${i}` }))
    for (const [i, link] of links.entries()) {
      t.teardown(() => link.stop())
      link.on('stanza', (el) => { if (el.name === 'message') got.get(domains[i]!)!.push(String(el.attrs.to)) })
      await link.start()
    }
    const dave = await startTestClient({ service: `xmpp://127.0.0.1:${server.c2sPort}`, domain: server.domain, username: 'dave', password: 'davepw', resource: 'phone' })
    t.teardown(() => dave.stop())
    const sent = new Map<string, string[]>(domains.map((d) => [d, Array.from({ length: 8 }, (_, n) => `user${n}@${d}`)]))
    for (const to of [...sent.values()].flat()) await dave.xmpp.send(new Element('message', { type: 'chat', to }).c('body').t('hi').up())
    const deadline = Date.now() + 10_000
    while ([...got.values()].flat().length < 16 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    for (const d of domains) t.same(got.get(d)!.sort(), sent.get(d)!.sort(), `${d}'s component got its own domain's messages, and only those`)
  })
}
