// Scenario 2 — sign-on storm: N users with F friends each over R light simulated regions sign
// on (each at its region, signOn signed by that region). Measured: sign-ons per second, the
// user server's requests per sign-on in both directions — GRIDIM-SIGN-14 says one
// deliverNotices per destination region, so requests = distinct destination regions + 1 (the
// signOn itself), fewer when notices of several sign-ons for one region share a request
// (batching, issue 15) — and the user server's memory once everyone is online.
import { mapLimit, waitUntil } from '../harness/concurrency.ts'
import { processMemory, threadCpuMs } from '../harness/processes.ts'
import { sized, type Scenario, type ScenarioResult } from '../harness/scenario.ts'
import { round, summarize } from '../harness/stats.ts'
import { FIXTURE_PASSWORD, random, shuffle } from '../support/fixtures.ts'
import { startLightGrid } from '../support/light-grid.ts'

const FULL = { users: 10_000, friends: 50, regions: 100, concurrency: 32 }
const SMOKE = { users: 48, friends: 6, regions: 6, concurrency: 8 }


const MiB = 2 ** 20

/**
 * What the recorded traffic says about each sign-on: the requests that carried its presence
 * notices and the regions they went to. A request may carry several sign-ons' notices when the
 * user server batches what waits for one region (issue 15): it counts for each of them, and as
 * one `batched` request.
 */
export function requestsPerSignOn (notices: Array<{ region: number, notices: Array<{ type: string, userId?: string }> }>) {
  const bySignOn = new Map<string, { requests: number, regions: Set<number>, notices: number }>()
  let batched = 0
  let other = 0
  for (const request of notices) {
    const about = new Set(request.notices.filter((n) => n.type === 'presence').map((n) => n.userId!))
    if (request.notices.some((n) => n.type !== 'presence')) other++
    if (about.size > 1) batched++
    for (const userId of about) {
      let entry = bySignOn.get(userId)
      if (entry === undefined) bySignOn.set(userId, entry = { requests: 0, regions: new Set(), notices: 0 })
      entry.requests++
      entry.regions.add(request.region)
      entry.notices += request.notices.filter((n) => n.type === 'presence' && n.userId === userId).length
    }
  }
  return { bySignOn, batched, other }
}

export const signOnStorm: Scenario = {
  name: 'storm',
  title: '2. Sign-on storm',
  async run (options): Promise<ScenarioResult> {
    const sizes = sized(options.smoke ? SMOKE : FULL, options.overrides)
    options.log(`storm: fixture of ${sizes.users} users, ${sizes.friends} friends each, ${sizes.regions} regions`)
    const fixtureStarted = Date.now()
    const grid = await startLightGrid({ users: sizes.users, friends: sizes.friends, regions: sizes.regions, label: 'S', cpuProfDir: options.cpuProfDir })
    const fixtureMs = Date.now() - fixtureStarted
    try {
      const { users, friendships } = grid.fixture
      await grid.userServer.call('reset')
      const before = await grid.userServer.call('stats')
      const rssBefore = processMemory(grid.userServer.pid).rss
      const cpuBefore = threadCpuMs(grid.userServer.pid)
      const order = shuffle(users.map((_, i) => i), random(7))
      const latencies: number[] = []
      let failures = 0
      options.log(`storm: ${sizes.users} sign-ons, ${sizes.concurrency} at a time`)
      const started = performance.now()
      let done = 0
      const progress = setInterval(() => options.log(`storm: ${done} signed on, ${round(done / ((performance.now() - started) / 1000))}/s`), 15_000)
      await mapLimit(order, sizes.concurrency, async (i) => {
        const user = users[i]!
        const region = grid.regions[user.region]!
        region.hosted.add(user.userId)
        const t0 = performance.now()
        try {
          await region.client.call(grid.userServerUrl, 'signOn', { body: { firstName: user.firstName, lastName: user.lastName, password: FIXTURE_PASSWORD, regionId: region.regionId } })
          latencies.push(performance.now() - t0)
          done++
        } catch (error) {
          failures++
          region.hosted.delete(user.userId)
          if (failures <= 3) options.log(`storm: sign-on failed: ${(error as Error).message}`)
        }
      })
      const stormMs = performance.now() - started
      clearInterval(progress)
      await grid.userServer.call('idle')
      const stats = await grid.userServer.call('stats')
      const sentNotices = stats.sent.deliverNotices ?? 0
      await waitUntil(() => grid.recorder.notices.length >= sentNotices, 30_000, 'every deliverNotices to arrive')
      const rssAfter = processMemory(grid.userServer.pid).rss
      const cpuAfter = threadCpuMs(grid.userServer.pid)
      const cpu = { mainMs: cpuAfter.main - cpuBefore.main, otherThreadsMs: cpuAfter.others - cpuBefore.others }

      const { bySignOn, batched, other } = requestsPerSignOn(grid.recorder.notices)
      const signedOn = users.length - failures
      // GRIDIM-SIGN-14: a sign-on's notices reach each destination region in one request (alone,
      // or batched with other sign-ons' notices for that region).
      let formulaHolds = 0
      const perSignOn: number[] = []
      const distinct: number[] = []
      for (const user of users) {
        const entry = bySignOn.get(user.userId)
        const requests = 1 + (entry?.requests ?? 0) // the signOn itself + the deliverNotices carrying its notices
        const regions = entry?.regions.size ?? 0
        perSignOn.push(requests)
        distinct.push(regions)
        if (requests === regions + 1) formulaHolds++
      }
      const destinationsTotal = distinct.reduce((a, b) => a + b, 0)
      const totalNotices = grid.recorder.notices.reduce((n, r) => n + r.notices.length, 0)
      const received = Object.values(stats.received).reduce((a, b) => a + b, 0)
      const sent = Object.values(stats.sent).reduce((a, b) => a + b, 0)
      const requestsSummary = summarize(perSignOn)
      const distinctSummary = summarize(distinct)
      const latency = summarize(latencies)
      const rate = signedOn / (stormMs / 1000)
      const heapPerSession = (stats.memory.heapUsed - before.memory.heapUsed) / Math.max(1, signedOn)
      const data = {
        fixtureMs, stormMs, signedOn, failures, rate, latencyMs: latency, userServerCpu: cpu,
        userServer: { before, after: stats, rssBefore, rssAfter },
        requests: { received: stats.received, sent: stats.sent, perSignOn: requestsSummary, distinctDestinationRegions: distinctSummary, formulaHolds, batchedRequests: batched, otherRequests: other, sentNotices, destinationsTotal, unsigned: grid.recorder.unsigned },
        notices: { total: totalNotices, friendships: friendships.length, recorded: grid.recorder.notices.length }
      }
      return {
        scenario: 'storm',
        title: this.title,
        status: 'done',
        params: { ...sizes },
        tables: [
          {
            title: `Sign-on storm: ${sizes.users.toLocaleString('en-US')} users, ${sizes.friends} friends each, ${sizes.regions} light regions, ${sizes.concurrency} sign-ons in flight`,
            columns: ['sign-ons', 'failed', 'seconds', 'sign-ons/s', 'p50 ms', 'p99 ms', 'notices', 'friendships'],
            rows: [[signedOn, failures, round(stormMs / 1000), round(rate), round(latency.p50), round(latency.p99), totalNotices, friendships.length]]
          },
          {
            title: 'User server CPU during the storm (from /proc: main thread = JavaScript; other threads = libuv pool running scrypt, and GC helpers)',
            columns: ['main thread s', 'other threads s', 'main ms per sign-on', 'other ms per sign-on', 'storm wall s'],
            rows: [[round(cpu.mainMs / 1000), round(cpu.otherThreadsMs / 1000), round(cpu.mainMs / Math.max(1, signedOn)), round(cpu.otherThreadsMs / Math.max(1, signedOn)), round(stormMs / 1000)]]
          },
          {
            title: 'HTTP requests per sign-on at the user server (received signOn + sent deliverNotices; a batched request counts once)',
            columns: ['received', 'sent', 'per sign-on mean', 'distinct dest. regions mean', 'max requests carrying one sign-on', 'sign-ons whose notices took one request per region', 'batched requests'],
            rows: [[received, sent, round((received + sent) / Math.max(1, signedOn)), round(distinctSummary.mean), requestsSummary.max, `${formulaHolds} / ${users.length}`, batched]]
          },
          {
            title: 'User server memory (its own process; heap after a full GC)',
            columns: ['', 'RSS MiB', 'heap used MiB'],
            rows: [
              ['before the storm (0 online)', round(rssBefore / MiB), round(before.memory.heapUsed / MiB)],
              [`after (${signedOn} online)`, round(rssAfter / MiB), round(stats.memory.heapUsed / MiB)],
              ['per online user, KiB', round((rssAfter - rssBefore) / 1024 / Math.max(1, signedOn)), round(heapPerSession / 1024)]
            ]
          }
        ],
        data,
        targets: [
          {
            target: 'requests per sign-on ≤ distinct destination regions + a constant (= without batching)',
            met: formulaHolds === users.length && sentNotices <= destinationsTotal && other === 0,
            detail: `each destination region got a sign-on's notices in one request for ${formulaHolds} of ${users.length} sign-ons; ${sentNotices} deliverNotices for ${destinationsTotal} sign-on destinations (${batched} batched several sign-ons)${other === 0 ? '' : `; ${other} requests carried other notices`}`
          }
        ],
        notes: [
          'Fixture (users, friendships, regions with keys) written straight into SQLite; one shared scrypt hash. Only the sign-ons are timed; each one verifies the password with scrypt (N=2^14, r=8) on libuv\'s thread pool.',
          'Light regions sign their requests (RFC 9421, own Ed25519 keys) and hold leases; they check that notices come signed as user-server but do not verify the signature.',
          `Every friendship yields exactly one presence notice (whoever signs on second tells the first): ${totalNotices} notices for ${friendships.length} friendships.`
        ]
      }
    } finally {
      await grid.stop()
    }
  }
}
