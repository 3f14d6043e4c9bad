// Ajv's validators for the contracts' schemas, kept between processes. Compiling them costs
// ~2 s of CPU in every thread that validates messages (a conformance run has one per core, and
// every test file its own); loading the code Ajv generated for a schema (its standalone form,
// ajv/dist/standalone) costs a parse. Each validator is a file named by a hash of everything
// its code depends on: the schema, the definitions its `$ref`s reach, the Ajv and ajv-formats
// versions and the options. Files live beside the packages (node_modules/.cache/gridim), as the
// command bundles do (tools/bin/bundle.js); where they cannot be written, every process compiles.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { ValidateFunction } from 'ajv'
import standaloneCode from 'ajv/dist/standalone/index.js'
import { CACHE_ROOT, packageVersions, readCached, sha, useFolder, writeCached } from './cache-files.ts'
import { createAjv, type Ajv } from './ajv.ts'

const require = createRequire(import.meta.url)

/** Changed whenever the way validators are generated or loaded changes, so older files are not used. */
const RECIPE = 1

/** What a validator's code depends on beside its schemas: this module's recipe and the packages that generate it. */
export const VALIDATOR_VERSIONS = `${RECIPE} ${packageVersions('ajv', 'ajv-formats')}`

const ROOT = join(CACHE_ROOT, 'validators')

/** Folders used in this thread, by their definitions: each hashed once. */
const folders = new Map<string, string>()

function folderFor (definitions: string): string {
  let dir = folders.get(definitions)
  if (dir === undefined) {
    dir = useFolder(ROOT, sha(`${VALIDATOR_VERSIONS}\n${definitions}`))
    folders.set(definitions, dir)
  }
  return dir
}

/** Where the validator of `schema` with `definitions` is kept. */
export function validatorFile (definitions: string, schema: unknown): string {
  return join(folderFor(definitions), `${sha(JSON.stringify(schema))}.cjs`)
}

function load (file: string, schema: unknown): ValidateFunction | undefined {
  const code = readCached(file)
  if (code === undefined) return undefined
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
  writeCached(file, standaloneCode.default(instance, validate))
  return validate
}

/**
 * The validator of a schema that refers to nothing outside itself (a TypeBox schema: the
 * stanzas', the client stream's frames, the flows'), kept like the contracts' (cachedValidator).
 * Symbol-keyed members (TypeBox's) are not part of it. Each one not kept yet is compiled by an
 * Ajv of its own: two callers in one thread may compile the same schema, `$id` and all.
 */
export function cachedSelfContained (schema: object): ValidateFunction {
  const json = JSON.stringify(schema)
  // A folder of its own, named by the schema: one edited since goes with the hour's pruning.
  return cachedValidator(json, JSON.parse(json) as object, () => createAjv({ standalone: true }))
}
