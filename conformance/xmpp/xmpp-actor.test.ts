// The runner's XMPP actors against a real Prosody and ejabberd: two users, one over TCP and one over BOSH,
// whose rosters were seeded, see each other's presence, exchange stanzas built from schemas,
// and have every stanza recorded and judged; stanza expectations claim what meets them.
import t from 'tap'
import { Element } from 'ltx'
import { skipXmppServers, XMPP_SERVERS } from '../../tools/xmpp-servers/index.ts'
import { connectBosh } from './bosh-connection.ts'
import { buildStanza } from './build-stanza.ts'
import { connectStream } from './stream-connection.ts'
import { expectNoStanza, expectStanza, type StanzaQuery } from './stanza-expectation.ts'
import { XmppActor, type StanzaRecord } from './xmpp-actor.ts'

const skip = skipXmppServers()

for (const [serverName, start] of Object.entries(XMPP_SERVERS)) t.test(`two actors on ${serverName}, over TCP and BOSH, exchange judged stanzas`, { skip }, async (t) => {
  // Prosody opens its component port only when a component is configured, and start() waits for it.
  const server = await start({ components: [{ domain: 'grid.localhost', secret: 'unused' }] })
  t.teardown(() => server.stop())
  await server.register({ user: 'dana', password: 'dana-pw' })
  await server.register({ user: 'erin', password: 'erin-pw' })
  await server.addRosterItem('dana', { jid: `erin@${server.domain}`, name: 'Erin', subscription: 'both' })
  await server.addRosterItem('erin', { jid: `dana@${server.domain}`, subscription: 'both' })

  let seq = 0
  const recorded: StanzaRecord[] = []
  const actor = (name: string, connection: Awaited<ReturnType<typeof connectStream>>): XmppActor =>
    new XmppActor({ name, connection, nextSeq: () => seq++, judged: () => true, onRecord: (r) => recorded.push(r) })
  const login = (username: string) => ({ username, password: `${username}-pw`, domain: server.domain, resource: 'runner' })
  const dana = actor('D', await connectStream(`xmpp://127.0.0.1:${server.c2sPort}`, login('dana')))
  t.teardown(() => dana.close())
  const erin = actor('E', await connectBosh(`http://127.0.0.1:${server.httpPort}/http-bind`, login('erin')))
  t.teardown(() => erin.close())
  t.equal(dana.jid, `dana@${server.domain}/runner`)
  t.equal(erin.jid, `erin@${server.domain}/runner`)

  const roster = await dana.iq(new Element('iq', { type: 'get', id: 'roster-1' }).c('query', { xmlns: 'jabber:iq:roster' }).up())
  t.same(roster.getChild('query')?.getChildren('item').map((i) => i.attrs), [{ jid: `erin@${server.domain}`, name: 'Erin', subscription: 'both' }], 'the seeded roster')
  await erin.iq(new Element('iq', { type: 'get', id: 'roster-2' }).c('query', { xmlns: 'jabber:iq:roster' }).up())

  const claimed = new Set<number>()
  const query = (name: StanzaQuery['name'], match: unknown, since = 0): StanzaQuery => ({ name, match, since, claimed })
  await dana.send(buildStanza('presence-available', {}, dana.jid).element)
  await erin.send(buildStanza('presence-available', {}, erin.jid).element)
  await expectStanza(erin, query('presence-available', { from: dana.jid }), 5000)
  await expectStanza(dana, query('presence-available', { from: erin.jid }), 5000)
  t.pass('each sees the other online: mutual subscription from the seeded rosters')

  const hello = buildStanza('chat-message', { to: `erin@${server.domain}`, id: 'hello-1', body: 'Hello E' }, dana.jid)
  const sent = await dana.send(hello.element)
  t.notOk(sent.xml.includes('from='), 'the server stamps from')
  t.same(sent.verdict.problems, [])
  const got = await expectStanza(erin, query('chat-message', { from: dana.jid, id: 'hello-1', body: 'Hello E' }), 5000)
  t.equal(got.stanza.kind, 'chatMessage')

  const again = expectStanza(erin, query('chat-message', { id: 'hello-1' }), 300)
  await t.rejects(again, /timed out after 300 ms: E received no chat-message matching \{"id":"hello-1"\}; near misses: chat-message already used by an earlier expectation/,
    'a stanza meets one expectation only')
  const mark = seq
  t.doesNotThrow(() => expectNoStanza(erin, query('chat-message', { id: 'hello-1' }, mark)), 'older stanzas do not count after the window moves')

  await dana.send(new Element('message', { type: 'chat', to: `erin@${server.domain}` }).c('body').t('no id').up())
  const bad = await erin.waitFor(() => erin.records.find((r) => r.seq >= mark && r.verdict.schema === 'chat-message'), 5000, () => 'the message without id')
  t.match(bad.verdict.problems, [/^urn:gridim:stanza:chat-message: bad-request: this <message\/> needs an id/], 'a received stanza that breaks its schema is judged')
  t.doesNotThrow(() => expectNoStanza(erin, query('chat-message', { body: 'no id' }, mark)), 'a stanza breaking its schema meets no expectation')
  t.ok(recorded.some((r) => r.direction === 'received' && r.element.name === 'iq'), 'IQ answers are recorded too')
})

t.test('closing an actor ends the waits still pending on it at once, timers and all', async (t) => {
  let closed = 0
  const connection = { jid: 'dana@example.test/runner', send: async () => {}, iq: async () => { throw new Error('no IQ here') }, onStanza: () => {}, close: async () => { closed++ } }
  const dana = new XmppActor({ name: 'D', connection, nextSeq: () => 0, judged: () => true, onRecord: () => {} })
  const pending = dana.waitFor(() => undefined, 60_000, () => 'a stanza that never comes')
  await dana.close()
  await t.rejects(pending, /D's client was closed: a stanza that never comes/, 'the wait ends with the close, not after its minute')
  t.equal(closed, 1, 'the stream is closed')
  await dana.close()
  t.equal(closed, 1, 'once')
})
