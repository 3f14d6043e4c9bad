// Files kept between processes under node_modules/.cache/gridim (beside the packages, as the
// command bundles of tools/bin/bundle.js): what every process would otherwise compute again
// from the same input (the validators, the bundled OpenAPI documents, the parsed flows). Each
// file is named by a hash of everything it is derived from: the inputs, the versions of the
// packages that make it (packageVersions) and a RECIPE number that its module bumps whenever its
// own way of making it changes. Deleting the folder is always safe; where nothing can be
// written, every process computes.
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/** node_modules/.cache/gridim, beside the packages this process loads. */
export const CACHE_ROOT = join(dirname(dirname(require.resolve('ajv/package.json'))), '.cache/gridim')

/** How long a folder no longer in use is kept (see useFolder). */
const KEEP_UNUSED_MS = 3_600_000

/** Parents whose unused folders this process has pruned: once each is enough. */
const pruned = new Set<string>()

export const sha = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32)

/** "name version" of each package, as installed here: part of the name of what they make. */
export function packageVersions (...names: string[]): string {
  return names.map((name) => `${name} ${(require(`${name}/package.json`) as { version: string }).version}`).join(' ')
}

/**
 * `parent/name`, made if need be and marked in use; the first time a process uses `parent`, the
 * other folders there unused for an hour go (they were derived from inputs that have changed since).
 */
export function useFolder (parent: string, name: string): string {
  const dir = join(parent, name)
  try {
    mkdirSync(dir, { recursive: true })
    // In use: its time is what keeps it from the pruning below, by other processes.
    const now = new Date()
    utimesSync(dir, now, now)
    if (!pruned.has(parent)) {
      pruned.add(parent)
      for (const other of readdirSync(parent)) {
        if (other !== name && Date.now() - statSync(join(parent, other)).mtimeMs > KEEP_UNUSED_MS) rmSync(join(parent, other), { recursive: true, force: true })
      }
    }
  } catch {
    // Read-only: files are neither kept nor found, and every process computes.
  }
  return dir
}

/** The file's text, or undefined when there is none (or it cannot be read). */
export function readCached (file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * The JSON kept in `file`, or, when there is none (or it does not read), what `make` gives, kept
 * there for the next process.
 */
export function keptJson<T> (file: string, make: () => T): T {
  const text = readCached(file)
  if (text !== undefined) {
    try {
      return JSON.parse(text) as T
    } catch {
      // Not what writeCached wrote: made again below, and kept anew.
    }
  }
  const made = make()
  writeCached(file, JSON.stringify(made))
  return made
}

/** Writes the file whole or not at all (a reader never sees half of it); gives up quietly. */
export function writeCached (file: string, text: string): void {
  try {
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`
    writeFileSync(temporary, text)
    renameSync(temporary, file)
  } catch {
    // Not kept: the next process computes it again.
  }
}
