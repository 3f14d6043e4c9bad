// Reads a V8 .cpuprofile (--cpu-prof, or support/cpu-profiler.mjs) and reports where the time
// went: self time per function and per source area (our code by folder, each package, Node's
// internals), so a missed target comes with its top costs.
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { REPO_ROOT } from './processes.ts'

type CallFrame = { functionName: string, url: string, lineNumber: number }
type ProfileNode = { id: number, callFrame: CallFrame, children?: number[] }
type Profile = { nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }

export type Cost = { name: string, ms: number, share: number }
export type ProfileSummary = { file: string, totalMs: number, idleMs: number, functions: Cost[], areas: Cost[] }

/** Where a frame's code lives: a package, a folder of this repository, or Node itself. */
export function areaOf (url: string): string {
  if (url === '') return '(native/V8)'
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`
  const path = url.replace(/^file:\/\//, '')
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  if (pkg) return pkg[1]!
  const rel = relative(REPO_ROOT, path)
  if (!rel.startsWith('..')) return rel.split('/').slice(0, 3).join('/').replace(/\.ts$/, '')
  return path
}

export function summarizeProfile (file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  }
  let totalMs = 0
  let idleMs = 0
  const functions = new Map<string, number>()
  const areas = new Map<string, number>()
  for (const [id, ms] of self) {
    const { callFrame } = byId.get(id)!
    totalMs += ms
    if (callFrame.functionName === '(idle)' || callFrame.functionName === '(program)') { idleMs += callFrame.functionName === '(idle)' ? ms : 0 }
    if (callFrame.functionName === '(idle)') continue
    const where = callFrame.url === '' ? '' : ` ${areaOf(callFrame.url)}:${callFrame.lineNumber + 1}`
    const name = `${callFrame.functionName || '(anonymous)'}${where}`
    functions.set(name, (functions.get(name) ?? 0) + ms)
    const area = callFrame.functionName === '(garbage collector)' ? '(garbage collector)' : areaOf(callFrame.url)
    areas.set(area, (areas.get(area) ?? 0) + ms)
  }
  const busy = totalMs - idleMs
  const rank = (m: Map<string, number>): Cost[] => [...m].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, ms]) => ({ name, ms: Math.round(ms), share: Math.round((ms / busy) * 1000) / 10 }))
  return { file, totalMs: Math.round(totalMs), idleMs: Math.round(idleMs), functions: rank(functions), areas: rank(areas) }
}

export function formatProfile (s: ProfileSummary): string {
  const lines = [`${relative(process.cwd(), s.file)}: ${s.totalMs - s.idleMs} ms busy of ${s.totalMs} ms`, '  by area (self time, % of busy):']
  for (const a of s.areas) lines.push(`    ${String(a.share).padStart(5)} %  ${String(a.ms).padStart(7)} ms  ${a.name}`)
  lines.push('  by function:')
  for (const f of s.functions) lines.push(`    ${String(f.share).padStart(5)} %  ${String(f.ms).padStart(7)} ms  ${f.name}`)
  return lines.join('\n')
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/tools\//, 'tools/'))) {
  for (const file of process.argv.slice(2)) console.log(formatProfile(summarizeProfile(file, 25)) + '\n')
}
