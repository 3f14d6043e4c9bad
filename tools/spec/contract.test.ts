// GRIDIM contract tests: the spec, the flows and the OpenAPI documents agree with each other.
import t from 'tap'
import { loadFlows } from './flows.ts'
import { contractReport, formatReport } from './report.ts'

const report = contractReport()
// The coverage figure is part of the test output on purpose: CI logs show it on every run.
t.comment(formatReport(report).split('\n').filter((l) => !l.startsWith('problem:')).join('\n'))

t.test('the normative text parses: ids unique, keywords only inside requirements', async (t) => {
  t.ok(report.requirements.length > 0, 'there are requirements')
  t.same(report.specProblems, [])
})

t.test('every flow file validates against the flow schema', async (t) => {
  t.ok(report.flowCount >= 13 + 4, 'the thirteen seed flows and the four assumptions at least')
  t.same(report.flowProblems, [])
})

t.test('the flows are read once per process and frozen, so no run changes what the next replays', async (t) => {
  const first = loadFlows()
  t.equal(loadFlows(), first, 'a second call answers the same flows')
  const step = first.flows[0]!.flow.steps[0]!
  t.throws(() => { (step as { id: string }).id = 'changed' }, TypeError, 'a step cannot be changed')
  t.throws(() => { (first.flows as unknown[]).push({}) }, TypeError, 'nor the list')
  t.equal(loadFlows().flows[0]!.flow.steps[0]!.id, step.id)
})

t.test('every requirement id and operationId a flow names exists', async (t) => {
  t.same(report.coverage.unknownReferences, [])
  t.same(report.coverage.unknownOperations, [])
})

t.test('every MUST is proved by a flow step or listed as uncovered, and the list is not stale', async (t) => {
  t.same(report.coverage.missing, [], 'MUSTs neither proved nor listed')
  t.same(report.coverage.staleUncovered, [], 'listed as uncovered but proved')
  t.same(report.coverage.unknownUncovered, [], 'uncovered list names unknown ids')
})

t.test('every stanza expectation\'s sinceStep names an earlier step of its flow', async (t) => {
  const wrong: string[] = []
  for (const { flow } of loadFlows().flows) {
    flow.steps.forEach((step, i) => {
      const earlier = new Set(flow.steps.slice(0, i).map((s) => s.id))
      for (const o of step.outcomes) {
        const since = o.expect?.kind === 'stanza' ? o.expect.sinceStep : undefined
        if (since !== undefined && !earlier.has(since)) wrong.push(`${flow.id} step ${step.id}: sinceStep ${since}`)
      }
    })
  }
  t.same(wrong, [])
})
