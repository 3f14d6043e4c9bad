// The chaos run as tables: the counts (sent, read, duplicated, lost, errors), the timeline of
// kills and restarts, and the presence check.
import type { Table } from '../bench/harness/table.ts'
import type { ChaosResult } from './scenario.ts'

export function chaosTables (result: ChaosResult): Table[] {
  const c = result.counts
  const p = result.params
  const counts: Table = {
    title: `Messages under kill -9 (${p.pairs} pairs, ${p.ratePerSecond} msgs/s, lease ${p.leaseSeconds} s)`,
    columns: ['sent', 'read', 'duplicated', 'lost', 'errors', 'delivered', 'stored', 'accepted', 'retries', 'read w/o outcome', 'misdelivered', 'pending'],
    rows: [[c.sent, c.read, c.duplicated, c.lost, c.errors, c.outcomes.delivered, c.outcomes.stored, c.outcomes.accepted, c.retries, c.readWithoutOutcome, c.misdelivered, c.pending]],
    notes: [
      'sent: answered with an outcome (delivered/stored/accepted); read: of those, read by their recipient (each messageId once);',
      'duplicated: raw repeats a client hides by messageId (GRIDIM-CLI-22); lost: sent and never read;',
      `errors: no outcome before the ${p.sendDeadlineSeconds} s deadline or a refusal${Object.keys(c.errorCodes).length ? ` (${Object.entries(c.errorCodes).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}; retries: repeats with the same messageId.`
    ]
  }
  const timeline: Table = {
    title: 'Timeline',
    columns: ['at (s)', 'messages begun', 'event'],
    rows: result.timeline.map((e) => [Math.round(e.atMs / 100) / 10, e.begun, e.event])
  }
  const known = result.presence.offlineAfterMs.filter((ms): ms is number => ms !== null)
  const presence: Table = {
    title: 'No ghosts: senders told their recipient is offline after R2 was killed',
    columns: ['pairs', 'told offline', 'slowest (s)', 'limit (s)', 'still shown online', 'ok'],
    rows: [[result.presence.offlineAfterMs.length, known.length,
      known.length ? Math.round(Math.max(...known) / 100) / 10 : null, result.presence.limitMs / 1000, result.presence.shownOnline, result.presence.ok]]
  }
  return [counts, timeline, presence]
}
