// The role × chapter table (issue 14): rows are the roles whose behaviour checks judge, columns
// the spec chapters of their requirements, cells pass / fail / other counts. The target's roles
// and the roles the runner plays itself are two tables: what the runner's own user server or
// simulated regions met is never the target's pass.
import { requirementChapter } from '../runner/requirement-roles.ts'
import { playedBy, type Check, type RunResult } from '../runner/results.ts'
import type { PlayedBy } from '../runner/attribution.ts'

export type Cell = { pass: number, fail: number, other: number }

export type RoleTable = {
  /** Chapters with at least one check, in spec order ("05 leases"). */
  chapters: string[]
  /** Role → chapter → counts. A check with requirements in two chapters counts once in each. */
  rows: Record<PlayedBy, Record<string, Record<string, Cell>>>
  /** Per player: checks, and requirements with at least one passing check of that player. */
  totals: Record<PlayedBy, Cell & { requirementsPassed: number }>
}

const bucket = (c: Check): keyof Cell => c.status === 'pass' ? 'pass' : c.status === 'fail' || c.status === 'xpass' ? 'fail' : 'other'

export function roleTable (run: RunResult): RoleTable {
  const chapters = new Set<string>()
  const rows: RoleTable['rows'] = { target: {}, runner: {} }
  const totals: RoleTable['totals'] = { target: { pass: 0, fail: 0, other: 0, requirementsPassed: 0 }, runner: { pass: 0, fail: 0, other: 0, requirementsPassed: 0 } }
  const passed: Record<PlayedBy, Set<string>> = { target: new Set(), runner: new Set() }
  for (const f of run.flows) {
    for (const c of f.checks) {
      const by = playedBy(c)
      const b = bucket(c)
      totals[by][b]++
      if (c.status === 'pass') for (const id of c.requirements) passed[c.runnerRequirements?.includes(id) === true ? 'runner' : by].add(id)
      const row = (rows[by][c.role ?? 'unknown'] ??= {})
      for (const chapter of new Set(c.requirements.map(requirementChapter))) {
        chapters.add(chapter)
        const cell = (row[chapter] ??= { pass: 0, fail: 0, other: 0 })
        cell[b]++
      }
    }
  }
  totals.target.requirementsPassed = passed.target.size
  // A requirement passed by the target as well is the target's; the runner's count is what it alone met.
  totals.runner.requirementsPassed = [...passed.runner].filter((id) => !passed.target.has(id)).length
  return { chapters: [...chapters].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })), rows, totals }
}

const cellText = (c: Cell | undefined): string => c === undefined ? '' : `${c.pass}/${c.fail}/${c.other}`

/** Short column heads: the chapter number ("05"), with a legend under the table. */
const head = (chapter: string): string => chapter.split(' ')[0]!

function textRows (table: RoleTable, by: PlayedBy): string[] {
  const roles = Object.keys(table.rows[by]).sort()
  const width = Math.max(18, ...roles.map((r) => r.length + 2))
  const widths = table.chapters.map((ch) => Math.max(head(ch).length, ...roles.map((r) => cellText(table.rows[by][r]![ch]).length)))
  const line = (first: string, cells: string[]): string => (first.padEnd(width) + cells.map((c, i) => c.padStart(widths[i]!)).join('  ')).trimEnd()
  return [line('role', table.chapters.map(head)), ...roles.map((r) => line(r, table.chapters.map((ch) => cellText(table.rows[by][r]![ch]))))]
}

/** The table as text, for the CLI summary and JUnit's system-out. */
export function roleTableText (table: RoleTable): string {
  const t = table.totals
  const out = ['Checks by the role they judge × spec chapter (cells: pass/fail/other)', '', 'Roles of the target:', ...textRows(table, 'target')]
  if (Object.keys(table.rows.target).length === 0) out.push('  (none)')
  if (Object.keys(table.rows.runner).length > 0) {
    out.push('', "Roles the runner plays itself (not the target's results):", ...textRows(table, 'runner'))
  }
  out.push('', `chapters: ${table.chapters.join(' · ')}`,
    `target: ${t.target.pass} pass, ${t.target.fail} fail, ${t.target.other} other; ${t.target.requirementsPassed} requirements passed`,
    `runner's own roles: ${t.runner.pass} pass, ${t.runner.fail} fail, ${t.runner.other} other; ${t.runner.requirementsPassed} requirements met only by them`)
  return out.join('\n')
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function htmlTable (table: RoleTable, by: PlayedBy): string {
  const roles = Object.keys(table.rows[by]).sort()
  const th = table.chapters.map((ch) => `<th title="${esc(ch)}">${esc(head(ch))}</th>`).join('')
  const rows = roles.map((r) => `<tr><th>${esc(r)}</th>${table.chapters.map((ch) => `<td>${cellText(table.rows[by][r]![ch])}</td>`).join('')}</tr>`)
  return `<table class="roles-${by}"><tr><th>role</th>${th}</tr>${rows.join('')}</table>`
}

/** The tables as HTML: the target's, then the runner's own under their own heading. */
export function roleTableHtml (table: RoleTable): string {
  const t = table.totals
  return '<h2>Roles × chapters</h2><p>Cells: pass/fail/other checks judging that role.</p><h3>Roles of the target</h3>' + htmlTable(table, 'target') +
    `<p>target: ${t.target.pass} pass, ${t.target.fail} fail, ${t.target.other} other; ${t.target.requirementsPassed} requirements passed</p>` +
    "<h3>Roles the runner plays itself (not the target's results)</h3>" + htmlTable(table, 'runner') +
    `<p>runner's own roles: ${t.runner.pass} pass, ${t.runner.fail} fail, ${t.runner.other} other; ${t.runner.requirementsPassed} requirements met only by them</p>` +
    `<p>${table.chapters.map(esc).join(' · ')}</p>`
}
