// Issue 5: "a simulated user server for a region under test". Reference regions run as separate
// processes, started by the runner from commands as a target file gives them (one started by
// hand instead), with the runner playing the user server; the flows that need only regions and a
// user server pass, the region-to-region traffic the runner cannot see is impossible (not failed),
// and what the regions send the user server is observed and checked against the contract.
// No region needs a regionId in the target file: the first is told the one the runner assigns;
// the second and third have ids of their own (the third its own key too), which the runner
// learns from their first lease requests.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startRole, type RoleProcess } from '../../reference/e2e/processes.ts'
import { exportPrivateKey, exportPublicKey, generateKeyPair } from '../../reference/lib/signatures/index.ts'
import { roleTable } from '../report/role-table.ts'
import type { Check } from '../runner/results.ts'
import { runSuite } from '../runner/run-suite.ts'
import { startRegionsTarget } from './regions-target.ts'

const GRIDIM = resolve(dirname(fileURLToPath(import.meta.url)), '../../tools/bin/gridim.js')
const REGION = `region --user-server {userServerUrl} --region-id {regionId} --key-file {keyFile} --name {name} --port {port}`
// The first two run behind the runner's proxies (issue 14), so what reaches them from another region is seen.
const PROXIED = `${REGION} --public-url {publicUrl}`

// The ids the second and third regions have of their own, and the third's own key.
const ownIds = [randomUUID(), randomUUID()] as const
const ownKeys = generateKeyPair()
const keyDir = mkdtempSync(join(tmpdir(), 'gridim-own-key-'))
const ownKeyFile = join(keyDir, 'region-3.pem')
writeFileSync(ownKeyFile, exportPrivateKey(ownKeys.privateKey), { mode: 0o600 })

const byHand: RoleProcess[] = []
const told: Array<string | undefined> = []
const target = await startRegionsTarget({
  name: 'reference regions as processes',
  regions: [
    { name: 'Region One', command: `'${process.execPath}' '${GRIDIM}' ${PROXIED}` },
    { command: [process.execPath, GRIDIM, ...PROXIED.replace('{regionId}', ownIds[0]).split(' ')] },
    { publicKey: exportPublicKey(ownKeys.publicKey) }
  ],
  // The third region is "started by hand", with its own id and key.
  startByHand: ({ userServerUrl, regionId, keyFile }) => {
    told.push(regionId, keyFile)
    startRole(['region', '--user-server', userServerUrl, '--region-id', ownIds[1], '--key-file', ownKeyFile, '--port', '0'])
      .then((r) => byHand.push(r), (err: Error) => { t.fail(err.message) })
  }
})
t.teardown(async () => {
  await target.close()
  for (const r of byHand) await r.stop()
  rmSync(keyDir, { recursive: true, force: true })
})

// The seed's grid steps stand alone (05–08 and 12 without D's parts, which need a gateway).
const flows = ['x-peer-region-fails-then-recovers', '01-a-signs-on', '02-b-signs-on', '03-c-signs-on', '05-everyone-online', '06-a-signs-off', '07-a-is-offline-everywhere',
  '08-a-signs-on-again', '09-a-messages-b', '12-b-opens-group-session', 'x-bad-input-refused', 'x-b-never-sees-c', 'x-user-server-unreachable']
const run = await runSuite(target, { flows, eventTimeoutMs: 10_000 })
const describe = (checks: Check[]): string[] => checks.map((c) => `${c.flow} step ${c.step} [${c.requirements.join(', ')}]: ${c.message ?? ''}`)

t.test('the regions took their leases at the simulated user server, at their own URLs', async (t) => {
  t.equal(target.regions.length, 3)
  t.equal(target.regions[0]!.name, 'Region One')
  for (const r of target.regions) {
    const status = await (await fetch(`${r.url}/status`)).json()
    t.match(status, { regionId: r.regionId, kind: 'region' }, `${r.name} answers getRegionStatus at ${r.url}`)
  }
  t.ok(target.playsUserServer)
  t.same(target.regions.slice(1).map((r) => r.regionId), ownIds, 'the ids of their own were learned from their lease requests')
  t.same(told, [undefined, undefined], 'a region started by hand with its own key is offered neither an id nor a key file')
  t.equal(typeof target.regions[0]!.regionId, 'string', 'the first was told the id the runner assigned')
  t.notOk(target.capabilities.has('kill-region'), 'a region started by hand cannot be killed and revived by the runner')
  t.notOk(target.capabilities.has('stop-region'), 'nor stopped by it')
})

for (const flow of run.flows) {
  t.test(`${flow.flow} passes against regions under test`, async (t) => {
    t.same(describe(flow.checks.filter((c) => c.status === 'fail' || c.status === 'xpass')), [], 'no check fails')
    t.ok(flow.checks.some((c) => c.status === 'pass'), 'checks pass')
    t.ok((flow.messagesValidated ?? 0) > 0, 'messages were validated against the contract')
  })
}

t.test('exchanges with the user server are observed, and those to a region behind the runner\'s proxy; others are impossible to see', async (t) => {
  const f01 = run.flows.find((f) => f.flow === '01-a-signs-on')!
  t.match(f01.checks.find((c) => c.outcome.startsWith('R1 signs A on with one signOn request')), { status: 'pass' }, 'signOn from R1 to US counted')
  const f09 = run.flows.find((f) => f.flow === '09-a-messages-b')!
  t.same(f09.checks.filter((c) => c.status === 'impossible').map((c) => c.outcome), [], 'R1 to R2 is seen: R2 runs behind a proxy')
  t.ok(f09.checks.some((c) => c.status === 'pass' && /R2/.test(c.outcome)), 'and judged')
  const [r1, , r3] = target.regions
  const urlOf = (role: string): string | undefined => ({ R1: r1!.url, R3: r3!.url, RX: 'http://127.0.0.1:1' } as Record<string, string>)[role]
  t.equal(target.observes?.('R1', 'R3', urlOf), false, 'R3, started by hand without {publicUrl}, has no proxy in front of it')
  t.equal(target.observes?.('R3', 'R1', urlOf), true, 'what R3 sends R1 passes R1\'s proxy')
  t.equal(target.observes?.('RX', 'R1', urlOf), false, 'a role the runner plays is not recorded by the proxy')
  t.equal(target.observes?.('R1', 'RX', urlOf), true, 'what a region under test sends a role the runner plays, that role records')
  t.equal(target.observes?.('R1', 'US', urlOf), true)
})

t.test('a command with {publicUrl} needs {port}', async (t) => {
  await t.rejects(startRegionsTarget({ name: 'bad', regions: [{ name: 'Lost', command: 'my-region --public-url {publicUrl}' }] }), /Lost: a command with \{publicUrl\} needs \{port\} too/)
})

t.test('the user-server rules are the runner\'s own, not the target\'s passes (issue 14, per-role results)', async (t) => {
  const checks = run.flows.flatMap((f) => f.checks)
  t.ok(checks.every((c) => c.playedBy !== undefined && c.role !== undefined), 'every check is attributed')
  const userServer = checks.filter((c) => c.role === 'user server')
  t.ok(userServer.some((c) => c.status === 'pass'), 'user-server rules were met')
  t.same(userServer.filter((c) => c.playedBy !== 'runner').map((c) => `${c.flow} ${c.step}`), [], 'by the runner\'s user server, every one')
  const f01 = run.flows.find((f) => f.flow === '01-a-signs-on')!
  t.match(f01.checks.find((c) => c.outcome.startsWith('R1 signs A on with one signOn request')), { role: 'client interface', playedBy: 'target', actor: 'R1' }, 'the region\'s own request (GRIDIM-CLI-1) is the target\'s')
  // A region's answer can carry a user-server rule too (the friends' presence of clientLogin): the check is the region's, the rule is not.
  for (const c of checks.filter((c) => c.playedBy === 'target')) {
    for (const id of c.runnerRequirements ?? []) t.ok(c.requirements.includes(id), `${c.flow} ${c.step}: ${id} is one of its requirements`)
  }
  t.ok(checks.some((c) => (c.runnerRequirements ?? []).length > 0), 'some target checks carry requirements of the runner\'s user server')
  const table = roleTable(run)
  t.notOk(table.rows.target['user server'], 'no user-server row among the target\'s roles')
  t.ok(table.rows.runner['user server'], 'but among the runner\'s')
  t.ok(table.rows.target.region, 'the regions are the target\'s')
})
