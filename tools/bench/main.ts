// `npm run bench`: the benchmarks of issue 6, each scenario printing its tables and writing its
// results as JSON under bench-results/ (gitignored). Not part of `npm test`; the smoke test
// (bench.test.ts) runs every scenario at a tiny size.
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { existsSync, readdirSync } from 'node:fs'
import { loadavg } from 'node:os'
import { formatProfile, summarizeProfile } from './harness/cpu-profile.ts'
import { machine } from './harness/machine.ts'
import { REPO_ROOT } from './harness/processes.ts'
import { writeRun, writeScenarioResult } from './harness/results.ts'
import { parseOverride, type Overrides, type ScenarioResult } from './harness/scenario.ts'
import { formatTable } from './harness/table.ts'
import { SCENARIOS } from './scenarios/index.ts'

const HELP = `npm run bench -- [options]

  --only NAME      run only this scenario (repeatable, or comma-separated): ${SCENARIOS.map((s) => s.name).join(', ')}
  --set NAME=VALUE override a size of the selected scenarios (e.g. --set pairs=8 --set windows=1,4 --set paths=stream)
  --smoke          tiny sizes, seconds per scenario (what the smoke test runs)
  --cpu-prof       write --cpu-prof profiles of the measured Node processes to <out>/profiles
  --out DIR        results directory (default bench-results/)
  --list           list the scenarios
  -h, --help       this text`

export async function main (argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string', multiple: true },
      set: { type: 'string', multiple: true },
      smoke: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      out: { type: 'string', default: join(REPO_ROOT, 'bench-results') },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help) { console.log(HELP); return 0 }
  if (values.list) { for (const s of SCENARIOS) console.log(`${s.name.padEnd(12)} ${s.title}`); return 0 }
  const only = (values.only ?? []).flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean)
  const unknown = only.filter((o) => !SCENARIOS.some((s) => s.name === o))
  if (unknown.length > 0) { console.error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`); return 2 }
  const selected = only.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => only.includes(s.name))
  const overrides: Overrides = {}
  for (const pair of values.set ?? []) {
    try {
      const [key, value] = parseOverride(pair)
      overrides[key] = value
    } catch (error) { console.error((error as Error).message); return 2 }
  }
  const out = resolve(values.out!)
  const m = machine()
  const command = ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' ')
  console.log(`GridIM benchmarks — ${m.date}\n${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ulimit -n ${m.openFilesLimit}, load average ${m.loadAverage.join(' ')}${values.smoke ? ' — SMOKE sizes' : ''}\n`)
  const results: ScenarioResult[] = []
  for (const scenario of selected) {
    const started = Date.now()
    const loadBefore = loadavg()
    const cpuProfDir = values['cpu-prof'] ? join(out, 'profiles', scenario.name, m.date.replace(/[:.]/g, '-')) : undefined
    const result = await scenario.run({
      smoke: values.smoke!,
      overrides,
      cpuProfDir,
      log: (line) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`)
    })
    result.durationMs = Date.now() - started
    // Load average (1 min) at the start and end: this machine is shared, and a busy neighbour skews every number.
    result.data.loadAverage = { start: Math.round(loadBefore[0]! * 100) / 100, end: Math.round(loadavg()[0]! * 100) / 100 }
    if (cpuProfDir !== undefined && existsSync(cpuProfDir)) {
      const profiles = readdirSync(cpuProfDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => summarizeProfile(join(cpuProfDir, f), 15))
      result.data.profiles = profiles
      for (const p of profiles) console.error(formatProfile(p) + '\n')
    }
    results.push(result)
    console.log(`== ${result.title}${result.status === 'pending' ? ' — PENDING' : ''} (${Math.round(result.durationMs / 1000)} s, load average ${(result.data.loadAverage as { start: number }).start} → ${(result.data.loadAverage as { end: number }).end})\n`)
    for (const table of result.tables) console.log(formatTable(table) + '\n')
    for (const t of result.targets) console.log(`  target: ${t.target} — ${t.met === null ? 'n/a' : t.met ? 'MET' : 'MISSED'} (${t.detail})`)
    for (const n of result.notes) console.log(`  note: ${n}`)
    console.log(`  → ${writeScenarioResult(out, result, m)}\n`)
  }
  const files = writeRun(out, { command, smoke: values.smoke!, machine: m, results })
  console.log(`run: ${files.json}\nmarkdown tables: ${files.markdown}`)
  return 0
}

function join (...parts: string[]): string {
  return resolve(...parts)
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: Error) => {
  console.error(error.stack ?? error.message)
  process.exit(1)
})
