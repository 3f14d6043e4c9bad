// The runner's acts on the component link, against the reference component with short timers:
// what each act does to the link, what it measures, and how it refuses what it cannot do.
import t, { type Test } from 'tap'
import { Component } from '../../reference/xmpp/component/index.ts'
import { BACKOFF_OK } from './backoff-verdict.ts'
import { LinkControl } from './link-control.ts'
import { SimulatedJabberServer } from './simulated-jabber-server.ts'

const GW = 'grid.localhost'
const TIMINGS = { idlePingMs: 150, pingTimeoutMs: 300, retryStartMs: 20 }

async function setup (t: Test, faults: string[] = []): Promise<{ server: SimulatedJabberServer, component: Component, control: LinkControl, stanzas: string[] }> {
  const server = new SimulatedJabberServer({ domain: 'jabber.localhost', component: { domain: GW, secret: 's3cret' } })
  const port = await server.listen()
  const component = new Component({
    host: '127.0.0.1', port, domain: GW, secret: 's3cret', serverDomain: 'jabber.localhost',
    keepAliveMs: 100, idlePingMs: TIMINGS.idlePingMs, pingTimeoutMs: TIMINGS.pingTimeoutMs, ackDelayMs: 50,
    backoff: { initialMs: TIMINGS.retryStartMs, maxMs: 400 },
    faults: new Set(faults as never[])
  })
  const stanzas: string[] = []
  component.on('stanza', (el) => stanzas.push(el.toString()))
  component.on('error', () => {})
  t.teardown(async () => { await component.stop(); await server.close() })
  await component.start()
  return { server, component, control: new LinkControl(server.port, { server: 'jabber.localhost', component: GW }, TIMINGS), stanzas }
}

t.test('a silent link: the component pings, gives it up and links again', async (t) => {
  const { control } = await setup(t)
  t.same(await control.perform('go-silent'), { silent: true })
  t.same(await control.perform('await-link-failure'), { pinged: true, closed: true, relinked: true })
})

t.test('a component that keeps a silent link is told apart, and the link is cut for what follows', async (t) => {
  const { control, server } = await setup(t, ['component-keeps-silent-link'])
  control.goSilent()
  const result = await control.awaitLinkFailure()
  t.match(result, { pinged: true, closed: false, note: /kept the silent link open/ })
  t.ok(await control.restore(), 'restored: linked again')
  t.equal(server.port.silent, false)
})

t.test('refusals: the delays double, and start over after a handshake', async (t) => {
  const { control } = await setup(t)
  const first = await control.perform('cut-link', { refuse: 3 })
  t.match(first, { relinked: true, refused: 3, backoff: BACKOFF_OK })
  t.equal((first.delaysMs as number[]).length, 4)
  t.match(await control.perform('cut-link', {}), { relinked: true, refused: 0, backoff: BACKOFF_OK })
})

t.test('refused for good: not-authorized is tried once; a shutdown is retried until accepted', async (t) => {
  const { control, component } = await setup(t)
  t.same(await control.perform('cut-link', { refuse: 'all', condition: 'not-authorized' }), { attempts: 1, relinked: false })
  t.equal(component.refusal?.condition, 'not-authorized')
  t.same(await control.perform('refuse-links', { condition: 'host-unknown' }), { refusing: 'host-unknown' })
  t.same(await control.perform('accept-links', { wait: false }), { accepting: true })
  t.same(await control.perform('accept-links'), { relinked: false }, 'a component that stopped trying does not come back')
})

t.test('a link down for a while comes back when openings are accepted', async (t) => {
  const { control } = await setup(t)
  t.same(await control.perform('cut-link', { refuse: 'all' }), { attempts: 1, relinked: false })
  t.same(await control.perform('accept-links'), { relinked: true })
  t.same(await control.perform('accept-links'), { relinked: true }, 'already linked')
})

t.test('a message on a silent link is pinged after, and the link cut after it fails by itself', async (t) => {
  const { control, component } = await setup(t)
  await t.rejects(control.perform('await-ping'), /no message stanza/)
  control.goSilent()
  component.send(new (await import('ltx')).Element('message', { type: 'chat', id: 'm1', from: `a@${GW}`, to: 'd@jabber.localhost' }).c('body').t('hi').root())
  t.same(await control.perform('await-ping'), { pinged: true, withinMs: true })
  // The component gives the silent link up by itself; cut-link then times its retry from that.
  await new Promise((resolve) => component.once('offline', resolve))
  t.match(await control.perform('cut-link'), { relinked: true })
})

t.test('stanzas from the server: the answer the component gives, or none', async (t) => {
  const { control, stanzas } = await setup(t)
  // The bare component answers nothing itself: the stanzas reach its user (the gateway).
  const result = await control.perform('send-from-server', { stanza: 'iq' })
  t.same(result, { answered: false })
  t.match(stanzas.join(''), /from="jabber.localhost"/)
  await t.rejects(control.perform('send-from-server', { stanza: 'presence' as never }), /a message or an iq/)
})

t.test('what cannot be done is refused with a reason', async (t) => {
  const { control, component } = await setup(t)
  await t.rejects(control.perform('dance'), /unknown jabber-server act dance/)
  await t.rejects(control.perform('await-link-failure'), /follows go-silent/)
  await t.rejects(control.perform('cut-link', { condition: 'bored' as never }), /unknown refusal bored/)
  await t.rejects(control.perform('cut-link', { refuse: 9 }), /a count from 0 to 6/)
  t.throws(() => control.refuseLinks('bored' as never), /unknown refusal/)
  await component.stop()
  // A server no component ever linked to: nothing to silence, cut or send on.
  const lonely = new SimulatedJabberServer({ domain: 'jabber.localhost', component: { domain: GW, secret: 's3cret' } })
  t.teardown(() => lonely.close())
  const idle = new LinkControl(lonely.port, { server: 'jabber.localhost', component: GW })
  await t.rejects(idle.perform('go-silent'), /no link to silence/)
  await t.rejects(idle.perform('send-from-server', { stanza: 'message' }), /not linked/)
  await t.rejects(idle.perform('cut-link'), /no link to cut/)
})
