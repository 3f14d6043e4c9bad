// What a scenario is: a name (for --only), a title, and a run that returns structured results.
// Smoke mode runs the same code at a tiny size so the test suite can check its structure.
import type { Table } from './table.ts'

export type ScenarioOptions = {
  /** Tiny sizes, seconds per scenario (the tap smoke test, `npm run bench -- --smoke`). */
  smoke: boolean
  /** Where child processes write --cpu-prof profiles; undefined = no profiling. */
  cpuProfDir?: string
  /** `--set name=value` overrides of a scenario's sizes (numbers or words, or comma-separated lists). */
  overrides: Overrides
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

export type Override = number | string | Array<number | string>
export type Overrides = Record<string, Override>

/** `--set NAME=VALUE[,VALUE...]`: numbers stay numbers, words (e.g. `paths=http,stream`) strings. */
export function parseOverride (pair: string): [string, Override] {
  const at = pair.indexOf('=')
  const key = at < 0 ? '' : pair.slice(0, at)
  const values = at < 0 ? [] : pair.slice(at + 1).split(',').map((v) => v.trim())
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key) || values.length === 0 || values.some((v) => !/^(-?\d+(\.\d+)?|[A-Za-z][\w.-]*)$/.test(v))) {
    throw new Error(`--set ${pair}: expected NAME=VALUE[,VALUE...], each value a number or a word`)
  }
  const parsed = values.map((v) => (/^[A-Za-z]/.test(v) ? v : Number(v)))
  return [key, parsed.length === 1 ? parsed[0]! : parsed]
}

/**
 * A scenario's sizes with the overrides that name one of its fields applied. An override of the
 * wrong kind (a word for a number, a list for a single value) throws: a run with a size it did
 * not ask for would be misread.
 */
export function sized<T extends Record<string, unknown>> (defaults: T, overrides: Overrides): T {
  const out: Record<string, unknown> = { ...defaults }
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in defaults)) continue
    const d = defaults[k]
    const values = Array.isArray(v) ? v : [v]
    const kind = typeof (Array.isArray(d) ? d[0] : d)
    if (!Array.isArray(d) && Array.isArray(v)) throw new Error(`--set ${k}: takes one value, got ${v.join(',')}`)
    const wrong = values.find((x) => typeof x !== kind)
    if (wrong !== undefined) throw new Error(`--set ${k}: expected ${kind === 'number' ? 'numbers' : 'words'}, got ${wrong}`)
    out[k] = Array.isArray(d) ? values : v
  }
  return out as T
}
