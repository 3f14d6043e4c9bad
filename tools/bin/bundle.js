// In the repository the sources are TypeScript. Loading them through tsx's hooks costs each
// thread ~3.5 s of CPU and ~2 s before its first line runs (every module resolved and loaded by
// messages to a loader thread); a conformance run has three such threads. Instead, an entry
// module and everything it imports from the repository are bundled into one ES module by esbuild
// (a devDependency, ~0.4 s) and cached in node_modules/.cache/gridim/ until one of those files
// changes: the thread then loads one plain JavaScript file (~0.7 s). Packages stay external and
// load as they are. Each file keeps its own `import.meta.url`, so paths found from it (the
// OpenAPI documents, the spec) are those of the sources. Coverage is collected per source file,
// so a process that collects it (NODE_V8_COVERAGE, as tap sets) is not given a bundle.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const CACHE = join(ROOT, 'node_modules/.cache/gridim')
/** Changed whenever the way bundles are built changes, so that older ones are not used. */
const RECIPE = 1

/** Gives every repository file its own `import.meta.url` (a bundle otherwise shares its own). */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup (build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      if (args.path.includes(`${'/'}node_modules${'/'}`)) return undefined
      const text = await readFile(args.path, 'utf8')
      const loader = /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js'
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader }
    })
  }
}

/** The files a bundle was built from, each with its size and modification time. */
function unchanged (inputsFile) {
  let recorded
  try {
    recorded = JSON.parse(readFileSync(inputsFile, 'utf8'))
  } catch {
    return false
  }
  if (recorded.recipe !== RECIPE) return false
  for (const [file, [size, mtimeMs]] of Object.entries(recorded.inputs)) {
    try {
      const s = statSync(join(ROOT, file))
      if (s.size !== size || s.mtimeMs !== mtimeMs) return false
    } catch {
      return false
    }
  }
  return true
}

/**
 * The URL of a bundle of `entry` (the URL of a `.ts` file of the repository), built if none is
 * cached or one of its files changed since; undefined when bundles are not to be used here
 * (coverage is being collected, GRIDIM_NO_BUNDLE is set, or esbuild is not installed): the
 * caller then loads the sources through tsx.
 */
export async function bundled (entry) {
  if (process.env.NODE_V8_COVERAGE || process.env.GRIDIM_NO_BUNDLE) return undefined
  const source = fileURLToPath(entry)
  // One build per entry in a process, however many ask at once (a run's lanes start together).
  let building = builds.get(source)
  if (building === undefined) {
    building = bundle(source)
    builds.set(source, building)
    building.finally(() => builds.delete(source)).catch(() => {})
  }
  return await building
}

/** Bundles being built by this process, by entry file. */
const builds = new Map()

async function bundle (source) {
  const name = relative(ROOT, source).replace(/\.ts$/, '').replace(/[\\/]/g, '~')
  const out = join(CACHE, `${name}.mjs`)
  const inputsFile = join(CACHE, `${name}.inputs.json`)
  if (unchanged(inputsFile)) return pathToFileURL(out)
  let esbuild
  try {
    esbuild = await import('esbuild')
  } catch {
    return undefined
  }
  mkdirSync(CACHE, { recursive: true })
  // Written under names of its own and renamed into place: processes starting together (a test
  // starting regions) may build the same bundle at once, and none reads a half-written one.
  const tmp = `${out}.${randomBytes(6).toString('hex')}`
  const started = Date.now()
  const result = await esbuild.build({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: tmp,
    sourcemap: 'inline',
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
    plugins: [ownImportMetaUrl]
  })
  const inputs = {}
  let editedMeanwhile = false
  for (const file of Object.keys(result.metafile.inputs)) {
    const s = statSync(join(ROOT, file))
    inputs[file] = [s.size, s.mtimeMs]
    editedMeanwhile ||= s.mtimeMs >= started
  }
  renameSync(tmp, out)
  // A file saved while the bundle was built may or may not be in it: the next start builds again.
  if (editedMeanwhile) return pathToFileURL(out)
  writeFileSync(`${tmp}.json`, JSON.stringify({ recipe: RECIPE, inputs }))
  renameSync(`${tmp}.json`, inputsFile)
  return pathToFileURL(out)
}
