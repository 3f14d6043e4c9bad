// The same results, serially or in parallel (issue 14): `gridim-conformance` replays a subset of
// flows against the embedded grid twice, with --serial (one grid, one flow after another) and
// without (several grids, several flows at once), and every check has the same status both
// times. The subset holds flows that change what a whole grid shares — settings, a killed
// region, a restarted user server — next to flows that count exchanges on the grid, which would
// see the others' traffic were they on the same grid at the same time.
import { spawn } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../tools/bin')
const FLOWS = ['09-a-messages-b', 'x-lease-renewal', 'x-region-dies', 'x-user-server-restart', 'x-idle-group-session-times-out',
  'x-group-message-once-per-region', 'a1-regions-reach-each-other', '10-a-messages-d']

type Report = { flows: Array<{ flow: string, checks: Array<{ flow: string, step: string, outcome: string, status: string, message?: string }> }> }

function conformance (args: string[]): Promise<{ code: number | null, report: Report, stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(BIN, 'gridim-conformance.js'), '--xmpp', 'simulated', '--reporter', 'json', ...FLOWS.flatMap((f) => ['--flow', f]), ...args],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GRIDIM_LOG: 'silent' } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => { stdout += c })
    child.stderr.on('data', (c) => { stderr += c })
    child.once('exit', (code) => {
      try { resolve({ code, report: JSON.parse(stdout), stderr }) } catch (err) { reject(new Error(`no JSON report (${(err as Error).message}): ${stderr.slice(-2000)}`)) }
    })
  })
}

const statuses = (r: Report): string[] => r.flows.flatMap((f) => f.checks.map((c) => `${c.flow} step ${c.step}: ${c.outcome} — ${c.status}`))

t.test('every check has the same status with --serial as in parallel', async (t) => {
  const [parallel, serial] = [await conformance([]), await conformance(['--serial'])]
  t.same(parallel.report.flows.map((f) => f.flow), serial.report.flows.map((f) => f.flow), 'the same flows, in the same order')
  t.same(statuses(parallel.report), statuses(serial.report))
  const failed = [parallel, serial].flatMap((r) => r.report.flows.flatMap((f) => f.checks.filter((c) => c.status !== 'pass').map((c) => `${c.flow} ${c.step} ${c.status}: ${c.message ?? ''}`)))
  t.same(failed, [], 'and every check passes, so the comparison is not of two failures', { stderr: parallel.stderr.slice(-2000) })
  t.equal(parallel.code, 0)
  t.equal(serial.code, 0)
})
