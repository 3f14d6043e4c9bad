import t from 'tap'
import { applyExpectations, selectFlows } from './run-suite.ts'
import type { Check } from './results.ts'
import { countByStatus, runPassed } from './results.ts'

const check = (flow: string, step: string, status: Check['status'], requirements = ['GRIDIM-IM-1']): Check =>
  ({ flow, step, outcome: 'o', requirements, status })

t.test('an expected failure that fails is xfail; one that passes is xpass, and fails the run', async (t) => {
  const out = applyExpectations([check('f', '1', 'fail'), check('f', '2', 'pass'), check('g', '1', 'fail', ['GRIDIM-X-1']), check('h', '1', 'fail')],
    [{ flow: 'f' }, { requirement: 'GRIDIM-X-1' }])
  t.same(out.map((c) => c.status), ['xfail', 'xpass', 'xfail', 'fail'])
  const run = { target: 't', startedAt: '', durationMs: 0, flows: [{ flow: 'f', title: '', file: '', checks: out, trace: [], durationMs: 0 }] }
  t.equal(countByStatus(run).xpass, 1)
  t.notOk(runPassed(run))
  t.ok(runPassed({ ...run, flows: [{ ...run.flows[0]!, checks: [check('f', '1', 'xfail'), check('f', '1', 'impossible')] }] }))
})

t.test('a step-only expectation never matches every flow', async (t) => {
  t.same(applyExpectations([check('f', '1', 'fail')], [{ step: '1' }]).map((c) => c.status), ['fail'])
})

t.test('flows are chosen by id or file name; an unknown one is an error', async (t) => {
  const all = [{ file: '01-a.yaml', flow: { id: 'a' } }, { file: '02-b.yaml', flow: { id: 'b' } }] as any
  t.same(selectFlows(all, ['b']).map((f: any) => f.flow.id), ['b'])
  t.same(selectFlows(all, ['01-a']).map((f: any) => f.flow.id), ['a'])
  t.equal(selectFlows(all).length, 2)
  t.throws(() => selectFlows(all, ['zzz']), /no such flow: zzz/)
})
