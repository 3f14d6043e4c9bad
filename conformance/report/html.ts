// The HTML report: a summary, a table of requirements covered and passed, and per flow its
// checks and a sequence diagram (SVG) of the traffic the runner saw.
import type { FlowResult, RunResult, TraceEntry } from '../runner/results.ts'
import { countByStatus, messagesValidated } from '../runner/results.ts'
import { processOutputHtml } from './process-output.ts'
import { requirementText, rerunCommand } from './requirement-text.ts'
import { roleTable, roleTableHtml } from './role-table.ts'
import { runnerNote } from './runner-note.ts'
import { escapeHtml as esc } from '../lib/escape-html.ts'


const COLORS: Record<string, string> = { pass: '#1a7f37', fail: '#cf222e', xpass: '#cf222e', xfail: '#9a6700', impossible: '#57606a', skip: '#57606a', blocked: '#8250df' }

export function sequenceDiagram (trace: TraceEntry[]): string {
  const entries = trace.slice(0, 200)
  const lanes: string[] = []
  for (const t of entries) for (const n of [t.from, t.to]) if (!lanes.includes(n)) lanes.push(n)
  const w = 140
  const rowH = 22
  const height = 40 + entries.length * rowH + 10
  const x = (n: string): number => 70 + lanes.indexOf(n) * w
  const parts = lanes.map((n) => `<text x="${x(n)}" y="16" text-anchor="middle" font-weight="bold">${esc(n)}</text><line x1="${x(n)}" y1="24" x2="${x(n)}" y2="${height}" stroke="#bbb"/>`)
  entries.forEach((t, i) => {
    const y = 40 + i * rowH
    const [x1, x2] = [x(t.from), x(t.to)]
    const color = t.status !== undefined && (t.status >= 400 || t.status === 0) ? '#cf222e' : '#0969da'
    const label = `${t.operationId}${t.status === undefined ? '' : ` ${t.status}`}`
    parts.push(`<line x1="${x1}" y1="${y}" x2="${x2 === x1 ? x1 + 30 : x2}" y2="${y}" stroke="${color}" marker-end="url(#a)"/>` +
      `<text x="${(x1 + x2) / 2 + (x1 === x2 ? 35 : 0)}" y="${y - 4}" text-anchor="middle" font-size="11">${t.method === undefined ? '' : `<title>${esc(`${t.method} ${t.path ?? ''}`)}</title>`}${esc(label)}</text>`)
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${70 + lanes.length * w}" height="${height}" font-family="sans-serif" font-size="12">` +
    '<defs><marker id="a" markerWidth="8" markerHeight="8" refX="8" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>' +
    parts.join('') + '</svg>'
}

function flowSection (f: FlowResult, selectors?: readonly string[]): string {
  const rows = f.checks.map((c) => `<tr><td>${esc(c.step)}</td><td style="color:${COLORS[c.status]}">${c.status}${runnerNote(c) === undefined ? '' : ` <small>(${esc(runnerNote(c)!)})</small>`}</td><td>${esc(c.outcome)}</td>` +
    `<td>${c.requirements.map((id) => `<span title="${esc(requirementText(id))}">${id}</span>`).join(' ')}</td><td>${c.blockedBy === undefined ? '' : `blocked by ${esc(c.blockedBy)}: `}${esc(c.message ?? '')}</td></tr>`)
  return `<section id="${esc(f.flow)}"><h2>${esc(f.flow)} — ${esc(f.title)}</h2><p>${f.durationMs} ms · re-run: <code>${esc(rerunCommand(f.flow, selectors))}</code></p>` +
    `<table><tr><th>step</th><th>status</th><th>outcome</th><th>requirements</th><th>message</th></tr>${rows.join('')}</table>` +
    `<details><summary>sequence diagram (${f.trace.length} exchanges)</summary>${sequenceDiagram(f.trace)}</details>${processOutputHtml(f)}</section>`
}

export function toHtml (run: RunResult): string {
  // The target's checks; the runner's own roles are counted apart (issue 14).
  const counts = countByStatus(run, 'target')
  const runnerCounts = countByStatus(run, 'runner')
  const byReq = new Map<string, { checks: number, passed: number }>()
  for (const f of run.flows) {
    for (const c of f.checks) {
      for (const id of c.requirements) {
        const r = byReq.get(id) ?? { checks: 0, passed: 0 }
        r.checks++
        // Only the target's passes: what the runner's own roles met is not the target's.
        if (c.status === 'pass' && runnerNote(c) === undefined && c.runnerRequirements?.includes(id) !== true) r.passed++
        byReq.set(id, r)
      }
    }
  }
  const reqRows = [...byReq.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([id, r]) => `<tr><td>${id}</td><td>${r.passed}/${r.checks}</td><td>${esc(requirementText(id))}</td></tr>`)
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>GridIM conformance — ${esc(run.target)}</title>
<style>body{font:15px/1.4 system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .4rem;vertical-align:top}</style></head><body>
<h1>GridIM conformance — ${esc(run.target)}</h1>
<p>${run.startedAt} · ${run.durationMs} ms · client interface: ${esc(run.clientInterface ?? 'http')} · checks of the target: ${Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join(' · ')} · of the runner's own roles: ${Object.entries(runnerCounts).map(([k, v]) => `${k}: ${v}`).join(' · ')} · messages validated against the OpenAPI documents: ${messagesValidated(run)}</p>
${roleTableHtml(roleTable(run))}
<h2>Requirements</h2><table><tr><th>id</th><th>passed/checks</th><th>requirement</th></tr>${reqRows.join('')}</table>
${run.flows.map((f) => flowSection(f, run.rerun)).join('\n')}
</body></html>
`
}
