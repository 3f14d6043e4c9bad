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
  t.ok(await accepts(port), 'the server stays while a grid uses it')
  await close()
  t.notOk(await accepts(port), 'and stops when the last grid has closed')
})
}

t.test('a shared Jabber server has a component for each grid at once, and starts anew when taken again', { skip: skipXmppServers() }, async (t) => {
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
