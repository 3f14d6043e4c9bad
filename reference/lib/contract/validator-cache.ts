// Ajv's validators for the contracts' schemas, kept between processes. Compiling them costs
// ~2 s of CPU in every thread that validates messages (a conformance run has one per core, and
// every test file its own); loading the code Ajv generated for a schema (its standalone form,
// ajv/dist/standalone) costs a parse. Each validator is a file named by a hash of everything
// its code depends on: the schema, the definitions its `$ref`s reach, the Ajv and ajv-formats
// versions and the options. Files live beside the packages (node_modules/.cache/gridim), as the
// command bundles do (tools/bin/bundle.js); where they cannot be written, every process compiles.
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { ValidateFunction } from 'ajv'
import standaloneCode from 'ajv/dist/standalone/index.js'
import type { Ajv } from './ajv.ts'

const require = createRequire(import.meta.url)

/** Changed whenever the way validators are generated or loaded changes, so older files are not used. */
const RECIPE = 1

const VERSIONS = `${RECIPE} ajv ${(require('ajv/package.json') as { version: string }).version} ajv-formats ${(require('ajv-formats/package.json') as { version: string }).version}`

/** node_modules/.cache/gridim/validators, beside the Ajv this process loads. */
const ROOT = join(dirname(dirname(require.resolve('ajv/package.json'))), '.cache/gridim/validators')

/** How long a folder of validators for definitions no longer in use is kept. */
const KEEP_UNUSED_MS = 3_600_000

const sha = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32)

/** Folders made (and pruned) in this thread, by their definitions: each hashed once. */
const folders = new Map<string, string>()
/** Whether files can be written here; false after the first failure. */
let writable = true

function folderFor (definitions: string): string {
  let dir = folders.get(definitions)
  if (dir === undefined) {
    const name = sha(`${VERSIONS}\n${definitions}`)
    dir = join(ROOT, name)
    folders.set(definitions, dir)
    try {
      mkdirSync(dir, { recursive: true })
      // In use: its time is what keeps it from the pruning below, by other definitions' threads.
      const now = new Date()
      utimesSync(dir, now, now)
      // Folders of earlier definitions (the documents changed since) go once unused for an hour.
      for (const other of readdirSync(ROOT)) {
        if (other !== name && Date.now() - statSync(join(ROOT, other)).mtimeMs > KEEP_UNUSED_MS) rmSync(join(ROOT, other), { recursive: true, force: true })
      }
    } catch {
      writable = false
    }
  }
  return dir
}

/** Where the validator of `schema` with `definitions` is kept. */
export function validatorFile (definitions: string, schema: unknown): string {
  return join(folderFor(definitions), `${sha(JSON.stringify(schema))}.cjs`)
}

function load (file: string, schema: unknown): ValidateFunction | undefined {
  let code: string
  try {
    code = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  try {
    const module = { exports: {} as { default?: ValidateFunction } }
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- Ajv's own generated code, as Ajv itself runs it
    new Function('require', 'module', 'exports', code)(require, module, module.exports)
    const validate = module.exports.default
    if (typeof validate !== 'function') return undefined
    // What Ajv's compiled functions carry and callers read (register-operations.ts: the type).
    return Object.assign(validate, { schema })
  } catch {
    return undefined
  }
}

function save (file: string, code: string): void {
  if (!writable) return
  try {
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`
    writeFileSync(temporary, code)
    renameSync(temporary, file)
  } catch {
    writable = false
  }
}

/**
 * The validator of `schema`, whose `$ref`s reach `definitions` (their JSON, as registered in
 * `ajv()`'s instance): loaded when an earlier process generated it, else compiled with that
 * instance (created only then) and its code kept for the next. The instance must have been made
 * with `code: { source: true }` and the formats' code (ajv.ts, `standalone`).
 */
export function cachedValidator (definitions: string, schema: unknown, ajv: () => Ajv): ValidateFunction {
  const file = validatorFile(definitions, schema)
  const loaded = load(file, schema)
  if (loaded !== undefined) return loaded
  const instance = ajv()
  const validate = instance.compile(schema as object)
  save(file, standaloneCode.default(instance, validate))
  return validate
}
