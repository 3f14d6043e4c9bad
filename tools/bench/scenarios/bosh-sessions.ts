// Scenario 3 — the gateway under N concurrent BOSH sessions (twice the 5,000 the seed says a
// central server struggles with), beside Prosody's mod_bosh at the same load: memory per
// session (RSS growth of the server process from idle to N sessions held) and message latency
// between sessions while all N are held (open loop at a fixed rate).
import { join } from 'node:path'
import { startProsody } from '../../xmpp-servers/prosody.ts'
import { openLoop, type OpenLoopResult } from '../harness/load.ts'
import { forkChild, processMemory, REPO_ROOT, type IpcChild } from '../harness/processes.ts'
import { sized, type Scenario, type ScenarioOptions, type ScenarioResult } from '../harness/scenario.ts'
import { round } from '../harness/stats.ts'
import { openBoshSessions, type BoshAccount } from '../support/bosh-load.ts'
import { FIXTURE_PASSWORD } from '../support/fixtures.ts'
import type { GatewayIpc } from '../support/gateway-child.ts'
import { keepAliveAgent } from '../support/http-client.ts'
import { startLightGrid } from '../support/light-grid.ts'

const FULL = { systems: [1, 2], sessions: 10_000, pairs: 100, rate: 100, durationMs: 20_000, concurrency: 64, wait: 60, settleMs: 5000, bytes: 128 }
const SMOKE = { systems: [1, 2], sessions: 24, pairs: 4, rate: 20, durationMs: 1000, concurrency: 8, wait: 60, settleMs: 300, bytes: 128 }
type Sizes = typeof FULL

const MiB = 2 ** 20
const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

type SystemRun = {
  system: string
  sessions: number
  up: number
  failedLogins: number
  endedDuringRun: number
  loginSeconds: number
  rssBefore: number
  rssAfter: number
  rssMiddle: number
  perSessionKiB: number
  /** RSS growth from N/2 to N sessions, per session. */
  marginalKiB: number
  heapPerSessionKiB?: number
  heapMarginalKiB?: number
  latency: OpenLoopResult
  extra?: Record<string, unknown>
}

async function measure (system: string, sizes: Sizes, options: ScenarioOptions, target: { url: URL, domain: string, pids: () => number[], accounts: BoshAccount[], heap?: () => Promise<{ heapUsed: number, boshSessions: number | null }> }): Promise<SystemRun> {
  const rss = (): number => target.pids().reduce((sum, pid) => sum + processMemory(pid).rss, 0)
  // Heap first: it runs a full GC in the server, then RSS is read.
  const sample = async () => { const heap = await target.heap?.(); return { heap, rss: rss() } }
  const before = await sample()
  const agent = keepAliveAgent()
  try {
    // In two halves, so the memory per session is also measured as the slope between N/2 and N
    // sessions, free of what the first sessions cost once (code compiled, pools grown).
    const half = Math.floor(sizes.sessions / 2)
    const open = async (accounts: BoshAccount[]) => await openBoshSessions({ agent, url: target.url, domain: target.domain, accounts, wait: sizes.wait, concurrency: sizes.concurrency, log: options.log })
    options.log(`bosh: ${system}: ${sizes.sessions} sessions, ${sizes.concurrency} logins at a time`)
    const first = await open(target.accounts.slice(0, half))
    await pause(sizes.settleMs)
    const middle = await sample()
    const second = await open(target.accounts.slice(half, sizes.sessions))
    await pause(sizes.settleMs)
    const after = await sample()
    const clients = [...first.clients, ...second.clients]
    const up = clients.filter((c) => !c.closed && c.jid !== '').length
    options.log(`bosh: ${system}: ${up} sessions held; messages at ${sizes.rate}/s`)
    const { nextSeq: _, ...latency } = await openLoop(first.link(sizes.pairs, sizes.bytes), sizes.rate, sizes.durationMs, 1)
    const endedDuringRun = first.ended() + second.ended()
    first.terminateAll()
    second.terminateAll()
    const secondHalf = Math.max(1, sizes.sessions - half)
    return {
      system,
      sessions: sizes.sessions,
      up,
      failedLogins: first.failedLogins + second.failedLogins,
      endedDuringRun,
      loginSeconds: (first.loginMs + second.loginMs) / 1000,
      rssBefore: before.rss,
      rssAfter: after.rss,
      perSessionKiB: (after.rss - before.rss) / 1024 / Math.max(1, up),
      marginalKiB: (after.rss - middle.rss) / 1024 / secondHalf,
      ...(before.heap && middle.heap && after.heap
        ? {
            heapPerSessionKiB: (after.heap.heapUsed - before.heap.heapUsed) / 1024 / Math.max(1, up),
            heapMarginalKiB: (after.heap.heapUsed - middle.heap.heapUsed) / 1024 / secondHalf,
            extra: { boshSessions: after.heap.boshSessions, heapBefore: before.heap.heapUsed, heapMiddle: middle.heap.heapUsed, heapAfter: after.heap.heapUsed }
          }
        : {}),
      rssMiddle: middle.rss,
      latency
    }
  } finally {
    agent.destroy()
  }
}

async function runProsody (sizes: Sizes, options: ScenarioOptions): Promise<SystemRun> {
  const accounts = Array.from({ length: sizes.sessions }, (_, i) => ({ username: `bench-u-${i}`, password: `p${i}` }))
  const prosody = await startProsody({
    bulkUsers: accounts.map((a) => ({ user: a.username, password: a.password })),
    extraConfig: ['log = { { levels = { min = "warn" }, to = "console" } }', `bosh_max_wait = ${sizes.wait}`, 'bosh_max_inactivity = 60']
  })
  try {
    return await measure('Prosody mod_bosh', sizes, options, {
      url: new URL(`http://127.0.0.1:${prosody.httpPort}/http-bind`),
      domain: prosody.domain,
      pids: () => [prosody.pid!],
      accounts: accounts.map((a) => ({ ...a, jid: `${a.username}@${prosody.domain}` }))
    })
  } finally {
    await prosody.stop()
  }
}

async function runGateway (sizes: Sizes, options: ScenarioOptions): Promise<SystemRun> {
  const domain = 'grid.localhost'
  const grid = await startLightGrid({ users: sizes.sessions, friends: 0, friendGraph: 'pairs', regions: 0, label: 'B', gateway: true, cpuProfDir: options.cpuProfDir })
  let gateway: IpcChild<GatewayIpc> | undefined
  try {
    gateway = await forkChild<GatewayIpc>(join(REPO_ROOT, 'tools/bench/support/gateway-child.ts'), {
      name: 'gateway',
      cpuProfDir: options.cpuProfDir,
      args: ['--user-server', grid.userServerUrl, '--user-server-key', grid.userServer.ready.publicKey, '--region-id', grid.fixture.gateway!.regionId,
        '--key-file', grid.fixture.gateway!.keyFile, '--domain', domain, '--max-wait', String(sizes.wait), '--inactivity', '60']
    })
    const gw = gateway
    const usBefore = processMemory(grid.userServer.pid).rss
    const run = await measure('GridIM gateway /http-bind', sizes, options, {
      url: new URL('/http-bind', gw.ready.url),
      domain,
      pids: () => [gw.pid],
      heap: async () => { const s = await gw.call('stats'); return { heapUsed: s.memory.heapUsed, boshSessions: s.boshSessions } },
      accounts: grid.fixture.users.map((u) => ({ username: `${u.firstName}.${u.lastName}`.toLowerCase(), password: FIXTURE_PASSWORD, jid: `${u.firstName}.${u.lastName}@${domain}`.toLowerCase() }))
    })
    const usAfter = processMemory(grid.userServer.pid).rss
    run.extra = { ...run.extra, userServerRssBefore: usBefore, userServerRssAfter: usAfter, userServerPerSessionKiB: (usAfter - usBefore) / 1024 / Math.max(1, run.up) }
    return run
  } finally {
    await gateway?.stop()
    await grid.stop()
  }
}

export const boshSessions: Scenario = {
  name: 'bosh',
  title: '3. Gateway under concurrent BOSH sessions',
  async run (options): Promise<ScenarioResult> {
    const sizes = sized(options.smoke ? SMOKE : FULL, options.overrides)
    const runs: SystemRun[] = []
    if (sizes.systems.includes(1)) runs.push(await runProsody(sizes, options))
    if (sizes.systems.includes(2)) runs.push(await runGateway(sizes, options))
    const prosody = runs.find((r) => r.system.startsWith('Prosody'))
    const gateway = runs.find((r) => r.system.startsWith('GridIM'))
    return {
      scenario: 'bosh',
      title: this.title,
      status: 'done',
      params: { ...sizes },
      tables: [
        {
          title: `${sizes.sessions.toLocaleString('en-US')} concurrent BOSH sessions (hold=1, wait=${sizes.wait} s), each logged in with SASL PLAIN, bound, available`,
          columns: ['server', 'sessions held', 'failed', 'ended early', 'ramp s', 'RSS idle MiB', 'RSS at N/2', 'RSS at N', 'KiB/session (RSS 0→N)', 'KiB/session (RSS N/2→N)', 'KiB/session (heap N/2→N)'],
          rows: runs.map((r) => [r.system, r.up, r.failedLogins, r.endedDuringRun, round(r.loginSeconds), round(r.rssBefore / MiB), round(r.rssMiddle / MiB), round(r.rssAfter / MiB), round(r.perSessionKiB), round(r.marginalKiB), r.heapMarginalKiB === undefined ? null : round(r.heapMarginalKiB)])
        },
        {
          title: `Message latency with all sessions held: ${sizes.pairs} sender→recipient pairs, ${sizes.rate} msgs/s for ${sizes.durationMs / 1000} s (open loop)`,
          columns: ['server', 'sent', 'delivered', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
          rows: runs.map((r) => [r.system, r.latency.sent, r.latency.delivered, round(r.latency.latencyMs.p50), round(r.latency.latencyMs.p90), round(r.latency.latencyMs.p99), round(r.latency.latencyMs.max)])
        }
      ],
      data: { runs },
      targets: prosody && gateway
        ? [{ target: `${sizes.sessions} BOSH sessions held with less memory per session than Prosody`, met: gateway.up === sizes.sessions && gateway.perSessionKiB < prosody.perSessionKiB && gateway.marginalKiB < prosody.marginalKiB, detail: `${round(gateway.perSessionKiB)} vs ${round(prosody.perSessionKiB)} KiB per session (RSS 0→N), ${round(gateway.marginalKiB)} vs ${round(prosody.marginalKiB)} (N/2→N); gateway held ${gateway.up} of ${sizes.sessions}` }]
        : [],
      notes: [
        'Load generator: one process, one keep-alive HTTP agent, a BOSH client per session (XEP-0124/0206: create, SASL PLAIN, restart, bind, initial presence, then one request always held). ulimit -n is 20,000 per process: 10,000 held requests need 10,000 sockets on each side, so each side stays under it; Prosody and the gateway run one after the other.',
        'Memory per session = RSS growth of the server process from idle to all N sessions held (after a settle pause), and from N/2 to N (the marginal cost, free of one-time warm-up). For the gateway also the JS heap after a full GC. The grid keeps each sign-on at the user server too (its own process): see data.runs[].extra.userServerPerSessionKiB.',
        'Grid users are friends in pairs (the messaging pairs), so each gateway login also carries a presence notice; Prosody accounts have empty rosters. Gateway logins verify the password with scrypt at the user server (the ramp time is that).'
      ]
    }
  }
}
