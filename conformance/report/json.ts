// The whole run as JSON, for other tools.
import type { RunResult } from '../runner/results.ts'
import { countByStatus, messagesValidated } from '../runner/results.ts'
import { roleTable } from './role-table.ts'

export function toJson (run: RunResult): string {
  // `summary` counts every check; `byPlayer` and `roles` keep the runner's own roles apart from the target's.
  const byPlayer = { target: countByStatus(run, 'target'), runner: countByStatus(run, 'runner') }
  return JSON.stringify({ ...run, summary: { ...countByStatus(run), messagesValidated: messagesValidated(run) }, byPlayer, roles: roleTable(run) }, null, 2) + '\n'
}
