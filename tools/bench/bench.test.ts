// Smoke run of every benchmark scenario at a tiny size (seconds each): the scenarios run end to
// end against real processes (gridim roles, Prosody, the gateway) and produce sane, structured
// results — counts match and the protocol's request formulas hold. No timing is asserted:
// timings at this size on a shared machine mean nothing.
import t, { type Test } from 'tap'
import type { ScenarioResult } from './harness/scenario.ts'
import { boshSessions } from './scenarios/bosh-sessions.ts'
import { conformanceTime } from './scenarios/conformance-time.ts'
import { costs } from './scenarios/costs.ts'
import { groupFanout } from './scenarios/group-fanout.ts'
import { imThroughput } from './scenarios/im-throughput.ts'
import { SCENARIOS } from './scenarios/index.ts'
import { signOnStorm } from './scenarios/sign-on-storm.ts'
import { userServerScale } from './scenarios/user-server-scale.ts'
import { skipPostgres } from '../../reference/store/test-support.ts'
import { skipXmppServers } from '../xmpp-servers/index.ts'

// The whole file runs five scenarios, each with real processes; the .taprc default is too short.
t.setTimeout(900_000)

const smoke = async (scenario: typeof imThroughput): Promise<ScenarioResult> =>
  await scenario.run({ smoke: true, overrides: {}, log: () => {} })

const skip = skipXmppServers()

function checkShape (t: Test, result: ScenarioResult, name: string): void {
  t.equal(result.scenario, name)
  t.equal(result.status, 'done')
  t.ok(result.tables.length > 0, 'it prints at least one table')
  for (const table of result.tables) {
    for (const row of table.rows) t.equal(row.length, table.columns.length, `every row of "${table.title}" has a cell per column`)
  }
  t.doesNotThrow(() => JSON.stringify(result), 'the result is JSON')
}

t.test('every scenario has a distinct name for --only', async (t) => {
  const names = SCENARIOS.map((s) => s.name)
  t.same([...new Set(names)], names)
  t.same(names, ['im', 'storm', 'bosh', 'group', 'conformance', 'costs', 'scale'])
})

t.test('1:1 IM: grid, Prosody and the echo ceiling deliver every message they are sent', { skip, timeout: 300_000 }, async (t) => {
  const result = await smoke(imThroughput)
  checkShape(t, result, 'im')
  const runs = result.data.runs as Array<{ system: string, errors: number, search: any, path?: string, regionPairs?: number, regionProcesses?: number, extra?: { outcomes: Record<string, number> } }>
  const { regionPairs, paths } = result.params as { regionPairs: number[], paths: string[] }
  const stream = result.data.stream as { available?: boolean, reason?: string }
  // The stream rows run where the region serves the client stream; otherwise they are skipped, with the reason.
  const measuredPaths = paths.filter((p) => p !== 'stream' || stream.available !== false)
  t.same(runs.map((r) => r.system.split(' ')[0]), ['Node', 'Prosody', ...regionPairs.flatMap(() => measuredPaths.map(() => 'GridIM'))])
  t.same(runs.slice(2).map((r) => [r.regionPairs, r.path]), regionPairs.flatMap((n) => measuredPaths.map((p) => [n, p])), 'one grid row per region-pair count and client path')
  for (const run of runs.slice(2)) t.equal(run.regionProcesses, 2 * run.regionPairs!, `${run.system}: two region processes per region pair`)
  if (stream.available === false) {
    t.match(stream.reason, /the region has no client stream/)
    t.ok(result.notes.some((n) => n.includes('rows skipped') && n.includes(stream.reason!)), 'the skipped stream rows are noted with the reason')
  }
  for (const run of runs) {
    t.equal(run.errors, 0, `${run.system}: no failed sends`)
    t.ok(run.search.best.messages > 0 && run.search.best.rate > 0, `${run.system}: the closed loop delivered messages`)
    t.equal(run.search.sweep.length, (result.params.windows as number[]).length, `${run.system}: one closed-loop run per window`)
    t.equal(run.search.halfRate.delivered, run.search.halfRate.sent, `${run.system}: the open loop lost nothing`)
    t.equal(run.search.halfRate.latencyMs.count, run.search.halfRate.sent)
  }
  for (const grid of runs.slice(2)) t.same(Object.keys(grid.extra!.outcomes), ['delivered'], `${grid.system}: every message was delivered live (GRIDIM-IM-1), none stored`)
  // Four targets per client path (1.0× and 1.5× Prosody's rate, CPU per message, p99 at half rate); n/a where a path was not measured.
  t.equal(result.targets.length, 8)
  for (const target of result.targets) {
    const measured = measuredPaths.some((p) => target.target.endsWith(p === 'http' ? 'HTTP + SSE' : 'client stream (WebSocket)'))
    t.equal(target.met === null, !measured, `${target.target}: judged exactly when its path was measured`)
  }
})

t.test('sign-on storm: requests per sign-on ≤ distinct destination regions + 1', { timeout: 300_000 }, async (t) => {
  const result = await smoke(signOnStorm)
  checkShape(t, result, 'storm')
  const data = result.data as any
  t.equal(data.failures, 0)
  t.equal(data.signedOn, result.params.users)
  t.equal(data.requests.received.signOn, result.params.users, 'the user server received one signOn per user')
  t.equal(data.requests.sent.deliverNotices, data.notices.recorded, 'every deliverNotices it sent arrived at a light region')
  t.equal(data.requests.formulaHolds, result.params.users, 'for every sign-on: its notices reached each distinct destination region in one deliverNotices (GRIDIM-SIGN-14)')
  t.ok(data.requests.sentNotices <= data.requests.destinationsTotal, 'no more deliverNotices than sign-on destinations (fewer when batched)')
  t.equal(data.requests.otherRequests, 0, 'a storm of sign-ons causes presence notices only')
  t.equal(data.notices.total, data.notices.friendships, 'one presence notice per friendship: whoever signs on second tells the first')
  t.equal(data.requests.unsigned, 0, 'every notice request came signed by the user server')
  t.ok(data.userServer.after.memory.heapUsed > 0)
  t.equal(result.targets[0]!.met, true)
})

t.test('BOSH: the gateway and Prosody hold every session and deliver every message', { skip, timeout: 300_000 }, async (t) => {
  const result = await smoke(boshSessions)
  checkShape(t, result, 'bosh')
  const runs = result.data.runs as any[]
  t.same(runs.map((r) => r.system.split(' ')[0]), ['Prosody', 'GridIM'])
  for (const run of runs) {
    t.equal(run.up, result.params.sessions, `${run.system}: every session logged in and held`)
    t.equal(run.failedLogins, 0)
    t.equal(run.endedDuringRun, 0, `${run.system}: no session ended early`)
    t.equal(run.latency.delivered, run.latency.sent, `${run.system}: every message arrived`)
    t.ok(run.rssAfter > 0)
  }
  t.equal(runs[1].extra.boshSessions, result.params.sessions, 'the gateway counts one BOSH session per client')
})

t.test('group fan-out: each message at each destination region once, in at most one request per region', { timeout: 300_000 }, async (t) => {
  const result = await smoke(groupFanout)
  checkShape(t, result, 'group')
  const data = result.data as any
  const { members, regions, messages, windows } = result.params as { members: number, regions: number, messages: number, windows: number[] }
  t.equal(data.hostingRegions, regions)
  t.equal(data.phases.length, 1 + windows.length, 'one at a time, then one closed-loop phase per window')
  t.equal(data.single.sent, messages)
  t.equal(data.single.memberDeliveries, messages * members, 'every member of every message was reached')
  t.equal(data.groupMessagesArrived, data.sent * regions, 'each message arrived at each destination region (GRIDIM-GRP-13)')
  t.same(data.anomalies, { duplicates: 0, strays: 0, destinationsNotRegions: 0 }, 'and only once')
  t.ok(data.requests <= data.sent * regions, 'at most one request per message and destination region (fewer when batched)')
  // Requests the user server says it sent are the requests the light regions received.
  const sentRequests = Object.entries(data.userServer.sent as Record<string, number>).filter(([op]) => op !== 'deliverNotices').reduce((n, [, c]) => n + c, 0)
  t.equal(sentRequests, data.requests)
  for (const phase of data.phases.slice(1)) t.ok(phase.messages > 0, `${phase.label}: messages done in the measured window`)
  t.equal(data.unsigned, 0)
  t.equal(result.targets[0]!.met, null, 'the 200 msgs/s target is judged only at 100 regions')
  t.equal(result.targets[1]!.met, true)
})

t.test('conformance: a timed run of one flow passes', { timeout: 300_000 }, async (t) => {
  const result = await smoke(conformanceTime)
  checkShape(t, result, 'conformance')
  const data = result.data as any
  t.equal(data.exitCode, 0)
  t.equal(data.flows.length, 1)
  t.equal(data.summary.fail ?? 0, 0)
  t.ok(data.wallMs >= data.suiteMs, 'the process takes at least as long as its flows')
})

t.test('costs: every piece of a message is measured', { timeout: 120_000 }, async (t) => {
  const result = await smoke(costs)
  checkShape(t, result, 'costs')
  const rows = result.data.rows as Array<{ what: string, us: number }>
  t.equal(rows.length, 9)
  for (const row of rows) t.ok(row.us > 0 && Number.isFinite(row.us), `${row.what}: a positive cost`)
  // Every call of every client was answered `delivered` (measureClients throws otherwise).
  const clients = result.data.clients as Array<{ client: string, cpuUs: number, callsPerSecond: number }>
  t.same(clients.map((c) => c.client.split(' ')[0]), ['node:http,', 'PeerClient.call', 'openapi-fetch', 'openapi-fetch'], 'the typed clients beside the lean untyped one')
  for (const c of clients) t.ok(c.cpuUs > 0 && c.callsPerSecond > 0, `${c.client}: a positive cost and rate`)
})

t.test('scale: SQLite and PostgreSQL × n sign everyone on, answer every locateUser and lease, and the CPU of each process is counted', { skip: skipPostgres && 'GRIDIM_SKIP_POSTGRES=1', timeout: 300_000 }, async (t) => {
  const result = await smoke(userServerScale)
  checkShape(t, result, 'scale')
  const { users, instances, bigUsers } = result.params as { users: number, instances: number[], bigUsers: number }
  const configs = result.data.configs as any[]
  t.same(configs.map((c) => c.label), ['SQLite × 1', ...instances.map((n) => `PostgreSQL × ${n}`)])
  for (const c of configs) {
    t.equal(c.storm.signedOn, users, `${c.label}: everyone signed on`)
    t.equal(c.storm.covered, c.storm.noticesExpected, `${c.label}: every friendship's presence was told`)
    t.equal(c.storm.duplicates, 0, `${c.label}: no presence notice twice`)
    t.ok(c.storm.cpuMs.userServer > 0, `${c.label}: the user server's CPU was counted`)
    for (const phase of ['locate', 'lease']) {
      t.equal(c[phase].errors, 0, `${c.label} ${phase}: no errors`)
      t.ok(c[phase].ops > 0 && c[phase].cpuUsPerOp.userServer > 0, `${c.label} ${phase}: operations done, CPU counted`)
    }
    const onPostgres = c.label.startsWith('PostgreSQL')
    t.equal(c.storm.cpuMs.postgres > 0, onPostgres, `${c.label}: PostgreSQL CPU counted exactly when it is used`)
    t.equal(c.backends !== null && c.backends > 0, onPostgres, `${c.label}: backends counted on PostgreSQL`)
  }
  const big = result.data.big as any
  t.equal(big.users, bigUsers)
  t.equal(big.locate.errors, 0, 'locateUser over the big database: every answer found the user online')
  t.ok(big.queries.every((q: any) => q.medianMs > 0), 'every store call timed')
  t.equal(result.targets[0]!.met, true)
})
