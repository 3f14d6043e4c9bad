// runConformance, the library form of a conformance run: it passes the options through to the
// suite, and closes what it opened (even when the run fails) but never a target it was handed.
import t from 'tap'
import type { Target } from '../target/target.ts'
import { runConformance } from './run-conformance.ts'

t.test('the embedded grid is started, tested with the options given, and closed', async (t) => {
  let opened: Target | undefined
  const run = await runConformance({ embedded: { xmpp: 'none', regionCount: 1 } }, {
    flows: ['01-a-signs-on'],
    expectedFailures: [{ flow: '01-a-signs-on', reason: 'to see the list applied' }],
    onTarget: (target) => { opened = target }
  })
  t.equal(run.target, 'embedded reference grid')
  t.same(run.flows.map((f) => f.flow), ['01-a-signs-on'], 'only the flow asked for')
  const statuses = new Set(run.flows[0]!.checks.map((c) => c.status))
  t.same([...statuses], ['xpass'], 'the expected failures were applied: every check passed though listed')
  t.ok(opened, 'onTarget was given the target')
  await t.rejects(fetch(opened!.userServerUrl), 'its user server no longer listens')
})

t.test('a failing run still closes the grid it started', async (t) => {
  let opened: Target | undefined
  await t.rejects(runConformance({ embedded: { xmpp: 'none', regionCount: 1 } }, { flows: ['no-such-flow'], onTarget: (target) => { opened = target } }), /no such flow: no-such-flow/)
  await t.rejects(fetch(opened!.userServerUrl), 'its user server no longer listens')
})

t.test('a target the caller opened is left open', async (t) => {
  let closed = 0
  const target: Target = { name: 'mine', userServerUrl: 'http://127.0.0.1:1', adminToken: 'x', regions: [], capabilities: new Set(), close: async () => { closed++ } }
  await t.rejects(runConformance(target, { flows: ['no-such-flow'] }), /no such flow/)
  t.equal(closed, 0)
})

t.test('a target file with a mistake is refused before anything starts', async (t) => {
  await t.rejects(runConformance({ file: '/nonexistent/target.yaml' }), /ENOENT/)
})
