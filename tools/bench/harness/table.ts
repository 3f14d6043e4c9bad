// Scenario results as tables: plain text for the terminal, Markdown for BENCHMARKS.md.

export type Cell = string | number | boolean | null | undefined
export type Table = { title: string, columns: string[], rows: Cell[][], notes?: string[] }

function text (cell: Cell): string {
  if (cell === null || cell === undefined) return '—'
  if (typeof cell === 'number') {
    if (Number.isNaN(cell)) return '—'
    return Number.isInteger(cell) ? cell.toLocaleString('en-US') : cell.toLocaleString('en-US', { maximumFractionDigits: Math.abs(cell) < 10 ? 3 : 1 })
  }
  return String(cell)
}

const numeric = (cell: Cell): boolean => typeof cell === 'number'

export function formatTable (table: Table): string {
  const cells = table.rows.map((row) => row.map(text))
  const widths = table.columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)))
  const line = (values: string[], alignRight: (i: number) => boolean): string =>
    values.map((v, i) => alignRight(i) ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)).join('  ').trimEnd()
  const out = [table.title, line(table.columns, () => false), widths.map((w) => '-'.repeat(w)).join('  ')]
  for (const [r, row] of cells.entries()) out.push(line(row, (i) => numeric(table.rows[r]![i])))
  for (const note of table.notes ?? []) out.push(`  ${note}`)
  return out.join('\n')
}

export function markdownTable (table: Table): string {
  const escape = (s: string): string => s.replace(/\|/g, '\\|')
  const out = [
    `**${table.title}**`, '',
    `| ${table.columns.map(escape).join(' | ')} |`,
    `|${table.columns.map((_, i) => table.rows.some((row) => numeric(row[i])) ? '---:' : '---').join('|')}|`
  ]
  for (const row of table.rows) out.push(`| ${row.map((c) => escape(text(c))).join(' | ')} |`)
  if (table.notes?.length) out.push('', ...table.notes.map((n) => `- ${n}`))
  return out.join('\n')
}
