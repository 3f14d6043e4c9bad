// Loads an OpenAPI document from openapi/ and bundles it: every reference into another file
// (`./components/common.yaml#/components/schemas/X`) is copied into this document's own
// components under the same name, so the result is self-contained (`#/components/...` only).
import { readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CACHE_ROOT, keptJson, packageVersions, sha, useFolder } from './cache-files.ts'
import { parseYaml } from '../read-yaml.ts'

export const OPENAPI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../openapi')

/** The HTTP interfaces of GridIM, one OpenAPI document each. */
export const DOCUMENTS = ['user-server', 'region', 'client', 'admin', 'gateway'] as const
export type DocumentName = typeof DOCUMENTS[number]

export type OpenApiDocument = {
  openapi: string
  info: { title: string, version: string }
  paths: Record<string, Record<string, any>>
  components?: Record<string, Record<string, any>>
  [key: string]: unknown
}

const cache = new Map<string, OpenApiDocument>()

export function loadDocument (name: DocumentName, dir = OPENAPI_DIR): OpenApiDocument {
  const file = resolve(dir, `${name}.yaml`)
  let doc = cache.get(file)
  if (doc === undefined) {
    doc = keptBundle(file)
    cache.set(file, doc)
  }
  return doc
}

/** Changed whenever what bundle() makes of the files changes (the files themselves are hashed). */
const RECIPE = 1

/** Each folder's kept bundles (cache-files.ts), under a hash of every YAML file in it: worked out once per process. */
const keptFolders = new Map<string, string>()

function yamlFilesUnder (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory()
    ? yamlFilesUnder(join(dir, e.name))
    : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []).sort()
}

/** Where bundle(file) is kept: a folder named by the hash of every YAML file beside it (their paths relative to it, and texts). */
export function keptBundleFile (file: string): string {
  const dir = dirname(file)
  let folder = keptFolders.get(dir)
  if (folder === undefined) {
    const files = yamlFilesUnder(dir)
    folder = useFolder(join(CACHE_ROOT, 'openapi'), sha(JSON.stringify([RECIPE, packageVersions('js-yaml'), files.map((f) => [relative(dir, f), readFileSync(f, 'utf8')])])))
    keptFolders.set(dir, folder)
  }
  return join(folder, `${basename(file, '.yaml')}.json`)
}

/**
 * bundle(file), kept between processes: parsing the YAML costs ~0.2 s of CPU at the start of
 * every process (a test file, a `gridim` role, the runner), reading the result back milliseconds.
 * References stay inside the document's folder, so its YAML files are all a bundle depends on.
 */
function keptBundle (file: string): OpenApiDocument {
  return keptJson(keptBundleFile(file), () => bundle(file))
}

/**
 * The documents this thread has loaded, by file, for another thread to adopt (structured-cloneable
 * data): reading them costs each thread ~0.02 s of CPU once kept (keptBundle), ~0.3 s the first time.
 */
export function loadedDocuments (): Record<string, OpenApiDocument> {
  return Object.fromEntries(cache)
}

/**
 * Takes documents another thread loaded (loadedDocuments) as this thread's own, before it loads
 * any: a conformance run's worker threads read the same files as the thread that starts them.
 */
export function adoptDocuments (documents: Record<string, OpenApiDocument>): void {
  for (const [file, doc] of Object.entries(documents)) if (!cache.has(file)) cache.set(file, doc)
}

function readYaml (file: string): any {
  return parseYaml(readFileSync(file, 'utf8'), file)
}

function bundle (file: string): OpenApiDocument {
  const root = readYaml(file) as OpenApiDocument
  const files = new Map<string, any>([[file, root]])
  const load = (f: string): any => {
    if (!files.has(f)) files.set(f, readYaml(f))
    return files.get(f)
  }
  root.components ??= {}

  // Copy `pointer` from `source` into root.components (same kind and name), once.
  const adopt = (source: string, pointer: string): string => {
    const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    if (parts[0] !== 'components' || parts.length !== 3) {
      throw new Error(`${file}: only references to components are supported, got ${source}#${pointer}`)
    }
    const [, kind, name] = parts as [string, string, string]
    const target = (root.components![kind] ??= {})
    if (!(name in target)) {
      const value = load(source).components?.[kind]?.[name]
      if (value === undefined) throw new Error(`${file}: unresolved reference ${source}#${pointer}`)
      target[name] = structuredClone(value)
      target[name] = walk(target[name], source)
    }
    return `#/components/${kind}/${name}`
  }

  const walk = (node: any, base: string): any => {
    if (Array.isArray(node)) return node.map((item) => walk(item, base))
    if (node === null || typeof node !== 'object') return node
    const out: Record<string, any> = {}
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const [path, pointer = ''] = value.split('#')
        const source = path === '' ? base : resolve(dirname(base), path!)
        out[key] = source === file ? `#${pointer}` : adopt(source, pointer)
      } else {
        out[key] = walk(value, base)
      }
    }
    return out
  }

  const bundled = walk(root, file) as OpenApiDocument
  bundled.components = root.components
  return bundled
}
