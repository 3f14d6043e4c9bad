// Interop results (issue 12): each interop test records, feature by feature, what it asserted
// and saw pass, writes reference/gateway/interop/<client>-<via>.json, and fails when the fresh
// results differ from the committed file — so a "works" in the README's table (rendered by
// tools/generate/interop-table.ts) is always one a test earned, never one typed by hand.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const INTEROP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../reference/gateway/interop')

/** The shared vocabulary: every results file names its features from this list only. */
export const FEATURES = [
  'login', 'roster', 'presence', 'chat to grid', 'chat from grid', 'chat states', 'first contact',
  'add contact', 'accept offer', 'group room', 'room messages', 'leave room', 'end friendship',
  'one-shot message'
] as const
export type Feature = typeof FEATURES[number]
export type Outcome = 'works' | 'fails' | 'not tested'
export const TRANSPORTS = ['c2s', 'BOSH', 'WebSocket'] as const

export interface InteropResults {
  client: string
  via: string
  transport: typeof TRANSPORTS[number]
  features: Partial<Record<Feature, Outcome>>
}

export class InteropRecorder {
  readonly results: InteropResults

  /** `features`: what the test sets out to check, all "not tested" until a step passes. */
  constructor (readonly file: string, header: Omit<InteropResults, 'features'>, features: readonly Feature[]) {
    this.results = { ...header, features: Object.fromEntries(features.map((f) => [f, 'not tested' as Outcome])) }
  }

  /** Runs one step; the feature works if it passes and fails if it throws (and rethrows). */
  async step<T> (feature: Feature, run: () => Promise<T>): Promise<T> {
    if (!(feature in this.results.features)) throw new Error(`feature "${feature}" was not declared for ${this.file}`)
    try {
      const value = await run()
      if (this.results.features[feature] !== 'fails') this.results.features[feature] = 'works'
      return value
    } catch (error) {
      this.results.features[feature] = 'fails'
      throw error
    }
  }

  /** Writes the fresh results; returns the committed file's content for comparison (or null). */
  write (dir = INTEROP_DIR): { committed: string | null, fresh: string } {
    const path = resolve(dir, this.file)
    let committed: string | null = null
    try { committed = readFileSync(path, 'utf8') } catch {}
    const fresh = JSON.stringify(this.results, null, 2) + '\n'
    if (fresh !== committed) {
      // Whole or not at all (a new name, then a rename): the generate test may read it meanwhile.
      mkdirSync(dir, { recursive: true })
      const partial = `${path}.${process.pid}.tmp`
      writeFileSync(partial, fresh)
      renameSync(partial, path)
    }
    return { committed, fresh }
  }
}

/** Reads and checks one results file: known transport, known features, known outcomes. */
export function parseResults (text: string, name: string): InteropResults {
  const data = JSON.parse(text) as InteropResults
  const problems: string[] = []
  if (typeof data.client !== 'string' || data.client === '') problems.push('client must be a non-empty string')
  if (typeof data.via !== 'string' || data.via === '') problems.push('via must be a non-empty string')
  if (!(TRANSPORTS as readonly string[]).includes(data.transport)) problems.push(`transport must be one of ${TRANSPORTS.join(', ')}`)
  if (typeof data.features !== 'object' || data.features === null) problems.push('features must be an object')
  else {
    for (const [feature, outcome] of Object.entries(data.features)) {
      if (!(FEATURES as readonly string[]).includes(feature)) problems.push(`unknown feature "${feature}"`)
      if (!['works', 'fails', 'not tested'].includes(outcome as string)) problems.push(`feature "${feature}": unknown outcome "${String(outcome)}"`)
    }
  }
  if (problems.length > 0) throw new Error(`${name}: ${problems.join('; ')}`)
  return data
}
