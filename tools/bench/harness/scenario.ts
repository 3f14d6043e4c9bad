// What a scenario is: a name (for --only), a title, and a run that returns structured results.
// Smoke mode runs the same code at a tiny size so the test suite can check its structure.
import type { Table } from './table.ts'

export type ScenarioOptions = {
  /** Tiny sizes, seconds per scenario (the tap smoke test, `npm run bench -- --smoke`). */
  smoke: boolean
  /** Where child processes write --cpu-prof profiles; undefined = no profiling. */
  cpuProfDir?: string
  /** `--set name=value` overrides of a scenario's sizes (numbers, or comma-separated lists). */
  overrides: Record<string, number | number[]>
  /** Progress lines (stderr). */
  log: (line: string) => void
}

export type ScenarioResult = {
  scenario: string
  title: string
  /** 'pending' when the scenario cannot run yet (e.g. the implementation it measures is missing). */
  status: 'done' | 'pending'
  params: Record<string, unknown>
  tables: Table[]
  /** Everything measured, for the JSON file. */
  data: Record<string, unknown>
  /** Target checks: what the issue asks for, and whether this run met it. */
  targets: Array<{ target: string, met: boolean | null, detail: string }>
  notes: string[]
  durationMs?: number
}

export type Scenario = {
  name: string
  title: string
  run: (options: ScenarioOptions) => Promise<ScenarioResult>
}

/** A scenario's sizes with the overrides that name one of its fields applied. */
export function sized<T extends Record<string, unknown>> (defaults: T, overrides: Record<string, number | number[]>): T {
  const out: Record<string, unknown> = { ...defaults }
  for (const [k, v] of Object.entries(overrides)) if (k in defaults) out[k] = Array.isArray(defaults[k]) && !Array.isArray(v) ? [v] : v
  return out as T
}
