// The whole conformance suite against a grid whose user server is two instances behind a load
// balancer (issue 16): a temporary PostgreSQL, two `gridim user-server` processes on it behind
// HAProxy (tools/cluster), three `gridim region` processes and a `gridim gateway`, all pointed at
// the balancer's URL — real processes only. The test writes a target file for that grid, as an
// operator would for any grid (conformance/README.md), and replays every flow against it, one
// after another. The runner plays the Jabber server the gateway links to (`jabberServer:
// { simulated: true }`), so the XMPP flows run too.
//
// Every check passes or is impossible with a stated reason. A target file names URLs only; this
// test runs the processes, so it also lets the runner crash, stop and restart regions, restart
// the user server and sign as it. What needs the runner inside the grid — watching the traffic
// between roles, standing between them, restarting the gateway — stays impossible here;
// conformance.test.ts runs those flows against the embedded grid.
// GRIDIM_SKIP_POSTGRES=1 skips it (no PostgreSQL or HAProxy on the machine).
import t, { type Test } from 'tap'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { stringify } from 'yaml'
import { startProcessGrid } from '../reference/e2e/process-grid.ts'
import { loadOrCreateKeyPair } from '../reference/grid/keys.ts'
import { startTemporaryPostgres } from '../tools/postgres/temporary-server.ts'
import { freePorts } from '../tools/xmpp-servers/free-port.ts'
import { loadFlows } from '../tools/spec/flows.ts'
import { requirementText } from './report/requirement-text.ts'
import { runSuite } from './runner/run-suite.ts'
import { loadTargetFile, type TargetFile } from './target/target-file.ts'
import type { GatewayEndpoint } from './target/target.ts'

/**
 * Checks that fail against two instances, intermittently, for a bug of the reference that is not
 * fixed yet: reported as TODO (visible in every run), not hidden as impossible. Remove an entry
 * with its fix; a check listed here that passes is simply a pass.
 */
const KNOWN_BUGS: Array<{ flow: string, requirement: string, bug: string }> = []

const skip = process.env.GRIDIM_SKIP_POSTGRES === '1' ? 'GRIDIM_SKIP_POSTGRES=1' : false

// Flows replay one after another on one grid: minutes, past tap's default per-file timeout. One
// subtest holds it all: tap ends a root test with teardowns as soon as it has nothing pending.
t.setTimeout(20 * 60_000)
t.test('the whole suite against a user server of two instances on PostgreSQL behind HAProxy', { skip, timeout: 20 * 60_000 }, run)

async function run (t: Test): Promise<void> {
  const began = Date.now()
  const dir = mkdtempSync(join(tmpdir(), 'gridim-conformance-instances-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const postgres = await startTemporaryPostgres({ durable: false })
  t.teardown(() => postgres.stop())
  // The runner plays the Jabber server the gateway is a component of: it listens once the target
  // file is loaded, after the gateway started, which links at its next retry (GRIDIM-XMPP-3).
  const [componentPort] = await freePorts(1)
  const gatewayDomain = 'grid.localhost'
  // The link's timers as the embedded grid has them, declared in the target file, so that the
  // flows that break or silence the link wait a second, not the defaults' minute.
  const jabber = {
    domain: 'jabber.localhost', port: componentPort!, secret: randomBytes(16).toString('hex'),
    timings: 'keep-alive=250,idle-ping=300,ping-timeout=1500,ack-delay=200,retry-start=50,retry-max=500'
  }
  const grid = await startProcessGrid({
    regions: 3,
    // The embedded grid's lease: a crashed region is noticed soon; flows that test lapses set shorter ones.
    leaseSeconds: 5,
    gateway: { domain: gatewayDomain, jabber },
    userServerCluster: { instances: 2, store: postgres.url }
  })
  t.teardown(() => grid.stop())
  t.equal(grid.cluster?.instances.length, 2, 'the user server is two instances')
  // The gateway's section as a target file may write it (xmpp-sections.ts): its regionId too.
  const file: TargetFile & { gateway: GatewayEndpoint } = {
    name: 'reference grid, user server: 2 instances on PostgreSQL behind HAProxy',
    userServer: { url: grid.userServerUrl, adminToken: grid.adminToken },
    regions: grid.regions.map((r) => ({ url: r.ready.url, name: r.ready.name, regionId: r.ready.regionId })),
    gateway: { url: grid.gateway!.ready.url, domain: gatewayDomain, regionId: grid.gateway!.ready.regionId, linkTimings: { idlePingMs: 300, pingTimeoutMs: 1500, retryStartMs: 50 } },
    jabberServer: { simulated: true, domain: jabber.domain, componentPort: jabber.port, secret: jabber.secret },
    // The reference regions batch what waits for a busy link (GRIDIM-IM-32), as in the embedded grid.
    capabilities: ['admin-settings', 'batching-sender']
  }
  const targetFile = join(dir, 'target.yaml')
  writeFileSync(targetFile, stringify(file))
  const { target, expectedFailures } = await loadTargetFile(targetFile)
  t.teardown(() => target.close())
  t.ok(await target.jabberServer?.link?.restore(), 'the gateway linked to the runner\'s Jabber server')
  // What a file cannot give but this test can, since it runs the grid: crash, stop and start a
  // region again (same id, key, data and port), restart the whole user server (every instance,
  // down for a while, so leases lapse), and sign as the user server with the key the instances
  // share. The flows that need them run against two instances too.
  Object.assign(target, {
    killRegion: async (i: number) => { await grid.endRegion(i, { crash: true }) },
    stopRegion: async (i: number) => { await grid.endRegion(i) },
    reviveRegion: async (i: number) => { await grid.restartRegion(i) },
    restartUserServer: async (downMs?: number) => { await grid.restartUserServer(downMs) },
    userServerKey: loadOrCreateKeyPair(join(grid.dataDir, 'keys', 'user-server.pem')).privateKey
  })
  for (const capability of ['kill-region', 'stop-region', 'restart-user-server', 'sign-as-user-server']) {
    target.capabilities.add(capability)
    delete target.missing?.[capability]
  }
  t.comment(`grid up in ${Date.now() - began} ms: user server ${grid.userServerUrl} (instances on ${grid.cluster!.instances.map((i) => i.port).join(', ')}), PostgreSQL ${postgres.url}`)

  const flows = loadFlows().flows.map((f) => f.flow.id)
  const started = Date.now()
  const result = await runSuite(target, { expectedFailures })
  const ms = Date.now() - started
  t.same(result.flows.map((f) => f.flow), flows, `all ${flows.length} flows, in flow order`)
  const count = (status: string): number => result.flows.reduce((n, f) => n + f.checks.filter((c) => c.status === status).length, 0)
  const reasons = new Map<string, number>()
  for (const f of result.flows) {
    for (const c of f.checks) if (c.status === 'impossible') reasons.set(c.message ?? '', (reasons.get(c.message ?? '') ?? 0) + 1)
  }
  t.comment(`flows replayed in ${ms} ms (whole file ${Date.now() - began} ms): ${count('pass')} pass, ${count('impossible')} impossible, ${count('fail')} fail, ${count('blocked')} blocked`)
  for (const [reason, n] of reasons) t.comment(`impossible (${n}): ${reason}`)
  for (const flow of result.flows) {
    t.test(`${flow.flow}: ${flow.title}`, async (t) => {
      for (const c of flow.checks) {
        const name = `step ${c.step}: ${c.outcome} [${c.requirements.join(', ')}]`
        if (c.status === 'pass') t.pass(name)
        else if (c.status === 'skip') t.pass(name, { skip: `${c.status}: ${c.message ?? ''}` })
        // Impossible only with a reason: what this target cannot let the runner do.
        else if (c.status === 'impossible' && (c.message ?? '') !== '') t.pass(name, { skip: `impossible: ${c.message}` })
        else {
          const known = KNOWN_BUGS.find((k) => k.flow === flow.flow && c.requirements.includes(k.requirement))
          t.fail(name, {
            ...(known === undefined ? {} : { todo: known.bug }),
            status: c.status,
            why: c.message,
            requirements: c.requirements.map((id) => `${id}: ${requirementText(id)}`),
            trace: flow.trace.slice(-20),
            instances: grid.cluster?.instances.map((i) => i.process.stderr().slice(-3000)),
            gateway: grid.gateway?.stderr().slice(-3000)
          })
        }
      }
    })
  }
}
