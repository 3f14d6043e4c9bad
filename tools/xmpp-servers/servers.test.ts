// The real Prosody and ejabberd start on free loopback ports, accept a PLAIN login and stop.
import t from 'tap'
import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { startTestClient } from './test-client.ts'
import { XMPP_SERVERS, skipXmppServers } from './servers.ts'
import { prosodyConfig } from './prosody.ts'
import { ejabberdConfig } from './ejabberd.ts'

const skip = skipXmppServers()

function portOpen (port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}

t.test('each configuration names the component, its secret and the MUC service', async (t) => {
  const options = { components: [{ domain: 'grid.localhost', secret: 'pa"ss' }], muc: true }
  const layout = { dir: '/tmp/x', domain: 'jabber.localhost', mucDomain: 'conference.jabber.localhost', c2sPort: 1, componentPort: 2, httpPort: 3 }
  const prosody = prosodyConfig(options, layout)
  t.match(prosody, 'Component "grid.localhost"\n  component_secret = "pa\\"ss"')
  t.match(prosody, 'Component "conference.jabber.localhost" "muc"')
  t.match(prosody, 'run_as_root = true')
  const ejabberd = ejabberdConfig(options, layout)
  t.match(ejabberd, '"grid.localhost": { password: "pa\\"ss" }')
  t.match(ejabberd, 'global_routes: false', 'each component is routed its own domain only')
  t.match(ejabberd, 'mod_muc: { host: "conference.jabber.localhost" }')
})

for (const [name, start] of Object.entries(XMPP_SERVERS)) {
  t.test(`${name} starts on free loopback ports, lets a registered user log in with PLAIN, and stops`, { skip }, async (t) => {
    const server = await start({ components: [{ domain: 'grid.localhost', secret: 'secret' }], users: [{ user: 'alice', password: 'alicepw' }], muc: true })
    let stopped = false
    t.teardown(async () => { if (!stopped) await server.stop() })
    t.equal(server.name, name)
    t.equal(new Set([server.c2sPort, server.componentPort, server.httpPort]).size, 3, 'three distinct ports')
    t.ok(await portOpen(server.componentPort), 'the component port accepts connections')

    const alice = await startTestClient({ service: `xmpp://127.0.0.1:${server.c2sPort}`, domain: server.domain, username: 'alice', password: 'alicepw', resource: 'test' })
    t.equal(alice.jid, 'alice@jabber.localhost/test')
    t.comment(`${name}: PLAIN login in ${alice.loginMs} ms`)
    await alice.stop()

    const refused = await startTestClient({ service: `xmpp://127.0.0.1:${server.c2sPort}`, domain: server.domain, username: 'alice', password: 'wrong' })
      .then(() => undefined, (error: { condition?: string }) => error)
    t.equal(refused?.condition, 'not-authorized', 'a wrong password is refused')

    // Prosody's store has the name in lower case (nodeprep), as `prosodyctl register` stored it.
    const later = name === 'prosody' ? 'Bob' : 'bob'
    await server.register({ user: later, password: 'bobpw' })
    const bob = await startTestClient({ service: `xmpp://127.0.0.1:${server.c2sPort}`, domain: server.domain, username: 'bob', password: 'bobpw', resource: 'test' })
    t.equal(bob.jid, 'bob@jabber.localhost/test', 'an account made while the server runs logs in at once')
    await bob.stop()
    if (name === 'prosody') await t.rejects(server.register({ user: 'no spaces', password: 'x' }), /an account name of letters, digits/, 'a name Prosody could not store is refused')

    await server.stop()
    stopped = true
    t.notOk(await portOpen(server.c2sPort), 'the c2s port is closed after stop()')
  })
}

t.test('a missing binary is a failure, not a skip', async (t) => {
  t.notOk(skipXmppServers({}), 'only GRIDIM_SKIP_XMPP_SERVERS=1 skips')
  t.ok(skipXmppServers({ GRIDIM_SKIP_XMPP_SERVERS: '1' }))
  if (!skip) t.ok(existsSync('/usr/bin/prosody') || existsSync('/usr/local/bin/prosody'), 'prosody is installed')
})
