// What a run produces: one check per flow outcome, with its requirements and the traffic of
// the flow it belongs to.
import type { ProcessOutput } from '../target/output-log.ts'
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
  /**
   * Not judged: an earlier failure of the flow (`blockedBy`) made it fail — a step that could not
   * be performed, a lease the target lost, a sign-on that failed. Neither a pass nor a failure of
   * its own requirements; the earlier failure fails the run.
   */
  | 'blocked'

export type TraceEntry = {
  at: number
  kind: 'client' | 'admin' | 'peer' | 'runner' | 'stanza'
  /** The operation, or for a stanza the schema it is meant to be (`<iq get>` when none applies). */
  operationId: string
  from: string
  to: string
  /** The HTTP method and the path with its query, when the entry is an HTTP exchange. */
  method?: string
  path?: string
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
  /** For a blocked check: the earlier failure of the flow it follows from (`step 3 [GRIDIM-…] outcome`). */
  blockedBy?: string
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
  /** What the target's processes the runner started (regions under test) wrote during the flow. */
  processOutput?: ProcessOutput[]
}

export type RunResult = {
  target: string
  /** How the flows' users reached their regions (`--client-interface`); http when a report predates the client stream. */
  clientInterface?: 'http' | 'stream'
  startedAt: string
  durationMs: number
  flows: FlowResult[]
  /**
   * The command-line options that chose the target (`--target FILE`, `--xmpp`, `--expectations
   * FILE`, ...), so that a report's re-run line replays a flow against the same target.
   */
  rerun?: string[]
}

/** Who plays the role a check judges; a check made before attribution existed counts as the target's. */
export function playedBy (c: Check): PlayedBy {
  return c.playedBy ?? 'target'
}

/** Counts of every check, or only of those whose role `by` plays. */
export function countByStatus (run: RunResult, by?: PlayedBy): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, impossible: 0, skip: 0, xfail: 0, xpass: 0, blocked: 0 }
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
