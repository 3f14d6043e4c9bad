// The whole run as JSON, for other tools.
import type { RunResult } from '../runner/results.ts'
import { countByStatus } from '../runner/results.ts'

export function toJson (run: RunResult): string {
  return JSON.stringify({ ...run, summary: countByStatus(run) }, null, 2) + '\n'
}
