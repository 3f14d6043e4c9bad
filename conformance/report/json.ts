// The whole run as JSON, for other tools.
import type { RunResult } from '../runner/results.ts'
import { countByStatus, messagesValidated } from '../runner/results.ts'
import { roleTable } from './role-table.ts'

export function toJson (run: RunResult): string {
  // `summary` counts the target's checks only; `byPlayer` and `roles` show the runner's own apart.
  const byPlayer = { target: countByStatus(run, 'target'), runner: countByStatus(run, 'runner') }
  return JSON.stringify({ ...run, clientInterface: run.clientInterface ?? 'http', summary: { ...byPlayer.target, messagesValidated: messagesValidated(run) }, byPlayer, roles: roleTable(run) }, null, 2) + '\n'
}
