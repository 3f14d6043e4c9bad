// Results on disk: bench-results/<scenario>.json (the latest of each scenario) and a combined
// run-<timestamp>.json; summary.md holds the run's tables as Markdown for BENCHMARKS.md.
// bench-results/ is gitignored.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Machine } from './machine.ts'
import type { ScenarioResult } from './scenario.ts'
import { markdownTable } from './table.ts'

export type RunRecord = { command: string, smoke: boolean, machine: Machine, results: ScenarioResult[] }

export function writeScenarioResult (dir: string, result: ScenarioResult, machine: Machine): string {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${result.scenario}.json`)
  writeFileSync(file, JSON.stringify({ machine, ...result }, null, 2) + '\n')
  return file
}

export function writeRun (dir: string, run: RunRecord): { json: string, markdown: string } {
  mkdirSync(dir, { recursive: true })
  const stamp = run.machine.date.replace(/[:.]/g, '-')
  const json = join(dir, `run-${stamp}.json`)
  writeFileSync(json, JSON.stringify(run, null, 2) + '\n')
  const markdown = join(dir, 'summary.md')
  const m = run.machine
  const parts = [`Command: \`${run.command}\` — ${m.date}`, '', `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB RAM, ${m.kernel}, Node ${m.node}, Prosody ${m.prosody ?? '—'}, ulimit -n ${m.openFilesLimit}, load average at start ${m.loadAverage.join(' ')}`, '']
  for (const r of run.results) {
    const load = r.data.loadAverage as { start: number, end: number } | undefined
    parts.push(`### ${r.title}`, '', `${Math.round((r.durationMs ?? 0) / 1000)} s${load ? `, load average ${load.start} → ${load.end}` : ''}`, '')
    for (const t of r.tables) parts.push(markdownTable(t), '')
    if (r.targets.length) {
      parts.push('| target | met | detail |', '|---|---|---|')
      for (const t of r.targets) parts.push(`| ${t.target} | ${t.met === null ? 'n/a' : t.met ? 'yes' : 'no'} | ${t.detail} |`)
      parts.push('')
    }
    for (const n of r.notes) parts.push(`- ${n}`)
    parts.push('')
  }
  writeFileSync(markdown, parts.join('\n'))
  return { json, markdown }
}
