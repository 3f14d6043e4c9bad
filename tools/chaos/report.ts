// The chaos run as tables: the counts (sent, read, duplicated, lost, errors), the timeline of
// kills and restarts, and the presence check.
import type { Table } from '../bench/harness/table.ts'
import type { InstancesChaosResult } from './instances-scenario.ts'
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

/** The instances run: the tables above, then group messages, sign-offs and the instance's kill. */
export function instancesChaosTables (result: InstancesChaosResult): Table[] {
  const [counts, timeline, presence] = chaosTables(result)
  counts!.title = `Instant messages, ${result.params.userServers} user-server instances, one killed (${result.params.pairs} pairs, ${result.params.ratePerSecond} msgs/s, lease ${result.params.leaseSeconds} s)`
  const g = result.group
  const group: Table = {
    title: `Group messages (${result.params.groupRatePerSecond} msgs/s into one session of ${result.params.pairs * 2} members)`,
    columns: ['sent', 'member reads due', 'read', 'lost', 'messages with a loss', 'duplicated', 'read beyond due', 'errors', 'retries', 'misdelivered', 'pending'],
    rows: [[g.sent, g.expected, g.read, g.lost, g.lostMessages, g.duplicated, g.readBeyondExpected, g.errors, g.retries, g.misdelivered, g.pending]],
    notes: [
      'member reads due: (member, message) for each member in the session from before the send until 2 s after its answer (for a message the killed instance may',
      '  have held, until 2 s after its outbox rows lapse and are sent again, GRIDIM-GRP-31), its session alive then;',
      `read: of those, read (each messageId once per member); duplicated: raw repeats hidden by messageId${Object.keys(g.errorCodes).length ? `; errors: ${Object.entries(g.errorCodes).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}.`,
      ...(result.rejoinRefusals.length ? [`rejoins refused: ${result.rejoinRefusals.map((r) => `${r.code} at ${(r.atMs / 1000).toFixed(1)} s`).join(', ')}`] : [])
    ]
  }
  const s = result.signOffs
  const told = s.offlineAfterMs.filter((ms): ms is number => ms !== null)
  const signOffs: Table = {
    title: `Sign-offs and sign-ons (instance killed at ${(result.instanceKilledAtMs / 1000).toFixed(1)} s, back at ${(result.instanceRestartedAtMs / 1000).toFixed(1)} s)`,
    columns: ['sign-offs', 'during the kill', 'sign-ons', 'churners left signed off', 'friends told offline', 'slowest (s)', 'limit (s)', 'still shown online', 'ok'],
    rows: [[result.churn.signOffs, result.churn.signOffsDuringKill, result.churn.signOns, s.offlineAfterMs.length, told.length,
      told.length ? Math.round(Math.max(...told) / 100) / 10 : null, s.limitMs / 1000, s.shownOnline, s.ok]]
  }
  return [counts!, group, signOffs, timeline!, presence!]
}
