// `gridim-conformance` (`npm run conformance`): replays the GridIM flows against an
// implementation and reports, requirement by requirement, what passes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parseYaml } from '../../reference/lib/read-yaml.ts'
import { loadFlows } from '../../tools/spec/flows.ts'
import { toHtml } from '../report/html.ts'
import { toJson } from '../report/json.ts'
import { toJunit } from '../report/junit.ts'
import { processOutputNote } from '../report/process-output.ts'
import { rerunCommand } from '../report/requirement-text.ts'
import { DEFAULT_TIMEOUT, rerunSelectors } from './rerun.ts'
import { roleTable, roleTableText } from '../report/role-table.ts'
import { toTap } from '../report/tap.ts'
import { countByStatus, messagesValidated, runPassed, type Check } from '../runner/results.ts'
import { runConformance, type ConformanceTarget } from '../runner/run-conformance.ts'
import type { ExpectedFailure } from '../runner/run-suite.ts'
import { CLIENT_INTERFACES, type ClientInterface } from '../lib/client-session.ts'
import type { XmppChoice } from '../target/embedded.ts'
import type { Target } from '../target/target.ts'

const HELP = `gridim-conformance — replay the GridIM flows against an implementation

Usage: gridim-conformance [options]

  --target FILE        what to test (YAML or JSON, below). Without it, the embedded reference
                       grid is started in this process and tested.
  --xmpp SERVER        for the embedded grid: prosody, ejabberd, simulated or none — the Jabber
                       server of the XMPP flows, with the gateway linked to it as a component:
                       a real one started on loopback, or the runner's own (simulated); none
                       leaves the XMPP flows impossible (default: prosody when installed, else
                       simulated)
  --flow ID            run only this flow (repeatable); each failure prints the command that
                       re-runs its flow against the same target (--target, --xmpp,
                       --expectations and --timeout repeated)
  --list               list the flows and exit
  --reporter NAME      what goes to stdout: summary (default), tap, json, junit
  --out DIR            also write report.tap, report.json, report.junit.xml and report.html to DIR
  --expectations FILE  expected failures (YAML list of {flow, step, requirement, reason})
  --timeout MS         how long to wait for each expected event (default 15000)
  --client-interface I how the flows' clients reach their regions: http (default; the HTTP
                       operations, events read with clientListEvents) or stream (the client
                       stream, GET /client/stream: instant messages, chat states and events go
                       as frames; the operations it does not carry, and the steps that test
                       HTTP itself, stay HTTP). A flow's user whose actor names a client keeps it
  --serial             replay the flows one after another on one grid. Without it, the
                       embedded grid replays several flows at once, each on a grid of its own
                       (a target file's flows always run one after another); the results are
                       the same either way, and are reported in flow order
  --flows-at-once N    how many flows the embedded grid replays at once (default 20); fewer on
                       a machine busy with other work, where a flow's short leases could lapse
                       for want of CPU
  -h, --help           this text

A target file names the roles under test. A grid (user server and regions under test):

  name: my grid
  userServer: { url: http://127.0.0.1:8000, adminToken: secret }
  regions: [{ url: http://127.0.0.1:8001 }, { url: http://127.0.0.1:8002 }, { url: http://127.0.0.1:8003 }]
  capabilities: [admin-settings]   # also kill-region, restart-user-server, observe-traffic, batching-sender
  expectedFailures: [{ flow: x-region-dies, reason: not yet }]

Or regions only: leave out userServer and the runner plays the user server itself (the
reference one, in this process), provisions each region and starts it by its command:

  name: my region
  userServer: { simulated: true, port: 0, leaseSeconds: 5 }   # optional; the defaults
  regions:
    - command: my-region --user-server {userServerUrl} --region-id {regionId} --key-file {keyFile} --port {port}
    - command: [my-region, --user-server, '{userServerUrl}', --port, '{port}', ...]
    - { regionId: UUID, publicKey: BASE64URL }   # no command: you start it, the runner waits
  startTimeoutSeconds: 30

  Placeholders: {userServerUrl} {userServerKey} {regionId} {name} {keyFile} (a private key
  the runner made, PKCS #8 PEM; not with publicKey) {port} (a free port) {publicUrl} (the URL
  to register, a proxy of the runner's in front of {port}). A one-line command runs under
  /bin/sh with the values quoted for you; a list runs directly. A region is ready when it takes
  its lease; its URL is the one the lease registers. Traffic to a region under test is seen
  only when it registers {publicUrl}; checks of the rest are impossible. conformance/README.md
  has the details.

A grid with an XMPP gateway adds the gateway and its Jabber server (a real one with test
accounts, or one the runner plays, listening for the gateway's component link):

  gateway: { url: http://127.0.0.1:8004, domain: grid.example }
  jabberServer: { host: 127.0.0.1, port: 5222, domain: jabber.example, accounts: [{ user: dana, password: pw }] }
  jabberServer: { simulated: true, domain: jabber.example, componentPort: 5347, secret: s3cret }

Each check is one flow outcome, tagged with the requirement ids it proves. Besides, every HTTP
request and response of the implementation that the runner sees (answers to its own calls,
traffic it observes between roles, requests to the roles it plays) is validated against the
OpenAPI documents; each departure is one more failed check under GRIDIM-ROLE-9 (GRIDIM-ROLE-6
for a media type, with GRIDIM-ERR-1 for an error answer) naming the operation, request or
response, status and JSON pointer. The summary gives the number of messages validated.

Results: pass, fail, impossible (the target lacks what the flow needs), skip (documented, not
executable), xfail (an expected failure), xpass (listed as expected to fail, but passed),
blocked (failed because an earlier check of the flow failed: a step that could not be
performed, a lease the target lost, a sign-on that failed; neither a pass nor a failure). Exit
status 0 when nothing failed unexpectedly and no expected failure passed, 1 otherwise; 2 when
the run could not start (a bad target file, a region that did not start).

Each check is attributed to the role whose behaviour it judges (user server, region, its client
interface, gateway) and to who plays it: the target, or the runner itself (its user server for
a regions-only target, regions and gateways a flow marks simulated, the clients). The summary
counts the target's checks only and prints a role × chapter table (cells pass/fail/other), the
runner's own roles in a separate table; a failure of either still fails the run.

The embedded grid logs only errors (to stderr); GRIDIM_LOG=info shows the rest.`

function isClientInterface (value: string): value is ClientInterface {
  return (CLIENT_INTERFACES as readonly string[]).includes(value)
}

const SYMBOL: Record<Check['status'], string> = { pass: '.', fail: 'F', impossible: 'i', skip: 's', xfail: 'x', xpass: 'X', blocked: 'b' }

export async function main (argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string' },
      flow: { type: 'string', multiple: true },
      list: { type: 'boolean' },
      reporter: { type: 'string', default: 'summary' },
      out: { type: 'string' },
      expectations: { type: 'string' },
      timeout: { type: 'string', default: DEFAULT_TIMEOUT },
      xmpp: { type: 'string' },
      serial: { type: 'boolean' },
      'flows-at-once': { type: 'string' },
      'client-interface': { type: 'string', default: 'http' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help) { console.log(HELP); return 0 }
  if (values.list) {
    for (const { flow } of loadFlows().flows) console.log(`${flow.id.padEnd(44)} ${flow.title}`)
    return 0
  }
  if (!['summary', 'tap', 'json', 'junit'].includes(values.reporter!)) throw new Error(`unknown reporter ${values.reporter}`)

  if (values.xmpp !== undefined && !['prosody', 'ejabberd', 'simulated', 'none'].includes(values.xmpp)) throw new Error(`--xmpp is prosody, ejabberd, simulated or none, not ${values.xmpp}`)
  const clientInterface = values['client-interface']!
  if (!isClientInterface(clientInterface)) throw new Error(`--client-interface is ${CLIENT_INTERFACES.join(' or ')}, not ${clientInterface}`)
  if (values.xmpp !== undefined && values.target) throw new Error('--xmpp is for the embedded grid; a target file names its own Jabber server')
  const flowsAtOnce = values['flows-at-once'] === undefined ? undefined : Number(values['flows-at-once'])
  if (flowsAtOnce !== undefined && !(Number.isInteger(flowsAtOnce) && flowsAtOnce >= 1 && flowsAtOnce <= 64)) throw new Error(`--flows-at-once is a whole number from 1 to 64, not ${values['flows-at-once']}`)
  // The embedded grid's own logs would interleave with the progress; the flows provoke its
  // warnings on purpose. GRIDIM_LOG=info (or debug) shows them.
  if (!values.target) process.env.GRIDIM_LOG ??= 'error'
  const what: ConformanceTarget = values.target ? { file: resolve(values.target) } : { embedded: { xmpp: values.xmpp as XmppChoice | undefined } }
  const expectedFailures: ExpectedFailure[] = values.expectations ? (parseYaml(readFileSync(values.expectations, 'utf8'), values.expectations) as ExpectedFailure[] | null) ?? [] : []

  // Progress on stderr, so stdout stays a clean report.
  const progress = (s: string): void => { process.stderr.write(s) }
  let target: Target | undefined
  const run = await runConformance(what, {
    flows: values.flow,
    expectedFailures,
    eventTimeoutMs: Number(values.timeout),
    serial: values.serial === true,
    ...(flowsAtOnce === undefined ? {} : { concurrency: flowsAtOnce }),
    clientInterface,
    onTarget: (opened, close) => {
      target = opened
      // Regions and Jabber servers the runner started run in their own process groups: Ctrl-C
      // must stop them too, the forked grids' as well — within seconds, whatever hangs.
      const interrupted = (): void => {
        setTimeout(() => { process.exit(130) }, INTERRUPT_GRACE_MS).unref()
        close().finally(() => process.exit(130))
      }
      process.once('SIGINT', interrupted)
      process.once('SIGTERM', interrupted)
    },
    onFlowStart: ({ flow }) => progress(`${flow.id} `),
    onFlowEnd: (r) => progress(`${r.checks.map((c) => SYMBOL[c.status]).join('')} ${r.durationMs} ms\n`)
  })

  run.rerun = rerunSelectors(values)
  const counts = countByStatus(run, 'target')
  const reports = { tap: toTap(run), json: toJson(run), junit: toJunit(run) }
  if (values.out) {
    const dir = resolve(values.out)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'report.tap'), reports.tap)
    writeFileSync(join(dir, 'report.json'), reports.json)
    writeFileSync(join(dir, 'report.junit.xml'), reports.junit)
    writeFileSync(join(dir, 'report.html'), toHtml(run))
  }
  if (values.reporter === 'summary') {
    for (const f of run.flows) {
      for (const c of f.checks.filter((c) => c.status === 'fail' || c.status === 'xpass')) {
        console.log(`FAIL ${c.flow} step ${c.step} [${c.requirements.join(', ')}] ${c.outcome}\n     ${c.message}\n     re-run: ${rerunCommand(c.flow, run.rerun)}`)
      }
      // Checks that follow from a failure above: named once per cause, not as failures of their own.
      const blocked = new Map<string, Check[]>()
      for (const c of f.checks.filter((c) => c.status === 'blocked')) {
        const by = c.blockedBy ?? 'an earlier failure'
        blocked.set(by, [...blocked.get(by) ?? [], c])
      }
      for (const [by, list] of blocked) console.log(`BLOCKED ${f.flow}: ${list.length} later check${list.length === 1 ? '' : 's'} (step ${[...new Set(list.map((c) => c.step))].join(', ')}) blocked by ${by}`)
    }
    // The target's checks only: what the runner's own roles met is reported apart (issue 14).
    const roles = roleTable(run)
    const runnerCounts = countByStatus(run, 'runner')
    const total = (c: Record<string, number>): number => Object.values(c).reduce((a, b) => a + b, 0)
    console.log(`\n${roleTableText(roles)}`)
    console.log(`\nGridIM conformance — ${run.target} — client interface: ${run.clientInterface ?? 'http'}`)
    console.log(`flows: ${run.flows.length}  checks of the target: ${total(counts)}  ` +
      Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join('  '))
    if (total(runnerCounts) > 0) {
      console.log(`checks of roles the runner plays itself (not counted above): ${total(runnerCounts)}  ` +
        Object.entries(runnerCounts).map(([k, v]) => `${k}: ${v}`).join('  '))
    }
    console.log(`requirements passed by the target: ${roles.totals.target.requirementsPassed}  messages validated against the OpenAPI documents: ${messagesValidated(run)}  time: ${(run.durationMs / 1000).toFixed(1)} s`)
    for (const note of new Set(Object.values(target?.missing ?? {}))) console.log(`note: ${note}`)
    const output = processOutputNote(run, values.out === undefined ? undefined : resolve(values.out))
    if (output !== undefined) console.log(`note: ${output}`)
    console.log(runPassed(run) ? 'RESULT: PASS' : 'RESULT: FAIL')
  } else {
    process.stdout.write(reports[values.reporter as 'tap' | 'json' | 'junit'])
  }
  return runPassed(run) ? 0 : 1
}

/**
 * How long the process may outlive its report. By then the run has closed all it opened (grids,
 * Jabber servers, worker threads); a handle left open besides (a keep-alive socket, a timer of a
 * flow's client) kept some runs alive for 4–6 s more (issue 14), so this ends them. Unref'd: a
 * run that leaves nothing open exits at once.
 */
const EXIT_GRACE_MS = 500

/** How long Ctrl-C waits for the grids to close before the process ends anyway. */
const INTERRUPT_GRACE_MS = 10_000

function exitSoon (code: number): void {
  process.exitCode = code
  setTimeout(() => { process.exit() }, EXIT_GRACE_MS).unref()
}

main(process.argv.slice(2)).then(exitSoon, (err: Error) => {
  console.error(`gridim-conformance: ${err.message}`)
  exitSoon(2)
})
