// In the repository the sources are TypeScript. Loading them through tsx's hooks costs each
// thread ~3.5 s of CPU and ~2 s before its first line runs (every module resolved and loaded by
// messages to a loader thread); a conformance run has three such threads. Instead, an entry
// module and everything it imports from the repository are bundled into one ES module by esbuild
// (a devDependency, ~0.4 s) and cached in node_modules/.cache/gridim/ until one of those files
// changes: the thread then loads one plain JavaScript file (~0.7 s). Packages stay external and
// load as they are. Each file keeps its own `import.meta.url`, found from the bundle's own URL:
// paths found from it (the OpenAPI documents, the spec) are those of the sources. A bundle's name
// hashes the checkout's folder, so a moved or copied checkout builds its own (once). A checkout whose node_modules is a link to
// another's (git worktrees sharing one install) shares that cache: its bundles are named after
// its own folder too, and a file's place is taken from the cache's real path, where Node finds
// the bundle, so that neither checkout ever runs the other's sources. Coverage is collected per source file, so a
// process that collects it (NODE_V8_COVERAGE, as tap sets) is not given a bundle; nor is one
// where a bundle cannot be built or cached (it says why, once): the caller then uses tsx.
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const CACHE = join(ROOT, 'node_modules/.cache/gridim')
/** Changed whenever the way bundles are built changes, so that older ones are not used. */
const RECIPE = 2
/** Files esbuild reads besides the sources: a change to one builds again. */
const SETTINGS = ['tsconfig.json', 'package.json']
/** The bundle's own URL, in the banner: each file's `import.meta.url` is found from it. */
const BUNDLE_URL = '__gridimBundleUrl'
/** What `import.meta.url` becomes in each file: a module-level constant the plugin puts first. */
const OWN_URL = '__gridimOwnUrl'

/** A file's size and modification time, as recorded with a bundle. */
function stamp (file) {
  const s = statSync(file)
  return [s.size, s.mtimeMs]
}

/**
 * Gives every repository file its own `import.meta.url` (a bundle otherwise shares its own), as
 * a real expression, not by rewriting the text: `define` turns the expression into a constant the
 * file declares first, found relative to the bundle. Records each file's stamp as it reads it.
 */
function ownImportMetaUrl (stamps, cacheReal) {
  return {
    name: 'own-import-meta-url',
    setup (build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        if (args.path.includes(`${'/'}node_modules${'/'}`)) return undefined
        stamps.set(args.path, stamp(args.path))
        const text = await readFile(args.path, 'utf8')
        // From the folder Node loads the bundle from: the cache's real path (Node resolves links).
        const fromBundle = relative(cacheReal, realpathSync(args.path)).split('\\').join('/')
        const loader = /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js'
        // One line, so that the file's own lines keep their numbers in the source map.
        return { contents: `const ${OWN_URL} = new URL(${JSON.stringify(fromBundle)}, ${BUNDLE_URL}).href; ${text}`, loader }
      })
    }
  }
}

/** Whether the bundle recorded in `inputsFile` was built from the files as they are now. */
function unchanged (inputsFile, version) {
  let recorded
  try {
    recorded = JSON.parse(readFileSync(inputsFile, 'utf8'))
  } catch {
    return false
  }
  if (recorded.recipe !== RECIPE || recorded.esbuild !== version) return false
  for (const [file, [size, mtimeMs]] of Object.entries(recorded.inputs)) {
    try {
      const [nowSize, nowMtimeMs] = stamp(join(ROOT, file))
      if (nowSize !== size || nowMtimeMs !== mtimeMs) return false
    } catch {
      return false
    }
  }
  return true
}

/**
 * The URL of a bundle of `entry` (the URL of a `.ts` file of the repository), built if none is
 * cached or one of its files changed since; undefined when bundles are not to be used here
 * (coverage is being collected, GRIDIM_NO_BUNDLE is set, esbuild is not installed, or the bundle
 * could not be built or cached): the caller then loads the sources through tsx.
 */
export async function bundled (entry) {
  if (process.env.NODE_V8_COVERAGE || process.env.GRIDIM_NO_BUNDLE) return undefined
  const source = fileURLToPath(entry)
  // One build per entry in a process, however many ask at once (a run's lanes start together).
  let building = builds.get(source)
  if (building === undefined) {
    building = bundle(source).catch((err) => {
      process.stderr.write(`gridim: running the sources through tsx: no bundle of ${relative(ROOT, source)} (${err.message.split('\n')[0]})\n`)
      return undefined
    })
    builds.set(source, building)
    building.finally(() => builds.delete(source)).catch(() => {})
  }
  return await building
}

/** Bundles being built by this process, by entry file. */
const builds = new Map()

async function bundle (source) {
  const relativeSource = relative(ROOT, source)
  // A readable name, and a hash of the path so that `a/b~c.ts` and `a~b/c.ts` differ, and of the
  // checkout's folder, for checkouts that share one cache through a linked node_modules.
  const name = `${relativeSource.replace(/\.ts$/, '').replace(/[\\/]/g, '~')}-${createHash('sha256').update(`${realpathSync(ROOT)}\0${relativeSource}`).digest('hex').slice(0, 8)}`
  const out = join(CACHE, `${name}.mjs`)
  const inputsFile = join(CACHE, `${name}.inputs.json`)
  let esbuild
  try {
    esbuild = await import('esbuild')
  } catch {
    return undefined
  }
  if (unchanged(inputsFile, esbuild.version)) return pathToFileURL(out)
  mkdirSync(CACHE, { recursive: true })
  removeLeftovers()
  // Written under names of its own and renamed into place: processes starting together (a test
  // starting regions) may build the same bundle at once, and none reads a half-written one.
  const tmp = `${out}.${randomBytes(6).toString('hex')}.tmp.mjs`
  const stamps = new Map()
  for (const file of SETTINGS) stamps.set(join(ROOT, file), stamp(join(ROOT, file)))
  const cacheReal = realpathSync(CACHE)
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
    banner: { js: `const ${BUNDLE_URL} = import.meta.url;` },
    define: { 'import.meta.url': OWN_URL },
    plugins: [ownImportMetaUrl(stamps, cacheReal)]
  })
  const inputs = {}
  let editedMeanwhile = false
  for (const file of Object.keys(result.metafile.inputs).map((f) => join(ROOT, f)).concat(SETTINGS.map((f) => join(ROOT, f)))) {
    const read = stamps.get(file) ?? stamp(file)
    const [size, mtimeMs] = stamp(file)
    inputs[relative(ROOT, file)] = read
    editedMeanwhile ||= size !== read[0] || mtimeMs !== read[1]
  }
  // A file saved while the bundle was built may or may not be in it: this process uses what it
  // built, the cache keeps what it had, and the next start builds again.
  if (editedMeanwhile) return pathToFileURL(tmp)
  renameSync(tmp, out)
  writeFileSync(`${tmp}.json`, JSON.stringify({ recipe: RECIPE, esbuild: esbuild.version, inputs }))
  renameSync(`${tmp}.json`, inputsFile)
  return pathToFileURL(out)
}

/** Bundles built while a file changed, or left by a build that was interrupted, an hour on. */
function removeLeftovers () {
  for (const file of readdirSync(CACHE)) {
    if (!/\.tmp\.mjs(\.json)?$/.test(file)) continue
    try {
      if (Date.now() - statSync(join(CACHE, file)).mtimeMs > 3_600_000) rmSync(join(CACHE, file), { force: true })
    } catch {}
  }
}
