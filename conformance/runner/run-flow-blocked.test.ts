// runFlow reports checks that follow from an earlier failure as blocked by it (issue 14): after
// a step that could not be performed, and after a failed setup.
import t from 'tap'
import type { Flow } from '../../spec/flows/schema.ts'
import type { Target } from '../target/target.ts'
import { runFlow } from './run-flow.ts'

// A target with nothing listening: its admin interface refuses every call.
const target: Target = { name: 'nothing', userServerUrl: 'http://127.0.0.1:9', adminToken: 't', regions: [{ name: 'R1', url: 'http://127.0.0.1:9' }], capabilities: new Set(), close: async () => {} }
const outcome = (n: string): Flow['steps'][number]['outcomes'][number] => ({ text: `outcome ${n}`, requirements: [`GRIDIM-X-${n}`], expect: { kind: 'response', status: 200 } })

t.test('a step that cannot be performed fails its own checks and blocks the later steps\' checks', async (t) => {
  const flow = {
    id: 'x-blocked', title: 'blocked', actors: { R1: { kind: 'region' } },
    steps: [
      { id: '1', do: { call: 'reviveRegion', args: { region: 'R1' } }, outcomes: [outcome('1')] },
      { id: '2', do: { call: 'reviveRegion', args: { region: 'R1' } }, outcomes: [outcome('2a'), outcome('2b')] }
    ]
  } as unknown as Flow
  const result = await runFlow({ file: 'x.yaml', flow }, target, { eventTimeoutMs: 100 })
  t.same(result.checks.map((c) => [c.step, c.status, c.blockedBy]), [
    ['1', 'fail', undefined],
    ['2', 'blocked', 'step 1 [GRIDIM-X-1] outcome 1'],
    ['2', 'blocked', 'step 1 [GRIDIM-X-1] outcome 1']
  ])
  t.match(result.checks[1]!.message, /^step 1 could not be performed: reviveRegion needs a region this flow killed/)
})

t.test('a failed setup fails the first check and blocks the rest', async (t) => {
  const flow = {
    id: 'x-setup', title: 'setup', actors: { A: { kind: 'user', at: 'R1' }, R1: { kind: 'region' } }, setup: { users: ['A'] },
    steps: [{ id: '1', outcomes: [outcome('1'), outcome('2')] }]
  } as unknown as Flow
  const result = await runFlow({ file: 'x.yaml', flow }, target, { eventTimeoutMs: 100 })
  t.same(result.checks.map((c) => [c.status, c.blockedBy]), [['fail', undefined], ['blocked', 'setup']])
  t.match(result.checks[0]!.message, /^setup failed: /)
})
