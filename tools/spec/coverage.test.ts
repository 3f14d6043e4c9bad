import t from 'tap'
import { computeCoverage } from './coverage.ts'
import type { Requirement } from './requirements.ts'
import type { LoadedFlow } from './flows.ts'

const req = (id: string, level: Requirement['level']): Requirement => ({ id, level, text: '', chapter: 'x.md', line: 1 })
const flow: LoadedFlow = {
  file: 'f.yaml',
  flow: {
    id: 'f', title: 'F', summary: 's', source: { kind: 'expected', ref: 'r' }, actors: {},
    steps: [{
      id: '1', actor: 'A', action: 'a', do: { call: 'clientLogin' },
      exchanges: [{ operation: 'nope', from: 'A', to: 'B' }],
      outcomes: [{ text: 'o', requirements: ['GRIDIM-A-1', 'GRIDIM-A-9'], expect: { kind: 'exchange', operation: 'signOn', from: 'R', to: 'U' } }]
    }]
  }
}

t.test('coverage counts MUSTs proved, and flags missing, stale and unknown references', async (t) => {
  const r = computeCoverage(
    [req('GRIDIM-A-1', 'must'), req('GRIDIM-A-2', 'must'), req('GRIDIM-A-3', 'must'), req('GRIDIM-A-4', 'should')],
    [flow],
    [{ id: 'GRIDIM-A-2', reason: 'needs a clock' }, { id: 'GRIDIM-A-1', reason: 'stale' }, { id: 'GRIDIM-Z-1', reason: 'gone' }],
    new Set(['clientLogin', 'signOn']))
  t.equal(r.mustTotal, 3)
  t.equal(r.mustCovered, 1)
  t.equal(r.percent, 33.3)
  t.same(r.missing, ['GRIDIM-A-3'])
  t.same(r.staleUncovered, ['GRIDIM-A-1'])
  t.same(r.unknownUncovered, ['GRIDIM-Z-1'])
  t.same(r.unknownReferences, [{ flow: 'f', step: '1', id: 'GRIDIM-A-9' }])
  t.same(r.unknownOperations, [{ flow: 'f', step: '1', operationId: 'nope' }])
})
