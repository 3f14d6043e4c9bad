// Replays the chosen flows against a target, one after another, and applies the implementer's
// expectations file (known failures) to the results.
import { loadFlows, type LoadedFlow } from '../../tools/spec/flows.ts'
import type { Target } from '../target/target.ts'
import type { Check, FlowResult, RunResult } from './results.ts'
import { runFlow } from './run-flow.ts'

/** An expected failure: a whole flow, one step of it, or every check of a requirement. */
export type ExpectedFailure = { flow?: string, step?: string, requirement?: string, reason?: string }

export type SuiteOptions = {
  flows?: string[]
  expectedFailures?: ExpectedFailure[]
  eventTimeoutMs?: number
  onFlowStart?: (flow: LoadedFlow) => void
  onCheck?: (check: Check) => void
  onFlowEnd?: (result: FlowResult) => void
}

function expected (check: Check, list: ExpectedFailure[]): boolean {
  return list.some((x) =>
    (x.flow === undefined || x.flow === check.flow) &&
    (x.step === undefined || x.step === check.step) &&
    (x.requirement === undefined || check.requirements.includes(x.requirement)) &&
    (x.flow !== undefined || x.requirement !== undefined))
}

export function applyExpectations (checks: Check[], list: ExpectedFailure[]): Check[] {
  return checks.map((c) => {
    if (!expected(c, list)) return c
    if (c.status === 'fail') return { ...c, status: 'xfail' }
    if (c.status === 'pass') return { ...c, status: 'xpass', message: 'listed as an expected failure, but it passes: update the expectations file' }
    return c
  })
}

export function selectFlows (all: LoadedFlow[], names?: string[]): LoadedFlow[] {
  if (!names || names.length === 0) return all
  const unknown = names.filter((n) => !all.some((f) => f.flow.id === n || f.file === n || f.file === `${n}.yaml`))
  if (unknown.length > 0) throw new Error(`no such flow: ${unknown.join(', ')} (see --list)`)
  return all.filter((f) => names.some((n) => f.flow.id === n || f.file === n || f.file === `${n}.yaml`))
}

export async function runSuite (target: Target, options: SuiteOptions = {}): Promise<RunResult> {
  const started = Date.now()
  const { flows, problems } = loadFlows()
  if (problems.length > 0) throw new Error(`the flow files do not validate: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`)
  const results: FlowResult[] = []
  for (const loaded of selectFlows(flows, options.flows)) {
    options.onFlowStart?.(loaded)
    const raw = await runFlow(loaded, target, { eventTimeoutMs: options.eventTimeoutMs })
    const result = { ...raw, checks: applyExpectations(raw.checks, options.expectedFailures ?? []) }
    for (const c of result.checks) options.onCheck?.(c)
    options.onFlowEnd?.(result)
    results.push(result)
  }
  return { target: target.name, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, flows: results }
}
