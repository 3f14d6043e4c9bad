// The target's processes' output in the reports (issue 14): the HTML report shows, per flow, what
// each region the runner started wrote on stdout and stderr during it; the text summary says where.
import type { FlowResult, RunResult } from '../runner/results.ts'

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** A <details> per process and stream that wrote something, collapsed. */
export function processOutputHtml (f: FlowResult): string {
  return (f.processOutput ?? []).flatMap((p) => (['stdout', 'stderr'] as const).filter((s) => p[s] !== '').map((s) =>
    `<details class="output"><summary>${esc(p.process)} ${s} (${p[s].split('\n').filter((l) => l !== '').length} lines)</summary><pre>${esc(p[s])}</pre></details>`)).join('')
}

/** The summary's line saying where the output is, or undefined when no process wrote anything. */
export function processOutputNote (run: RunResult, outDir: string | undefined): string | undefined {
  const flows = run.flows.filter((f) => (f.processOutput ?? []).length > 0)
  if (flows.length === 0) return undefined
  const where = outDir === undefined
    ? 'add --out DIR to keep it (report.json: flows[].processOutput; report.html: under each flow)'
    : `in ${outDir}/report.json (flows[].processOutput) and ${outDir}/report.html (under each flow)`
  return `output of the target's processes captured for ${flows.length} flow${flows.length === 1 ? '' : 's'}: ${where}`
}
