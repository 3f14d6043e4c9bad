// Scenario 5 — the conformance run's wall time against the embedded reference grid: the
// `gridim-conformance` command as a user runs it (`npm run conformance`), as a child process,
// from start to exit (tsx start-up, the embedded grid, every flow).
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from '../harness/processes.ts'
import { sized, type Scenario, type ScenarioResult } from '../harness/scenario.ts'
import { round } from '../harness/stats.ts'

type RunJson = { durationMs: number, flows: Array<{ flow: string, durationMs: number, checks: Array<{ status: string }> }>, summary: Record<string, number> }

async function runConformance (args: string[]): Promise<{ wallMs: number, code: number | null, run: RunJson, stderr: string }> {
  const started = performance.now()
  const child = spawn(process.execPath, [join(REPO_ROOT, 'tools/bin/gridim-conformance.js'), '--reporter', 'json', ...args], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GRIDIM_LOG: 'silent' }
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c) => { stdout += c })
  child.stderr.on('data', (c) => { stderr = (stderr + c).slice(-10_000) })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  const wallMs = performance.now() - started
  let run: RunJson
  try {
    run = JSON.parse(stdout)
  } catch {
    throw new Error(`gridim-conformance exited with ${code} without a JSON report:\n${stderr}`)
  }
  return { wallMs, code, run, stderr }
}

const CHECK_STATUSES = ['pass', 'fail', 'impossible', 'skip', 'xfail', 'xpass', 'blocked']

const FULL = { flows: 0 }
/** Smoke: one quick flow. */
const SMOKE = { flows: 1 }

export const conformanceTime: Scenario = {
  name: 'conformance',
  title: '5. Conformance run',
  async run (options): Promise<ScenarioResult> {
    const sizes = sized(options.smoke ? SMOKE : FULL, options.overrides)
    const args = sizes.flows > 0 ? ['--flow', '01-a-signs-on'] : []
    options.log(`conformance: ${args.length ? 'one flow' : 'every flow'} against the embedded reference grid`)
    const { wallMs, code, run } = await runConformance(args)
    // The summary also counts messages validated; checks are the outcomes only.
    const checks = CHECK_STATUSES.reduce((n, status) => n + (run.summary[status] ?? 0), 0)
    const slowest = [...run.flows].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5)
    return {
      scenario: 'conformance',
      title: this.title,
      status: 'done',
      params: { command: `gridim-conformance --reporter json${args.length ? ' ' + args.join(' ') : ''}` },
      tables: [
        {
          title: 'Conformance run against the embedded reference grid',
          columns: ['flows', 'checks', 'pass', 'fail', 'other', 'messages validated', 'wall s (process)', 'suite s (flows only)', 'exit'],
          rows: [[run.flows.length, checks, run.summary.pass ?? 0, run.summary.fail ?? 0, checks - (run.summary.pass ?? 0) - (run.summary.fail ?? 0), run.summary.messagesValidated ?? 0, round(wallMs / 1000), round(run.durationMs / 1000), code]]
        },
        {
          title: 'Slowest flows',
          columns: ['flow', 'seconds'],
          rows: slowest.map((f) => [f.flow, round(f.durationMs / 1000)])
        }
      ],
      data: { wallMs, suiteMs: run.durationMs, exitCode: code, summary: run.summary, flows: run.flows.map((f) => ({ id: f.flow, durationMs: f.durationMs })) },
      targets: [],
      notes: ['Wall time is the whole `gridim-conformance` process: tsx start-up, the embedded grid (user server, regions, gateway), every flow, shutdown.']
    }
  }
}
