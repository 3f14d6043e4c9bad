import t, { type Test } from 'tap'
import { Element } from 'ltx'
import { setTimeout as sleep } from 'node:timers/promises'
import { backoffDelay } from './backoff.ts'
import { once } from 'node:events'
import { StreamError } from '../stanza/index.ts'
import { Component, isConfigurationRefusal, type ComponentOptions } from './component.ts'
import { FakeComponentServer } from './fake-server.ts'
import { handshakeDigest } from './handshake.ts'
import { Outbox } from './outbox.ts'

const chat = (id: string): Element => new Element('message', { type: 'chat', id, from: 'ada.lovelace@grid.localhost/grid', to: 'd@jabber.localhost' }).c('body').t(id).up()

async function until (what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

async function setup (t: Test, overrides: Partial<ComponentOptions> = {}): Promise<{ server: FakeComponentServer, component: Component }> {
  const server = new FakeComponentServer('grid.localhost', 'secret')
  await server.listen()
  const component = new Component({
    host: '127.0.0.1', port: server.port, domain: 'grid.localhost', secret: 'secret', serverDomain: 'jabber.localhost',
    backoff: { initialMs: 20, maxMs: 200 }, ackDelayMs: 20, ...overrides
  })
  t.teardown(async () => { await component.stop(); await server.crash().catch(() => {}) })
  return { server, component }
}


t.test('GRIDIM-XMPP-1: the handshake is the lower-case hex SHA-1 of stream id + secret', async (t) => {
  // printf '3BF96D32secret' | sha1sum
  t.equal(handshakeDigest('3BF96D32', 'secret'), 'b09ea9b3b7f586be8a08d0a3dd7466f110aeb136')
})

t.test('GRIDIM-XMPP-3: delays start at 1 s, double up to 60 s, and vary by at most a fifth', async (t) => {
  t.same([0, 1, 2, 3, 6, 7, 20].map((n) => backoffDelay(n, {}, () => 0.5)), [1000, 2000, 4000, 8000, 60_000, 60_000, 60_000])
  t.equal(backoffDelay(0, {}, () => 0), 800)
  t.equal(backoffDelay(0, {}, () => 1), 1200)
})

t.test('the queue is bounded: beyond it a stanza is refused with unavailable, never dropped', async (t) => {
  const outbox = new Outbox(2)
  outbox.enqueue(chat('1'))
  outbox.enqueue(chat('2'))
  t.throws(() => outbox.enqueue(chat('3')), { name: 'GridImError', code: 'unavailable' })
  t.same(outbox.drain().map((el) => el.attrs.id), ['1', '2'])
})

t.test('unacknowledged messages go back first in line, in order, when the link fails', async (t) => {
  const outbox = new Outbox(10)
  const a = outbox.wrote(chat('a'))
  outbox.wrote(chat('b'))
  outbox.acked(a)
  outbox.enqueue(chat('c'))
  outbox.linkFailed()
  t.same(outbox.drain().map((el) => el.attrs.id), ['b', 'c'])
})

t.test('a component connects, sends and receives stanzas, and closes cleanly', async (t) => {
  const { server, component } = await setup(t)
  const stanzas: Element[] = []
  component.on('stanza', (el) => stanzas.push(el))
  await component.start()
  t.ok(component.online)
  t.equal(component.send(chat('m1')), 'sent')
  await until('the message', () => server.received.length === 1)
  server.push("<message from='d@jabber.localhost/x' to='ada.lovelace@grid.localhost' id='r1'><body>hi</body></message>")
  await until('the reply', () => stanzas.length === 1)
  t.equal(stanzas[0]?.getChildText('body'), 'hi')
  await until('the acknowledging ping', () => component.unacked === 0)
  t.same(await component.stop(), [], 'nothing left undelivered')
})

t.test('GRIDIM-XMPP-59: a wrong secret surfaces as a typed not-authorized stream error, and the component stops trying', async (t) => {
  const { component, server } = await setup(t, { secret: 'wrong' })
  const reconnecting: unknown[] = []
  const refused: Error[] = []
  component.on('reconnecting', (info) => reconnecting.push(info))
  component.on('refused', (error) => refused.push(error))
  await t.rejects(component.start(), { name: 'StreamError', condition: 'not-authorized' })
  t.match(component.refusal, { condition: 'not-authorized' })
  t.equal(refused.length, 1, 'one refusal reported')
  t.same(reconnecting, [], 'no retry scheduled (a retry is scheduled, and announced, when an attempt fails)')
  t.equal(server.connections, 1)
  t.throws(() => component.send(chat('after')), { name: 'GridImError', code: 'unavailable' }, 'stanzas are refused, not queued for a link that will never come')
})

t.test('GRIDIM-XMPP-59: an unknown domain surfaces as host-unknown, and the component stops trying', async (t) => {
  const { component } = await setup(t, { domain: 'other.localhost' })
  const reconnecting: unknown[] = []
  component.on('reconnecting', (info) => reconnecting.push(info))
  await t.rejects(component.start(), { name: 'StreamError', condition: 'host-unknown' })
  t.same(reconnecting, [])
})

t.test('GRIDIM-XMPP-59: a server that comes back with another secret refuses the link once; the component stops', async (t) => {
  const { server, component } = await setup(t)
  await component.start()
  const port = server.port
  await server.crash()
  await until('the link to drop', () => !component.online)
  const changed = new FakeComponentServer('grid.localhost', 'changed-secret')
  await changed.listen(port)
  t.teardown(() => changed.crash().catch(() => {}))
  const [error] = await once(component, 'refused') as [Error]
  t.match(error, { name: 'StreamError', condition: 'not-authorized' })
  t.equal(component.refusal, error)
  t.equal(changed.handshakes, 0)
  t.throws(() => component.send(chat('after')), { name: 'GridImError', code: 'unavailable' })
})

t.test('a connection refused (nobody listening) is not a configuration refusal: retries go on', async (t) => {
  const { server, component } = await setup(t)
  await server.crash()
  const retried = once(component, 'reconnecting')
  await t.rejects(component.start(), { code: 'ECONNREFUSED' })
  await retried
  t.equal(component.refusal, undefined)
  t.notOk(isConfigurationRefusal(new StreamError('conflict')))
})

t.test('GRIDIM-XMPP-4: a message written to a link that fails before the ping answer is resent after reconnecting', async (t) => {
  const { server, component } = await setup(t)
  await component.start()
  server.dropOnMessage = true
  component.send(chat('lost-1'))
  await until('the link to fail', () => !component.online)
  server.dropOnMessage = false
  await until('the reconnection', () => component.online && server.handshakes === 2)
  await until('the resend', () => server.received.some((el) => el.attrs.id === 'lost-1'))
  t.pass('resent with its original id')
})

t.test('stanzas sent while the link is down are queued and delivered in order after a restart', async (t) => {
  const { server, component } = await setup(t)
  await component.start()
  const port = server.port
  await server.crash()
  await until('the link to drop', () => !component.online)
  t.equal(component.send(chat('q1')), 'queued')
  t.equal(component.send(chat('q2')), 'queued')
  const restarted = new FakeComponentServer('grid.localhost', 'secret')
  await restarted.listen(port)
  t.teardown(() => restarted.crash().catch(() => {}))
  await until('the queued stanzas', () => restarted.received.length === 2)
  t.same(restarted.received.map((el) => el.attrs.id), ['q1', 'q2'])
})

t.test('GRIDIM-XMPP-2: an unanswered ping fails the link, which is re-established', async (t) => {
  const { server, component } = await setup(t, { idlePingMs: 40, pingTimeoutMs: 60, keepAliveMs: 1000 })
  await component.start()
  server.answerPings = false
  await until('the link to fail', () => !component.online)
  server.answerPings = true
  await until('the reconnection', () => component.online)
  t.ok(server.handshakes >= 2)
})
