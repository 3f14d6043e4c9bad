// A nonce sent again to a region the runner plays: the played region refuses it as any region
// would (GRIDIM-SEC-5), and the flow names the cause — the signer broke GRIDIM-SEC-18 — whatever
// else the refusal made fail.
import t from 'tap'
import { loadFlows } from '../../tools/spec/flows.ts'
import { startEmbeddedTarget } from '../target/embedded.ts'
import { runFlow } from './run-flow.ts'

const flow = loadFlows().flows.find((f) => f.flow.id === 'x-request-sent-again-signed-anew')!
const named = (c: { outcome: string }): boolean => /signs every request it sends, a repeat too, with a nonce of its own/.test(c.outcome)

t.test('a correct region: no such check', async (t) => {
  const target = await startEmbeddedTarget({ xmpp: 'none', regionCount: 1 })
  t.teardown(() => target.close())
  const result = await runFlow(flow, target, { eventTimeoutMs: 10_000 })
  t.same(result.checks.filter((c) => c.status !== 'pass').map((c) => c.message), [], 'the flow passes')
  t.equal(result.checks.filter(named).length, 0)
})

t.test('a region that resends with the first nonce: a failed check of its own under GRIDIM-SEC-18, the region\'s, at the step it happened', async (t) => {
  const target = await startEmbeddedTarget({ xmpp: 'none', regionCount: 1, faults: new Set(['resend-same-signature'] as const) })
  t.teardown(() => target.close())
  const result = await runFlow(flow, target, { eventTimeoutMs: 10_000 })
  const checks = result.checks.filter(named)
  t.equal(checks.length, 1)
  t.match(checks[0], { step: '4', status: 'fail', requirements: ['GRIDIM-SEC-18'], role: 'region', message: /RX refused deliverInstantMessage from R1 as replayed-request/ })
})
