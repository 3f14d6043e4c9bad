import t from 'tap'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { connect } from 'node:net'
import { join } from 'node:path'
import { loadFlows } from '../../tools/spec/flows.ts'
import { skipXmppServers } from '../../tools/xmpp-servers/servers.ts'
import { runFlow } from '../runner/run-flow.ts'
import { scratchRoot, SharedJabberServer, startGrids } from './embedded.ts'
import type { Target } from './target.ts'
import type { RunningXmppServer, XmppServerOptions } from '../../tools/xmpp-servers/types.ts'

const flow = (id: string) => loadFlows().flows.find((f) => f.flow.id === id)!

t.test('an embedded grid keeps its files in memory where it can, and where TMPDIR says when it is set', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gridim-scratch-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  t.equal(scratchRoot({}, dir, 1), dir, 'a writable folder with room enough')
  t.equal(scratchRoot({ TMPDIR: '/somewhere' }, dir), tmpdir(), 'TMPDIR set: the temporary folder')
  t.equal(scratchRoot({}, join(dir, 'absent')), tmpdir(), 'none: the temporary folder')
  t.equal(scratchRoot({}, dir, Number.MAX_SAFE_INTEGER), tmpdir(), 'too little room: the temporary folder')
  writeFileSync(join(dir, 'file'), '')
  t.equal(scratchRoot({}, join(dir, 'file')), tmpdir(), 'not a folder: the temporary folder')
})

for (const server of ['prosody', 'ejabberd'] as const) {
t.test(`the grids of a thread share one ${server}, each gateway a component of its own`, { skip: skipXmppServers() }, async (t) => {
  const grids = await startGrids({ xmpp: server, regionCount: 2 }, 2)
  let closed = false
  const close = async (): Promise<void> => { if (!closed) { closed = true; await Promise.all(grids.map(async (g) => { await g.close() })) } }
  t.teardown(close)
  const [a, b] = grids as [Target, Target]
  t.not(a.gateway?.domain, b.gateway?.domain, 'a gateway domain each')
  t.equal(a.jabberServer?.port, b.jabberServer?.port, 'one Jabber server')
  // A foreign user and a grid user talk on each grid at once: neither gateway sees the other's.
  const results = await Promise.all(grids.map(async (g) => await runFlow(flow('10-a-messages-d'), g, { eventTimeoutMs: 10_000 })))
  for (const r of results) t.same(r.checks.filter((c) => c.status !== 'pass').map((c) => `${c.step}: ${c.message}`), [], 'every check passes on each grid')
  const port = a.jabberServer!.port!
  await a.close()
  await a.close()
  t.ok(await accepts(port), 'the server stays while a grid uses it, its other grid closed (twice)')
  closed = true
  await b.close()
  t.notOk(await accepts(port), 'and stops when the last grid has closed')
})
}

t.test('a shared Prosody refuses a grid beyond its components, stops when its only component is given back, and starts anew when taken again', { skip: skipXmppServers() }, async (t) => {
  const shared = new SharedJabberServer('prosody', 1)
  const first = await shared.take()
  t.equal(first.gatewayDomain, 'grid1.localhost')
  await t.rejects(shared.take(), /the thread's prosody has components for 1 grids, all in use/)
  await first.stop()
  t.notOk(await accepts(first.componentPort), 'given back, the only component stops the server')
  const again = await shared.take()
  t.teardown(() => again.stop())
  t.equal(again.gatewayDomain, 'grid1.localhost', 'the component is taken again')
  t.ok(await accepts(again.componentPort), 'from a server started anew')
})

async function accepts (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => { resolve(false) })
  })
}

/** A stand-in for a real server: counts its starts and stops, and fails its start when told. */
function fakeServers (failing: () => boolean) {
  const events: string[] = []
  const start = async (options: XmppServerOptions): Promise<RunningXmppServer> => {
    events.push(`start ${options.components?.map((c) => c.domain).join(' ')}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
    if (failing()) throw new Error('could not start')
    const n = events.length
    return {
      name: 'prosody', domain: 'jabber.localhost', c2sPort: n, componentPort: n, httpPort: n, log: '',
      register: async () => {}, addRosterItem: async () => {}, restart: async () => {},
      stop: async () => { events.push('stop') }
    }
  }
  return { events, start }
}

t.test('a shared Jabber server: grids that take a component while it starts share one start, and one given back twice is given back once', async (t) => {
  const { events, start } = fakeServers(() => false)
  const shared = new SharedJabberServer('prosody', 3, start)
  const [a, b] = await Promise.all([shared.take(), shared.take()])
  t.same(events, ['start grid1.localhost grid2.localhost grid3.localhost'], 'one start, with a component for each grid')
  t.same([a.gatewayDomain, b.gatewayDomain], ['grid1.localhost', 'grid2.localhost'])
  t.not(a.secret, b.secret, 'a secret each')
  t.equal(a.componentPort, b.componentPort, 'the one server')
  await a.stop()
  const c = await shared.take()
  t.equal(c.gatewayDomain, 'grid1.localhost', 'a component given back is taken again')
  await a.stop()
  const d = await shared.take()
  t.equal(d.gatewayDomain, 'grid3.localhost', 'a second stop of the first holder gives back nothing: grid1 is still c\'s')
  await Promise.all([b.stop(), c.stop()])
  t.same(events, ['start grid1.localhost grid2.localhost grid3.localhost'], 'running while a grid holds a component')
  await d.stop()
  t.same(events.at(-1), 'stop', 'stopped with the last')
})

t.test('a shared Jabber server that fails to start fails every grid waiting for it, and the next take starts it anew', async (t) => {
  let fail = true
  const { events, start } = fakeServers(() => fail)
  const shared = new SharedJabberServer('prosody', 2, start)
  const waiting = await Promise.allSettled([shared.take(), shared.take()])
  t.same(waiting.map((w) => w.status), ['rejected', 'rejected'], 'both waiting grids fail')
  fail = false
  const again = await shared.take()
  t.equal(again.gatewayDomain, 'grid1.localhost', 'every component was given back')
  t.equal(events.filter((e) => e.startsWith('start')).length, 2, 'started anew')
  await again.stop()
})
