// `gridim-conformance --target FILE` with a target file that names regions only: the command
// starts them from the file's commands, plays the user server, and can crash and revive them,
// so the flows that kill a region run too. The JSON reporter's output is what is checked.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { loadTargetFile } from '../target/target-file.ts'

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../tools/bin')
const REGION = `node ${join(BIN, 'gridim.js')} region --user-server {userServerUrl} --region-id {regionId} --key-file {keyFile} --name {name} --port {port}`

function conformance (args: string[], log = 'silent'): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(BIN, 'gridim-conformance.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GRIDIM_LOG: log } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => { stdout += c })
    child.stderr.on('data', (c) => { stderr += c })
    child.once('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

const dir = mkdtempSync(join(tmpdir(), 'gridim-conformance-cli-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))

t.test('regions only: the runner plays the user server and crashes and revives regions by their commands', async (t) => {
  const file = join(dir, 'regions.yaml')
  writeFileSync(file, `name: two reference regions\nregions:\n  - command: ${REGION}\n  - command: ${REGION}\n`)
  const { code, stdout, stderr } = await conformance(['--target', file, '--reporter', 'json',
    '--flow', 'x-region-dies', '--flow', 'x-unreachable-region-message-stored', '--flow', 'x-user-server-restart'])
  const report = JSON.parse(stdout)
  const failed = report.flows.flatMap((f: any) => f.checks.filter((c: any) => c.status === 'fail').map((c: any) => `${c.flow} ${c.step}: ${c.message}`))
  t.same(failed, [], 'no check fails', { stderr: stderr.slice(-2000) })
  t.equal(code, 0)
  t.equal(report.target, 'two reference regions')
  // The summary is the target's: the passes of the runner's own user server are counted apart.
  t.ok(report.summary.pass > 0, `${report.summary.pass} checks of the regions pass`)
  const passes = report.flows.flatMap((f: any) => f.checks).filter((c: any) => c.status === 'pass').length
  t.equal(report.summary.pass + report.byPlayer.runner.pass, passes, 'every pass is the target\'s or the runner\'s')
  t.ok(report.summary.messagesValidated > 0, `${report.summary.messagesValidated} messages validated`)
  for (const f of report.flows) t.notOk(f.checks.every((c: any) => c.status === 'impossible'), `${f.flow} ran`)
  // Issue 14: what the runner's own user server met is reported apart, never as the target's.
  t.ok(report.byPlayer.runner.pass > 0, `${report.byPlayer.runner.pass} checks of the runner's user server pass`)
  t.notOk(report.roles.rows.target['user server'], 'no user-server row among the target\'s roles')
  t.ok(report.roles.rows.runner['user server'], 'but among the runner\'s')
})

t.test('the summary prints the role × chapter table and counts only the target\'s checks', async (t) => {
  const { code, stdout } = await conformance(['--xmpp', 'none', '--flow', '01-a-signs-on'])
  t.equal(code, 0)
  t.match(stdout, /Roles of the target:\nrole +01 +03 +04 +10\n/)
  t.match(stdout, /\nuser server +\d+\/0\/\d+/)
  t.notMatch(stdout, /Roles the runner plays itself/, 'the embedded grid is all the target\'s')
  t.match(stdout, /checks of the target: \d+ +pass: \d+/)
  t.match(stdout, /requirements passed by the target: \d+/)
})

t.test('a target file with a mistake is refused before anything starts', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['regions: []\n', /at least one region is required/],
    ['regions:\n  - command: my-region --us {userserverurl}\n', /regions\[0\]: unknown placeholder \{userserverurl\}/],
    ['regions:\n  - url: http://127.0.0.1:1\n', /regions\[0\]: with a simulated user server a region's URL comes from its lease/],
    ['regions:\n  - publicKey: 11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\n    command: r --key {keyFile}\n', /\{keyFile\} is only offered when the runner makes the region's keys/],
    ['userServer: { url: http://127.0.0.1:1, adminToken: x }\nregions:\n  - command: r\n', /regions\[0\].url is required when the user server is under test/],
    ['userServer: { url: http://127.0.0.1:1 }\nregions:\n  - url: http://127.0.0.1:2\n', /userServer.url and userServer.adminToken are required/]
  ]
  for (const [i, [yaml, error]] of cases.entries()) {
    const file = join(dir, `bad-${i}.yaml`)
    writeFileSync(file, yaml)
    await t.rejects(loadTargetFile(file), error, JSON.stringify(yaml))
  }
  const { code, stderr } = await conformance(['--target', join(dir, 'bad-1.yaml')])
  t.equal(code, 2, 'the command exits with status 2')
  t.match(stderr, /^gridim-conformance: .*unknown placeholder \{userserverurl\}/)
})

t.test('a failure\'s re-run line repeats --target, --expectations and --timeout', async (t) => {
  const file = join(dir, 'rerun.yaml')
  writeFileSync(file, `name: two reference regions\nregions:\n  - command: ${REGION}\n  - command: ${REGION}\n`)
  // Listed as an expected failure, the flow passes: an xpass, which the summary prints as a failure.
  const expectations = join(dir, 'known.yaml')
  writeFileSync(expectations, '- { flow: x-request-body-too-large, reason: listed to make the run fail }\n')
  const out = join(dir, 'out')
  // The regions the runner starts log at info: what they write is captured per flow.
  const { code, stdout } = await conformance(['--target', file, '--expectations', expectations, '--timeout', '5000', '--flow', 'x-request-body-too-large', '--out', out], 'info')
  t.equal(code, 1)
  t.match(stdout, `note: output of the target's processes captured for 1 flow: in ${out}/report.json (flows[].processOutput) and ${out}/report.html (under each flow)`)
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))
  t.ok(report.flows[0].processOutput.length > 0, 'what the regions wrote during the flow is in the report')
  for (const p of report.flows[0].processOutput) t.match(p.process, /^Region [12]$/)
  t.match(report.flows[0].processOutput[0].stdout + report.flows[0].processOutput[0].stderr, /"level":"(info|warn|error)"/)
  t.match(readFileSync(join(out, 'report.html'), 'utf8'), /<summary>Region [12] (stdout|stderr) \(\d+ lines\)<\/summary>/)
  const lines = stdout.split('\n').filter((l) => l.includes('re-run:'))
  t.ok(lines.length > 0, 'each failure has a re-run line')
  for (const line of lines) {
    t.equal(line.trim(), `re-run: npx gridim-conformance --target ${file} --expectations ${expectations} --timeout 5000 --flow x-request-body-too-large`)
  }
})

t.test('--flows-at-once takes a whole number from 1 to 64, and refuses anything else before a grid starts', async (t) => {
  for (const bad of ['0', '65', '2.5', 'many']) {
    const { code, stderr } = await conformance(['--flows-at-once', bad, '--xmpp', 'simulated'])
    t.not(code, 0, `--flows-at-once ${bad} fails`)
    t.match(stderr, `--flows-at-once is a whole number from 1 to 64, not ${bad}`)
  }
})
