// The contract report: requirement, flow and operation counts, and requirement coverage.
import { allOperations } from '../../reference/lib/contract/operations.ts'
import { computeCoverage, loadUncovered, type CoverageReport } from './coverage.ts'
import { loadFlows, type FlowProblem } from './flows.ts'
import { loadRequirements, type Requirement, type SpecProblem } from './requirements.ts'

export type ContractReport = {
  requirements: Requirement[]
  specProblems: SpecProblem[]
  flowCount: number
  flowProblems: readonly FlowProblem[]
  operationCount: number
  coverage: CoverageReport
}

export function contractReport (): ContractReport {
  const { requirements, problems: specProblems } = loadRequirements()
  const { flows, problems: flowProblems } = loadFlows()
  const operations = allOperations()
  const coverage = computeCoverage(requirements, flows, loadUncovered(), new Set(operations.keys()))
  return { requirements, specProblems, flowCount: flows.length, flowProblems, operationCount: operations.size, coverage }
}

export function formatReport (r: ContractReport): string {
  const byLevel = (level: string): number => r.requirements.filter((q) => q.level === level).length
  const c = r.coverage
  const lines = [
    `requirements: ${r.requirements.length} (${byLevel('must')} MUST, ${byLevel('should')} SHOULD, ${byLevel('may')} MAY)`,
    `flows: ${r.flowCount}`,
    `operations: ${r.operationCount}`,
    `MUST coverage: ${c.mustCovered}/${c.mustTotal} = ${c.percent}% proved by a flow step; ${c.mustTotal - c.mustCovered - c.missing.length} listed as uncovered`
  ]
  const problems = [
    ...r.specProblems.map((p) => `spec ${p.chapter}:${p.line}: ${p.message}`),
    ...r.flowProblems.map((p) => `flow ${p.file}: ${p.message}`),
    ...c.missing.map((id) => `uncovered and not listed: ${id}`),
    ...c.staleUncovered.map((id) => `listed as uncovered but proved by a flow: ${id}`),
    ...c.unknownUncovered.map((id) => `uncovered.md names an unknown requirement: ${id}`),
    ...c.unknownReferences.map((u) => `flow ${u.flow} step ${u.step} names an unknown requirement: ${u.id}`),
    ...c.unknownOperations.map((u) => `flow ${u.flow} step ${u.step} names an unknown operation: ${u.operationId}`)
  ]
  return [...lines, ...problems.map((p) => `problem: ${p}`)].join('\n')
}

export function problemCount (r: ContractReport): number {
  const c = r.coverage
  return r.specProblems.length + r.flowProblems.length + c.missing.length + c.staleUncovered.length +
    c.unknownUncovered.length + c.unknownReferences.length + c.unknownOperations.length
}
