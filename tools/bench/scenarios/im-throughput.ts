// Scenario 1 — 1:1 IM throughput and latency between users on different regions, each region
// its own process, real signed HTTP (GRIDIM-IM-1: no central relay), beside Prosody's
// c2s-to-c2s delivery of the same messages and a bare Node HTTP keep-alive echo (the ceiling
// of the stack). Each system: the maximum rate (best closed-loop window), then p50/p99 latency
// open-loop at half of it.
import { join } from 'node:path'
import { startProcessGrid } from '../../../reference/e2e/process-grid.ts'
import { startProsody } from '../../xmpp-servers/prosody.ts'
import { mapLimit } from '../harness/concurrency.ts'
import { measureLink, type Link, type RateSearch } from '../harness/load.ts'
import { forkChild, processCpuMs, REPO_ROOT, withCpuProfiles } from '../harness/processes.ts'
import { sized, type Scenario, type ScenarioOptions, type ScenarioResult } from '../harness/scenario.ts'
import { round } from '../harness/stats.ts'
import type { Table } from '../harness/table.ts'
import { openEchoLink } from '../support/echo-link.ts'
import { openGridLink, type GridClient } from '../support/grid-link.ts'
import { openXmppLink } from '../support/xmpp-link.ts'

type Sizes = { systems: number[], pairs: number, bytes: number, windows: number[], durationMs: number, warmupMs: number, openDurationMs: number }

/** systems: 1 echo, 2 Prosody, 3 grid (--set systems=3 measures the grid alone). */
const FULL: Sizes = { systems: [1, 2, 3], pairs: 32, bytes: 128, windows: [1, 4, 16], durationMs: 8000, warmupMs: 2000, openDurationMs: 10_000 }
const SMOKE: Sizes = { systems: [1, 2, 3], pairs: 2, bytes: 128, windows: [1, 2], durationMs: 600, warmupMs: 200, openDurationMs: 600 }

type SystemRun = { system: string, search: RateSearch, errors: number, extra?: Record<string, unknown> }


const cpuOf = (pids: number[]) => () => pids.reduce((sum, pid) => sum + processCpuMs(pid), 0)

async function runEcho (sizes: Sizes, options: ScenarioOptions): Promise<SystemRun> {
  const echo = await forkChild(join(REPO_ROOT, 'tools/bench/support/echo-server-child.ts'), { name: 'echo', cpuProfDir: options.cpuProfDir })
  const link = openEchoLink(echo.ready.url, sizes.pairs, sizes.bytes)
  try {
    const search = await measureLink(link, { ...sizes, cpu: cpuOf([echo.pid]) })
    return { system: 'Node http echo (ceiling)', search, errors: link.errors }
  } finally {
    link.close()
    await echo.stop()
  }
}

async function runProsody (sizes: Sizes): Promise<SystemRun> {
  const accounts = Array.from({ length: sizes.pairs }, (_, i) => ({
    from: { username: `bench-a-${i}`, password: `pa${i}` }, to: { username: `bench-b-${i}`, password: `pb${i}` }
  }))
  const prosody = await startProsody({
    bulkUsers: accounts.flatMap(({ from, to }) => [from, to]).map((a) => ({ user: a.username, password: a.password })),
    extraConfig: ['log = { { levels = { min = "warn" }, to = "console" } }']
  })
  let link: (Link & { close: () => void }) | undefined
  try {
    link = await openXmppLink({ port: prosody.c2sPort, domain: prosody.domain }, accounts, sizes.bytes)
    const search = await measureLink(link, { ...sizes, cpu: cpuOf([prosody.pid!]) })
    return { system: 'Prosody c2s → c2s', search, errors: link.errors }
  } finally {
    link?.close()
    await prosody.stop()
  }
}

async function runGrid (sizes: Sizes, options: ScenarioOptions): Promise<SystemRun> {
  const grid = await withCpuProfiles(options.cpuProfDir, () => startProcessGrid({ regions: 2 }))
  let link: Awaited<ReturnType<typeof openGridLink>> | undefined
  try {
    const users = await mapLimit(Array.from({ length: sizes.pairs * 2 }, (_, i) => i), 8, (i) => grid.createUser(`${i % 2 === 0 ? 'Send' : 'Recv'}${i >> 1}x`))
    const pairs: Array<{ from: GridClient, to: GridClient }> = []
    await mapLimit(Array.from({ length: sizes.pairs }, (_, i) => i), 4, async (i) => {
      const [a, b] = [users[2 * i]!, users[2 * i + 1]!]
      await grid.admin('adminCreateFriendship', { body: { userIds: [a.userId, b.userId], rights: { ab: 1, ba: 1 } } })
      const [sa, sb] = await Promise.all([grid.login(a, 0), grid.login(b, 1)])
      pairs[i] = {
        from: { regionUrl: grid.regions[0]!.ready.url, userId: sa.userId, sessionSecret: sa.login.sessionSecret },
        to: { regionUrl: grid.regions[1]!.ready.url, userId: sb.userId, sessionSecret: sb.login.sessionSecret }
      }
    })
    link = await openGridLink(pairs, sizes.bytes)
    const pids = [grid.userServer.child.pid!, ...grid.regions.map((r) => r.child.pid!)]
    const search = await measureLink(link, { ...sizes, cpu: cpuOf(pids) })
    return { system: 'GridIM region → region', search, errors: link.errors, extra: { outcomes: link.outcomes } }
  } finally {
    link?.close()
    await grid.stop()
  }
}

function tables (runs: SystemRun[], sizes: Sizes): Table[] {
  return [
    {
      title: `1:1 IM, maximum rate (closed loop, ${sizes.pairs} pairs, ${sizes.bytes}-byte bodies, best of windows ${sizes.windows.join('/')})`,
      columns: ['system', 'in flight', 'msgs/s', 'p50 ms', 'p99 ms', 'server CPU µs/msg'],
      rows: runs.map((r) => [r.system, r.search.best.inFlight, round(r.search.best.rate), round(r.search.best.latencyMs.p50), round(r.search.best.latencyMs.p99), round(r.search.best.serverCpuUsPerMessage ?? Number.NaN)])
    },
    {
      title: '1:1 IM, latency at half the maximum rate (open loop, from the scheduled send time)',
      columns: ['system', 'rate msgs/s', 'sent', 'delivered', 'p50 ms', 'p99 ms', 'max ms'],
      rows: runs.map((r) => [r.system, round(r.search.halfRate.rate), r.search.halfRate.sent, r.search.halfRate.delivered, round(r.search.halfRate.latencyMs.p50), round(r.search.halfRate.latencyMs.p99), round(r.search.halfRate.latencyMs.max)])
    }
  ]
}

export const imThroughput: Scenario = {
  name: 'im',
  title: '1. 1:1 IM throughput and latency',
  async run (options): Promise<ScenarioResult> {
    const sizes = sized(options.smoke ? SMOKE : FULL, options.overrides)
    const runs: SystemRun[] = []
    const systems: Array<[number, string, () => Promise<SystemRun>]> = [
      [1, 'Node http echo', () => runEcho(sizes, options)],
      [2, 'Prosody c2s', () => runProsody(sizes)],
      [3, 'GridIM, user server + 2 region processes', () => runGrid(sizes, options)]
    ]
    for (const [n, label, run] of systems) {
      if (!sizes.systems.includes(n)) continue
      options.log(`im: ${label}`)
      runs.push(await run())
    }
    const prosody = runs.find((r) => r.system.startsWith('Prosody'))
    const grid = runs.find((r) => r.system.startsWith('GridIM'))
    return {
      scenario: 'im',
      title: this.title,
      status: 'done',
      params: { ...sizes },
      tables: tables(runs, sizes),
      data: { runs },
      targets: grid === undefined ? [] : [
        ...(prosody === undefined ? [] : [{ target: '1:1 throughput ≥ Prosody in the same run', met: grid.search.best.rate >= prosody.search.best.rate, detail: `${round(grid.search.best.rate)} vs ${round(prosody.search.best.rate)} msgs/s` }]),
        { target: 'p99 < 10 ms at half the maximum rate', met: grid.search.halfRate.latencyMs.p99 < 10, detail: `p99 ${round(grid.search.halfRate.latencyMs.p99)} ms at ${round(grid.search.halfRate.rate)} msgs/s` }
      ],
      notes: [
        'Grid path: client → region 1 (clientSendInstantMessage) → region 2 (deliverInstantMessage, RFC 9421 signed) → client event stream (SSE). Each region is a `gridim region` process; the user server is a third process (locateUser once per recipient, then cached).',
        'Prosody path: raw TCP c2s client → Prosody → recipient c2s stream (bare JID, after initial presence); internal_plain auth, log level warn.',
        'Echo: one keep-alive HTTP request per message to a bare node:http server in its own process.',
        'All clients live in the benchmark process, on the same 2 cores as the servers.'
      ]
    }
  }
}
