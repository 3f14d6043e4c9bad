// Scenario 7 — the user server past one machine (issue 16): the same loads against one instance
// on SQLite and 1, 2, 3 instances on one PostgreSQL database behind HAProxy, in one run:
// (a) a sign-on storm, (b) closed-loop locateUser, (c) closed-loop renewRegionLease. Each load
// reports throughput and latency, and the CPU it cost per operation in every server process —
// the user-server instances, PostgreSQL (the postmaster and all its children, backends included)
// and HAProxy — read from /proc. On a shared two-core machine the throughput is capped by the
// cores, not by the design; the CPU per operation is what projects to more cores and machines.
// Then (d) the same PostgreSQL at 100,000 online users: the store queries a sign-on, a
// locateUser and a sweep make, timed one by one, and one instance's locateUser load and idle
// (sweeper) cost over that database.
import { randomBytes, randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import pg from 'pg'
import { startRole, type RoleProcess } from '../../../reference/e2e/processes.ts'
import { exportPublicKey } from '../../../reference/lib/signatures/index.ts'
import { openPostgresStore } from '../../../reference/store/postgres-store.ts'
import type { Store } from '../../../reference/store/index.ts'
import { startUserServerCluster, type UserServerCluster } from '../../cluster/user-server-cluster.ts'
import { startTemporaryPostgres, type TemporaryPostgres } from '../../postgres/temporary-server.ts'
import { mapLimit, waitUntil } from '../harness/concurrency.ts'
import { sized, type Scenario, type ScenarioResult } from '../harness/scenario.ts'
import { round, summarize, type Summary } from '../harness/stats.ts'
import type { Table } from '../harness/table.ts'
import { buildFixture, FIXTURE_PASSWORD, random, shuffle, writeFixture, type Fixture } from '../support/fixtures.ts'
import { LightRegion, newRecorder, type Recorder } from '../support/light-region.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const FULL = { users: 1000, friends: 50, regions: 100, concurrency: 16, loadConcurrency: 32, loadSeconds: 10, instances: [1, 2, 3], bigUsers: 100_000, bigFriends: 50 }
const SMOKE = { users: 40, friends: 6, regions: 4, concurrency: 8, loadConcurrency: 4, loadSeconds: 1, instances: [1, 2], bigUsers: 2_000, bigFriends: 6 }

/** CPU so far (ms, user + system) of the server processes of one configuration. */
export type CpuSample = { userServer: number, postgres: number, haproxy: number }

type Stat = { ppid: number, ownMs: number, childrenMs: number }

/** /proc/PID/stat: parent, own CPU (utime + stime) and reaped children's (cutime + cstime), ms. */
function readStat (pid: number): Stat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ms = (i: number): number => (Number(f[i]) * 1000) / 100 // USER_HZ = 100
    return { ppid: Number(f[1]), ownMs: ms(11) + ms(12), childrenMs: ms(13) + ms(14) }
  } catch {
    return null
  }
}

/**
 * PostgreSQL's CPU so far: the postmaster's own, plus what its exited children used (the
 * postmaster reaps every backend, so their time lands in its cutime/cstime), plus the live
 * children's (backends, checkpointer, WAL writer, autovacuum). A backend that exits between two
 * samples moves from the third term to the second, so the difference of two samples counts it
 * once.
 */
export function postgresCpuMs (postmaster: number): { ms: number, children: number[] } {
  const root = readStat(postmaster)
  if (root === null) return { ms: 0, children: [] }
  let ms = root.ownMs + root.childrenMs
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const s = readStat(Number(entry))
    if (s !== null && s.ppid === postmaster) { ms += s.ownMs; children.push(Number(entry)) }
  }
  return { ms, children }
}

/** Client backends of a database: the postmaster's children whose title names it. */
function backendsOf (postmaster: number, database: string): number {
  return postgresCpuMs(postmaster).children.filter((pid) => {
    try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `) } catch { return false }
  }).length
}

type Deployment = {
  label: string
  url: string
  userServerPids: () => number[]
  postmaster?: number
  haproxyPid?: number
  database?: string
  stop: () => Promise<void>
}

function cpuOf (d: Deployment): CpuSample {
  return {
    userServer: d.userServerPids().reduce((n, pid) => n + (readStat(pid)?.ownMs ?? 0), 0),
    postgres: d.postmaster === undefined ? 0 : postgresCpuMs(d.postmaster).ms,
    haproxy: d.haproxyPid === undefined ? 0 : (readStat(d.haproxyPid)?.ownMs ?? 0)
  }
}

const minus = (a: CpuSample, b: CpuSample): CpuSample => ({ userServer: a.userServer - b.userServer, postgres: a.postgres - b.postgres, haproxy: a.haproxy - b.haproxy })

type PhaseResult = { ops: number, errors: number, firstError?: string, seconds: number, rate: number, latencyMs: Summary, cpuMs: CpuSample, cpuUsPerOp: CpuSample & { total: number }, /** Less what the processes burn idle (sweepers, health checks, timers) over the same time. */ netUsPerOp: CpuSample & { total: number } }

function perOp (cpu: CpuSample, ops: number, unit: number): CpuSample & { total: number } {
  const n = Math.max(1, ops)
  const r = { userServer: (cpu.userServer * unit) / n, postgres: (cpu.postgres * unit) / n, haproxy: (cpu.haproxy * unit) / n }
  return { ...r, total: r.userServer + r.postgres + r.haproxy }
}

/**
 * Closed loop: `concurrency` workers each repeat `op` for a warm-up, then for `seconds`;
 * operations started in the measured window count, and the CPU is sampled around it (the last
 * operations drain before the second sample).
 */
async function closedLoop (d: Deployment, op: (rnd: () => number) => Promise<boolean>, concurrency: number, seconds: number, warmupMs: number, seed: number, idle: CpuSample): Promise<PhaseResult> {
  let measuring = false
  let stopping = false
  let ops = 0
  let errors = 0
  let firstError: string | undefined
  const latencies: number[] = []
  let cpu0: CpuSample = cpuOf(d)
  let t0 = performance.now()
  const worker = async (w: number): Promise<void> => {
    const rnd = random(seed * 1000 + w)
    while (!stopping) {
      const counted = measuring
      const started = performance.now()
      let ok = false
      try { ok = await op(rnd) } catch (error) { ok = false; if (errors === 0 && counted) firstError = (error as Error).message }
      if (!counted) continue
      if (ok) { ops++; latencies.push(performance.now() - started) } else errors++
    }
  }
  const workers = Array.from({ length: concurrency }, (_, w) => worker(w))
  await new Promise((resolve) => setTimeout(resolve, warmupMs))
  cpu0 = cpuOf(d)
  t0 = performance.now()
  measuring = true
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  stopping = true
  const elapsed = (performance.now() - t0) / 1000
  await Promise.all(workers)
  const cpu = minus(cpuOf(d), cpu0)
  const wall = (performance.now() - t0) / 1000
  const net = minus(cpu, { userServer: idle.userServer * wall, postgres: idle.postgres * wall, haproxy: idle.haproxy * wall })
  return { ops, errors, ...(firstError === undefined ? {} : { firstError }), seconds: elapsed, rate: ops / elapsed, latencyMs: summarize(latencies), cpuMs: cpu, cpuUsPerOp: perOp(cpu, ops, 1000), netUsPerOp: perOp(net, ops, 1000) }
}

/** CPU ms per second the servers use with no load (sweepers every second, HAProxy's health checks, timers). */
async function idleCpu (d: Deployment, seconds: number): Promise<CpuSample> {
  const c0 = cpuOf(d)
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  const c = minus(cpuOf(d), c0)
  return { userServer: c.userServer / seconds, postgres: c.postgres / seconds, haproxy: c.haproxy / seconds }
}

async function startRegions (fixture: Fixture, url: string): Promise<{ regions: LightRegion[], recorder: Recorder }> {
  const recorder = newRecorder()
  const regions = fixture.regions.map((r, i) => new LightRegion(i, r.regionId, r.name, r.privateKey, recorder))
  await mapLimit(regions, 16, async (r) => { await r.start(); await r.renewLease(url) })
  return { regions, recorder }
}

type StormResult = { signedOn: number, failures: number, seconds: number, rate: number, latencyMs: Summary, notices: number, noticesExpected: number, covered: number, bothWays: number, duplicates: number, cpuMs: CpuSample, cpuMsPerSignOn: CpuSample & { total: number } }

async function storm (d: Deployment, fixture: Fixture, regions: LightRegion[], recorder: Recorder, concurrency: number, log: (line: string) => void): Promise<StormResult> {
  const { users, friendships } = fixture
  const order = shuffle(users.map((_, i) => i), random(7))
  const latencies: number[] = []
  let failures = 0
  const cpu0 = cpuOf(d)
  const started = performance.now()
  await mapLimit(order, concurrency, async (i) => {
    const user = users[i]!
    const region = regions[user.region]!
    region.hosted.add(user.userId)
    const t = performance.now()
    try {
      await region.client.call(d.url, 'signOn', { body: { firstName: user.firstName, lastName: user.lastName, password: FIXTURE_PASSWORD, regionId: region.regionId } })
      latencies.push(performance.now() - t)
    } catch (error) {
      failures++
      region.hosted.delete(user.userId)
      if (failures <= 3) log(`scale: ${d.label}: sign-on failed: ${(error as Error).message}`)
    }
  })
  const seconds = (performance.now() - started) / 1000
  // Each friendship yields one presence notice (whoever signs on second tells the first); the
  // sign-on's cost includes forwarding them, so the CPU is sampled once they have all arrived.
  // Two friends signing on at once at two instances may each see the other online and both
  // tell (one notice each way): not a duplicate. A duplicate is the same notice (to, about)
  // twice. The wait is for every friendship to be told (a count of notices would stop early
  // when some went both ways).
  const seen = new Set<string>()
  let duplicates = 0
  let scanned = 0
  // A friendship can be told only when both signed on.
  const hosted = new Set(regions.flatMap((r) => [...r.hosted]))
  const both = (): Array<[number, number]> => friendships.filter(([a, b]) => hosted.has(users[a]!.userId) && hosted.has(users[b]!.userId))
  const expected = both().length
  const told = (): number => {
    for (; scanned < recorder.notices.length; scanned++) {
      for (const x of recorder.notices[scanned]!.notices) {
        if (x.type !== 'presence') continue
        const key = `${x.toUserId}>${x.userId}`
        if (seen.has(key)) duplicates++
        seen.add(key)
      }
    }
    return both().filter(([a, b]) => seen.has(`${users[a]!.userId}>${users[b]!.userId}`) || seen.has(`${users[b]!.userId}>${users[a]!.userId}`)).length
  }
  await waitUntil(() => told() >= expected, 60_000, 'every friendship told', 50).catch((error: Error) => log(`scale: ${d.label}: ${error.message} (${told()} of ${expected})`))
  const count = (): number => recorder.notices.reduce((n, r) => n + r.notices.filter((x) => x.type === 'presence').length, 0)
  const cpu = minus(cpuOf(d), cpu0)
  const signedOn = users.length - failures
  const covered = told()
  const bothWays = friendships.filter(([a, b]) => seen.has(`${users[a]!.userId}>${users[b]!.userId}`) && seen.has(`${users[b]!.userId}>${users[a]!.userId}`)).length
  return { signedOn, failures, seconds, rate: signedOn / seconds, latencyMs: summarize(latencies), notices: count(), noticesExpected: expected, covered, bothWays, duplicates, cpuMs: cpu, cpuMsPerSignOn: perOp(cpu, signedOn, 1) }
}

/** Each user's friends (indexes), for locateUser between friends. */
function friendsOf (fixture: Fixture): number[][] {
  const out: number[][] = fixture.users.map(() => [])
  for (const [a, b] of fixture.friendships) { out[a]!.push(b); out[b]!.push(a) }
  return out
}

/** locateUser of a random friend, asked by the region hosting a random user, for that user (GRIDIM-SEC-8). */
function locateOp (d: Deployment, fixture: Fixture, regions: LightRegion[], friends: number[][]) {
  return async (rnd: () => number): Promise<boolean> => {
    const i = Math.floor(rnd() * fixture.users.length)
    const list = friends[i]!
    const j = list[Math.floor(rnd() * list.length)]!
    const asker = fixture.users[i]!
    const answer = await regions[asker.region]!.client.call(d.url, 'locateUser', { params: { userId: fixture.users[j]!.userId }, query: { for: asker.userId } })
    return answer.body.online === true
  }
}

function leaseOp (d: Deployment, regions: LightRegion[]) {
  return async (rnd: () => number): Promise<boolean> => {
    await regions[Math.floor(rnd() * regions.length)]!.renewLease(d.url)
    return true
  }
}

async function adminQuery (pgServer: TemporaryPostgres, sql: string, database = 'postgres'): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${pgServer.port}/${database}` })
  await client.connect()
  try { return await client.query(sql) } finally { await client.end() }
}

async function startSqlite (fixture: Fixture, dir: string, adminToken: string): Promise<Deployment> {
  const role: RoleProcess = await startRole(['user-server', '--store', fixture.dbPath, '--admin-token', adminToken, '--data', dir, '--key-file', fixture.keyFile])
  return { label: 'SQLite × 1', url: role.ready.url as string, userServerPids: () => [role.child.pid!], stop: role.stop }
}

async function startPostgres (pgServer: TemporaryPostgres, database: string, instances: number, dir: string, adminToken: string): Promise<Deployment> {
  const url = `postgres://postgres@127.0.0.1:${pgServer.port}/${database}`
  const cluster: UserServerCluster = await startUserServerCluster({ instances, store: url, adminToken, dataDir: dir })
  return {
    label: `PostgreSQL × ${instances}`,
    url: cluster.url,
    userServerPids: () => cluster.instances.map((i) => i.process.child.pid!),
    postmaster: pgServer.pid,
    haproxyPid: cluster.balancer.pid,
    database,
    stop: cluster.stop
  }
}

type ConfigResult = { label: string, storm: StormResult, idle: CpuSample, locate: PhaseResult, lease: PhaseResult, backends: number | null }

/** Milliseconds per call of fn, median of `times` (after one untimed call). */
async function timeCall (fn: (i: number) => Promise<unknown>, times: number): Promise<{ medianMs: number, p99Ms: number }> {
  await fn(-1)
  const samples: number[] = []
  for (let i = 0; i < times; i++) {
    const t = performance.now()
    await fn(i)
    samples.push(performance.now() - t)
  }
  const s = summarize(samples)
  return { medianMs: s.p50, p99Ms: s.p99 }
}

/**
 * A database with `users` users, every one online (sessions and placements spread over the
 * fixture's regions, with their real keys), `friends` friends each, and a replay window's worth
 * of nonces — written with SQL (generate_series), foreign-key triggers off for the load.
 */
async function buildBigDatabase (pgServer: TemporaryPostgres, fixture: Fixture, users: number, friends: number): Promise<{ url: string, buildMs: number }> {
  const started = Date.now()
  const url = await pgServer.createDatabase('big')
  const store = await openPostgresStore(url) // migrates
  try {
    await store.transaction(async (tx) => {
      await tx.updateSettings({ leaseSeconds: 3600 })
      for (const r of fixture.regions) await tx.provisionRegion({ regionId: r.regionId, name: r.name, kind: 'region', publicKey: exportPublicKey(r.publicKey) })
    })
  } finally {
    await store.close()
  }
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const now = Date.now()
    const regionIds = fixture.regions.map((r) => r.regionId)
    await client.query('SET session_replication_role = replica') // no FK triggers during the bulk load
    await client.query(`INSERT INTO users SELECT '00000000-0000-4000-8000-' || lpad(i::text, 12, '0'), 'Big' || i, 'User', 'h', 's', $1 FROM generate_series(1, $2::int) i`, [now, users])
    await client.query(`INSERT INTO sessions SELECT 's' || i, '00000000-0000-4000-8000-' || lpad(i::text, 12, '0'), 'x', ($1::text[])[1 + i % $3::int], $2 FROM generate_series(1, $4::int) i`, [regionIds, now, regionIds.length, users])
    await client.query(`INSERT INTO session_placements SELECT 's' || i, ($1::text[])[1 + i % $3::int], '00000000-0000-4000-8000-' || lpad(i::text, 12, '0'), $2 FROM generate_series(1, $4::int) i`, [regionIds, now, regionIds.length, users])
    // A ring lattice: i befriends i+1..i+friends/2, both directions stored (one row per direction).
    await client.query(`INSERT INTO friend_rights SELECT '00000000-0000-4000-8000-' || lpad(i::text, 12, '0'), '00000000-0000-4000-8000-' || lpad((1 + (i + d - 1) % $1::int)::text, 12, '0'), 1 FROM generate_series(1, $1::int) i, generate_series(1, $2::int) d`, [users, friends / 2])
    await client.query(`INSERT INTO friend_rights SELECT '00000000-0000-4000-8000-' || lpad((1 + (i + d - 1) % $1::int)::text, 12, '0'), '00000000-0000-4000-8000-' || lpad(i::text, 12, '0'), 1 FROM generate_series(1, $1::int) i, generate_series(1, $2::int) d`, [users, friends / 2])
    // Nonces: one per signed request, kept for the replay window (60 s): 100,000 is a minute at ~1,700 requests/s.
    await client.query(`INSERT INTO recent_facts SELECT 'nonce', 'n' || i, 'x', $1::bigint + (i % 60000) FROM generate_series(1, $2::int) i`, [now, users])
    await client.query('VACUUM ANALYZE')
  } finally {
    await client.end()
  }
  return { url, buildMs: Date.now() - started }
}

/** User i of the big database (a UUID, as the contract's paths require). */
const bigUserId = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`

type BigResult = { users: number, friends: number, buildMs: number, queries: Array<{ what: string, medianMs: number, p99Ms: number, rows?: number }>, idle: { seconds: number, cpuMsPerSecond: CpuSample }, locate: PhaseResult, backends: number | null }

async function atScale (pgServer: TemporaryPostgres, fixture: Fixture, sizes: typeof FULL, dir: string, adminToken: string, log: (line: string) => void): Promise<BigResult> {
  log(`scale: a database with ${sizes.bigUsers.toLocaleString('en-US')} online users, ${sizes.bigFriends} friends each`)
  const { url, buildMs } = await buildBigDatabase(pgServer, fixture, sizes.bigUsers, sizes.bigFriends)
  log(`scale: built in ${Math.round(buildMs / 1000)} s`)
  const store: Store = await openPostgresStore(url, { poolSize: 1 })
  const queries: BigResult['queries'] = []
  const rnd = random(11)
  const user = (): string => bigUserId(1 + Math.floor(rnd() * sizes.bigUsers))
  const now = Date.now()
  const n = 200
  try {
    queries.push({ what: 'getSessionByUser (locateUser, requireHosted)', ...await timeCall(() => store.getSessionByUser(user()), n) })
    queries.push({ what: 'getFriendship (locateUser)', ...await timeCall(() => store.getFriendship(user(), user()), n) })
    let friendsSeen = 0
    queries.push({
      what: `listFriends + listOnlineUsers of them (a sign-on's presence fan-out, ${sizes.bigFriends} friends)`,
      ...await timeCall(async () => { const f = await store.listFriends(user()); friendsSeen = (await store.listOnlineUsers(f.map((x) => x.friendId))).length }, n),
      rows: friendsSeen
    })
    queries.push({ what: 'claimRecent (a nonce: one per signed request)', ...await timeCall(() => store.claimRecent('nonce', randomUUID(), 'x', now + 60_000, now), n) })
    queries.push({ what: 'sweep: listExpiredLeases', ...await timeCall(() => store.listExpiredLeases(Date.now()), 50) })
    queries.push({ what: 'sweep: purgePlacements (none older than 7 days)', ...await timeCall(() => store.purgePlacements(Date.now() - 7 * 24 * 3600_000), 50) })
    let purged = 0
    queries.push({ what: 'sweep: purgeRecent (a second of expired nonces each)', ...await timeCall(async (i) => { purged += await store.purgeRecent(now + 1000 * (i + 2)) }, 50), rows: purged })
    const region = fixture.regions[0]!.regionId
    const lapse = await timeCall(async (i) => { if (i === 0) await store.endSessionsAtRegion(region) }, 1)
    queries.push({ what: `lease lapse: endSessionsAtRegion (${sizes.bigUsers / fixture.regions.length} sessions)`, medianMs: lapse.p99Ms, p99Ms: lapse.p99Ms })
  } finally {
    await store.close()
  }
  // One instance over that database: its idle cost (the sweeper, every second) and a locateUser load.
  const d = await startPostgres(pgServer, 'big', 1, dir, adminToken)
  try {
    const idleSeconds = Math.max(2, sizes.loadSeconds / 2)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const idle = await idleCpu(d, idleSeconds)
    const { regions } = await startRegions(fixture, d.url)
    try {
      // Users 1..N sit at region (i mod R) (see buildBigDatabase); a caller asks for itself's friend i+1.
      const R = fixture.regions.length
      const locate = await closedLoop(d, async (r) => {
        let i = 0
        // Not at region 0, whose sessions lapsed above (neither the caller nor the one it asks for).
        while (i % R === 0 || (i + 1) % R === 0) i = 1 + Math.floor(r() * (sizes.bigUsers - 1))
        const answer = await regions[i % R]!.client.call(d.url, 'locateUser', { params: { userId: bigUserId(i + 1) }, query: { for: bigUserId(i) } })
        return answer.body.online === true
      }, sizes.loadConcurrency, sizes.loadSeconds, 3000, 99, idle)
      const backends = backendsOf(pgServer.pid, 'big')
      return { users: sizes.bigUsers, friends: sizes.bigFriends, buildMs, queries, idle: { seconds: idleSeconds, cpuMsPerSecond: idle }, locate, backends }
    } finally {
      for (const r of regions) await r.stop()
    }
  } finally {
    await d.stop()
  }
}

export const userServerScale: Scenario = {
  name: 'scale',
  title: '7. The user server on SQLite and on PostgreSQL × 1, 2, 3 (issue 16)',
  async run (options): Promise<ScenarioResult> {
    const sizes = sized(options.smoke ? SMOKE : FULL, options.overrides)
    const log = options.log
    const dir = mkdtempSync(join(tmpdir(), 'gridim-bench-scale-'))
    const adminToken = randomBytes(16).toString('hex')
    log(`scale: fixture of ${sizes.users} users, ${sizes.friends} friends each, ${sizes.regions} regions`)
    const fixtureStarted = Date.now()
    const fixture = await buildFixture({ dir, users: sizes.users, friends: sizes.friends, regions: sizes.regions, label: 'P', settings: { leaseSeconds: 3600 } })
    const sqliteFixtureMs = Date.now() - fixtureStarted
    const pgServer = await startTemporaryPostgres({ durable: true })
    const configs: ConfigResult[] = []
    let pgFixtureMs = 0
    let big: BigResult | undefined
    try {
      // The same fixture through the Store interface into a template database; each
      // configuration starts from a copy of it (CREATE DATABASE … TEMPLATE), nobody online.
      const pgStarted = Date.now()
      const templateUrl = await pgServer.createDatabase('fixture')
      const template = await openPostgresStore(templateUrl)
      try { await writeFixture(template, fixture, { settings: { leaseSeconds: 3600 } }) } finally { await template.close() }
      pgFixtureMs = Date.now() - pgStarted
      log(`scale: fixture into PostgreSQL through the Store in ${Math.round(pgFixtureMs / 1000)} s (SQLite: ${Math.round(sqliteFixtureMs / 1000)} s)`)
      const friends = friendsOf(fixture)
      const plans: Array<() => Promise<Deployment>> = [
        () => startSqlite(fixture, dir, adminToken),
        ...sizes.instances.map((n) => async () => {
          await adminQuery(pgServer, `CREATE DATABASE scale_${n} TEMPLATE fixture`)
          return await startPostgres(pgServer, `scale_${n}`, n, dir, adminToken)
        })
      ]
      for (const [k, plan] of plans.entries()) {
        const d = await plan()
        try {
          const { regions, recorder } = await startRegions(fixture, d.url)
          try {
            log(`scale: ${d.label}: storm of ${sizes.users} sign-ons`)
            const s = await storm(d, fixture, regions, recorder, sizes.concurrency, log)
            log(`scale: ${d.label}: ${round(s.rate)} sign-ons/s; idle; locateUser closed loop`)
            const idle = await idleCpu(d, options.smoke ? 0.5 : 4)
            const warmupMs = options.smoke ? 200 : 3000
            const locate = await closedLoop(d, locateOp(d, fixture, regions, friends), sizes.loadConcurrency, sizes.loadSeconds, warmupMs, 10 + k, idle)
            log(`scale: ${d.label}: ${round(locate.rate)} locateUser/s; renewRegionLease closed loop`)
            const lease = await closedLoop(d, leaseOp(d, regions), sizes.loadConcurrency, sizes.loadSeconds, warmupMs, 20 + k, idle)
            log(`scale: ${d.label}: ${round(lease.rate)} renewRegionLease/s`)
            const backends = d.postmaster === undefined ? null : backendsOf(d.postmaster, d.database!)
            configs.push({ label: d.label, storm: s, idle, locate, lease, backends })
          } finally {
            for (const r of regions) await r.stop()
          }
        } finally {
          await d.stop()
        }
      }
      big = await atScale(pgServer, fixture, sizes, dir, adminToken, log)
    } finally {
      await pgServer.stop()
      rmSync(dir, { recursive: true, force: true })
    }

    const loadNote = 'measured on a shared 2-core machine with other work running: throughput and latency are capped by the cores and skewed by the load; CPU per operation is the robust figure'
    const tables: Table[] = [
      {
        title: `Sign-on storm: ${sizes.users.toLocaleString('en-US')} users, ${sizes.friends} friends each, ${sizes.regions} light regions, ${sizes.concurrency} in flight — CPU ms per sign-on`,
        columns: ['configuration', 'user server ms', 'PostgreSQL ms', 'HAProxy ms', 'total ms', 'sign-ons/s*', 'p50 ms*', 'p99 ms*', 'failed', 'presence notices'],
        rows: configs.map((c) => [c.label, round(c.storm.cpuMsPerSignOn.userServer), round(c.storm.cpuMsPerSignOn.postgres), round(c.storm.cpuMsPerSignOn.haproxy), round(c.storm.cpuMsPerSignOn.total), round(c.storm.rate), round(c.storm.latencyMs.p50), round(c.storm.latencyMs.p99), c.storm.failures, `${c.storm.notices} / ${c.storm.noticesExpected}`]),
        notes: [`* ${loadNote}`]
      },
      ...(['locate', 'lease'] as const).map((phase): Table => ({
        title: `${phase === 'locate' ? 'locateUser (a friend, for a hosted user)' : 'renewRegionLease'}: closed loop, ${sizes.loadConcurrency} in flight, ${sizes.loadSeconds} s — CPU µs per operation`,
        columns: ['configuration', 'user server µs', 'PostgreSQL µs', 'HAProxy µs', 'total µs', 'total less idle µs', 'ops/s*', 'p50 ms*', 'p99 ms*', 'errors'],
        rows: configs.map((c) => { const p = c[phase]; return [c.label, round(p.cpuUsPerOp.userServer), round(p.cpuUsPerOp.postgres), round(p.cpuUsPerOp.haproxy), round(p.cpuUsPerOp.total), round(p.netUsPerOp.total), round(p.rate), round(p.latencyMs.p50), round(p.latencyMs.p99), p.errors] }),
        notes: [`* ${loadNote}`, '"less idle": without what the same processes burn with no load over the same time (next table)']
      })),
      {
        title: 'Idle cost (CPU ms per second with everyone online and no requests: sweepers every second per instance, HAProxy health checks) and PostgreSQL client connections (backends of the database at the end of the run; each instance pools up to 10)',
        columns: ['configuration', 'user servers ms/s', 'PostgreSQL ms/s', 'HAProxy ms/s', 'backends'],
        rows: configs.map((c) => [c.label, round(c.idle.userServer), round(c.idle.postgres), round(c.idle.haproxy), c.backends])
      }
    ]
    if (big !== undefined) {
      tables.push({
        title: `PostgreSQL at ${big.users.toLocaleString('en-US')} online users (${big.friends} friends each, ${big.users.toLocaleString('en-US')} nonces): store calls, one at a time, one connection (built in ${Math.round(big.buildMs / 1000)} s)`,
        columns: ['call', 'median ms', 'p99 ms', 'rows'],
        rows: big.queries.map((q) => [q.what, round(q.medianMs), round(q.p99Ms), q.rows ?? null])
      }, {
        title: `One instance over that database: idle (sweeper every second) and locateUser, ${sizes.loadConcurrency} in flight`,
        columns: ['', 'user server', 'PostgreSQL', 'HAProxy', 'ops/s*', 'p50 ms*', 'p99 ms*', 'errors'],
        rows: [
          ['idle, CPU ms per second', round(big.idle.cpuMsPerSecond.userServer), round(big.idle.cpuMsPerSecond.postgres), round(big.idle.cpuMsPerSecond.haproxy), null, null, null, null],
          ['locateUser, CPU µs per op', round(big.locate.cpuUsPerOp.userServer), round(big.locate.cpuUsPerOp.postgres), round(big.locate.cpuUsPerOp.haproxy), round(big.locate.rate), round(big.locate.latencyMs.p50), round(big.locate.latencyMs.p99), big.locate.errors]
        ]
      })
    }
    const storms = configs.map((c) => c.storm)
    return {
      scenario: 'scale',
      title: this.title,
      status: 'done',
      params: { ...sizes },
      tables,
      data: { sqliteFixtureMs, pgFixtureMs, configs, big },
      targets: [{
        target: 'every configuration signs everyone on and forwards each presence notice (one per friendship)',
        met: storms.every((s) => s.failures === 0 && s.covered === s.noticesExpected && s.duplicates === 0),
        detail: storms.map((s, i) => `${configs[i]!.label}: ${s.signedOn} signed on, ${s.covered}/${s.noticesExpected} friendships told, ${s.bothWays} both ways (friends signing on at once), ${s.duplicates} duplicates`).join('; ')
      }],
      notes: [
        'All configurations run the real `gridim user-server` (PostgreSQL ones behind HAProxy, tools/cluster); PostgreSQL is a temporary durable server (fsync and synchronous commit on) on this machine; the light regions and the load generator run in the benchmark process, on the same cores.',
        'CPU is read from /proc/<pid>/stat (utime + stime): the user-server processes; PostgreSQL = the postmaster with its reaped children (cutime + cstime) plus its live children (backends, WAL writer, checkpointer, autovacuum); HAProxy. The load generator is not counted.',
        `Fixture: SQLite ${Math.round(sqliteFixtureMs / 1000)} s; PostgreSQL through the Store interface in one transaction ${Math.round(pgFixtureMs / 1000)} s (${fixture.friendships.length} friendships), then copied per configuration with CREATE DATABASE … TEMPLATE.`
      ]
    }
  }
}
