// The whole run as JSON, for other tools.
import type { RunResult } from '../runner/results.ts'
import { countByStatus, messagesValidated } from '../runner/results.ts'

export function toJson (run: RunResult): string {
  return JSON.stringify({ ...run, summary: { ...countByStatus(run), messagesValidated: messagesValidated(run) } }, null, 2) + '\n'
}
