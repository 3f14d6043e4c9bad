// The interop table in reference/gateway/README.md (issue 12): rendered from the results files the
// interop tests write (reference/gateway/interop/*.json, see tools/interop/results.ts), between
// the markers, so no "works" in it is ever typed by hand. One column per client × server/transport,
// one row per feature.
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { FEATURES, parseResults, type InteropResults } from '../interop/results.ts'
import { header, type Output } from './header.ts'

export const README = 'reference/gateway/README.md'
export const RESULTS_DIR = 'reference/gateway/interop'
export const START = '<!-- interop-table:start -->'
export const END = '<!-- interop-table:end -->'

const CELL = { works: 'works', fails: '**fails**', 'not tested': '—' } as const

/** Every results file in `dir`, checked, in a stable order (client, then via, then transport). */
export function readResults (dir: string): InteropResults[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
  return files.map((f) => parseResults(readFileSync(join(dir, f), 'utf8'), `${RESULTS_DIR}/${f}`))
    .sort((a, b) => a.client.localeCompare(b.client) || a.via.localeCompare(b.via) || a.transport.localeCompare(b.transport))
}

export function renderTable (results: InteropResults[]): string {
  if (results.length === 0) return '_No interop results yet._\n'
  const features = FEATURES.filter((f) => results.some((r) => r.features[f] !== undefined))
  const columns = results.map((r) => `${r.client}<br>${r.via}<br>${r.transport}`)
  const rows = features.map((f) => `| ${f} | ${results.map((r) => CELL[r.features[f] ?? 'not tested']).join(' | ')} |`)
  return [
    `| feature | ${columns.join(' | ')} |`,
    `|---|${results.map(() => '---').join('|')}|`,
    ...rows
  ].join('\n') + '\n'
}

/** The README with the section between the markers replaced; an error if the markers are missing. */
export function withTable (readme: string, table: string): string {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) throw new Error(`${README} needs the markers ${START} and ${END} (in that order)`)
  const section = `${START}\n${header(`${RESULTS_DIR}/*.json (written by the interop tests)`, 'html')}\n${table}`
  return readme.slice(0, start) + section + readme.slice(end)
}

export function generateInteropTable (root: string): Output[] {
  const readme = readFileSync(resolve(root, README), 'utf8')
  return [{ path: README, content: withTable(readme, renderTable(readResults(resolve(root, RESULTS_DIR)))) }]
}
