// What a run produces: one check per flow outcome, with its requirements and the traffic of
// the flow it belongs to.
import type { PlayedBy, RoleLabel } from './attribution.ts'

export type CheckStatus =
  | 'pass'
  | 'fail'
  /** The target declares it lacks what the flow needs. */
  | 'impossible'
  /** Documented in the flow but not executable (no `expect`), or skipped by a filter. */
  | 'skip'
  /** Failed, as the implementer's expectations file says it will. */
  | 'xfail'
  /** Listed as an expected failure, but passed: the expectations file is out of date. */
  | 'xpass'

export type TraceEntry = {
  at: number
  kind: 'client' | 'admin' | 'peer' | 'runner' | 'stanza'
  /** The operation, or for a stanza the schema it is meant to be (`<iq get>` when none applies). */
  operationId: string
  from: string
  to: string
  status?: number
  request?: unknown
  response?: unknown
}

export type Check = {
  flow: string
  step: string
  outcome: string
  requirements: string[]
  status: CheckStatus
  message?: string
  /** The role whose behaviour the check judges (runner/attribution.ts), e.g. `region`. */
  role?: RoleLabel
  /** Whether the target plays that role, or the runner itself: the runner's checks are not the target's passes. */
  playedBy?: PlayedBy
  /** The flow's name for the actor judged (US, R1, GW), when one is. */
  actor?: string
  /** Requirements of a target's check that bind a role the runner plays: not the target's to pass. */
  runnerRequirements?: string[]
}

export type FlowResult = {
  flow: string
  title: string
  file: string
  checks: Check[]
  trace: TraceEntry[]
  durationMs: number
  /** HTTP messages of the implementation checked against the OpenAPI documents (GRIDIM-ROLE-9). */
  messagesValidated?: number
}

export type RunResult = {
  target: string
  startedAt: string
  durationMs: number
  flows: FlowResult[]
}

/** Who plays the role a check judges; a check made before attribution existed counts as the target's. */
export function playedBy (c: Check): PlayedBy {
  return c.playedBy ?? 'target'
}

/** Counts of every check, or only of those whose role `by` plays. */
export function countByStatus (run: RunResult, by?: PlayedBy): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, impossible: 0, skip: 0, xfail: 0, xpass: 0 }
  for (const f of run.flows) for (const c of f.checks) if (by === undefined || playedBy(c) === by) counts[c.status]++
  return counts
}

export function messagesValidated (run: RunResult): number {
  return run.flows.reduce((n, f) => n + (f.messagesValidated ?? 0), 0)
}

/** A run passes when nothing failed unexpectedly and no expected failure passed. */
export function runPassed (run: RunResult): boolean {
  const c = countByStatus(run)
  return c.fail === 0 && c.xpass === 0
}
