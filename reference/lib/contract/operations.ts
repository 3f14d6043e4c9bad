// The operations of a bundled OpenAPI document, with ready-compiled validators for their
// parameters, request bodies and responses. Reference servers validate at the edge with
// these; the conformance runner checks the traffic it sees with the same ones.
import type { ValidateFunction } from 'ajv'
import { createAjv, type Ajv } from './ajv.ts'
import { DOCUMENTS, loadDocument, type DocumentName, type OpenApiDocument } from './load-openapi.ts'
import { cachedValidator } from './validator-cache.ts'

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const

export type Operation = {
  document: DocumentName
  operationId: string
  method: string
  path: string
  /** hapi path syntax: `/users/{userId}` is the same in both. */
  security: string[]
  requestBody?: ValidateFunction
  requestContentType?: string
  params: Record<'path' | 'query' | 'header', Array<{ name: string, required: boolean, validate: ValidateFunction }>>
  responses: Map<string, { contentType?: string, validate?: ValidateFunction }>
}

const ajvByDoc = new Map<DocumentName, Ajv>()

/** `#/components/schemas/X` → the schema registered for that document. */
function schemaId (doc: DocumentName): string {
  return `urn:gridim:openapi:${doc}`
}

function rewriteRefs (node: any, base: string): any {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, base))
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, any> = {}
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
      ? `${base}#/$defs/${v.slice('#/components/schemas/'.length)}`
      : rewriteRefs(v, base)
  }
  return out
}

/** What a document registers with its Ajv: its components' schemas, where every `$ref` points. */
const definitionsByDoc = new Map<DocumentName, { schema: object, json: string }>()

function definitions (doc: DocumentName): { schema: object, json: string } {
  let defs = definitionsByDoc.get(doc)
  if (defs === undefined) {
    const schema = { $id: schemaId(doc), $defs: rewriteRefs(loadDocument(doc).components?.schemas ?? {}, schemaId(doc)) }
    defs = { schema, json: JSON.stringify(schema) }
    definitionsByDoc.set(doc, defs)
  }
  return defs
}

export function ajvFor (doc: DocumentName): Ajv {
  let ajv = ajvByDoc.get(doc)
  if (ajv === undefined) {
    ajv = createAjv({ standalone: true })
    ajv.addSchema(definitions(doc).schema)
    ajvByDoc.set(doc, ajv)
  }
  return ajv
}

/**
 * The validator of a schema taken from `doc` (its `$ref`s point into the document's components):
 * compiled once, then loaded by later processes (validator-cache.ts).
 */
export function compileSchema (doc: DocumentName, schema: unknown): ValidateFunction {
  return cachedValidator(definitions(doc).json, rewriteRefs(schema, schemaId(doc)), () => ajvFor(doc))
}

/**
 * Adds `key` to `target` as a value computed on first read and kept. Compiling every schema of
 * every document up front costs seconds; a server or test uses a few operations.
 */
function lazily<T extends object, K extends string, V> (target: T, key: K, compute: () => V): T & Record<K, V> {
  let done = false
  let value: V
  return Object.defineProperty(target, key, {
    enumerable: true,
    get: () => {
      if (!done) { value = compute(); done = true }
      return value
    }
  }) as T & Record<K, V>
}

function deref (doc: OpenApiDocument, node: any): any {
  while (node && typeof node.$ref === 'string') {
    const parts = node.$ref.slice(2).split('/')
    node = parts.reduce((acc: any, key: string) => acc?.[key], doc)
  }
  return node
}

function firstContent (content: Record<string, any> | undefined): [string, any] | undefined {
  if (!content) return undefined
  const entries = Object.entries(content)
  return entries.find(([type]) => type.includes('json')) ?? entries[0]
}

/**
 * Each document's operations, built once per thread: their validators are compiled on first use
 * and then shared by every server, client and runner part of the thread that uses them (a
 * conformance run starts dozens of servers per thread; compiling the same schemas for each cost
 * seconds of CPU). Validators are pure functions, so sharing them is safe.
 */
const operationsByDoc = new Map<DocumentName, readonly Operation[]>()

export function listOperations (name: DocumentName): Operation[] {
  let operations = operationsByDoc.get(name)
  if (operations === undefined) {
    operations = buildOperations(name)
    operationsByDoc.set(name, operations)
  }
  return [...operations]
}

function buildOperations (name: DocumentName): Operation[] {
  const doc = loadDocument(name)
  const out: Operation[] = []
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method]
      if (!op) continue
      const params: Operation['params'] = { path: [], query: [], header: [] }
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const p = deref(doc, raw)
        if (p.in in params) {
          params[p.in as 'path'].push(lazily({ name: p.name, required: p.required === true }, 'validate', () => compileSchema(name, p.schema ?? {})))
        }
      }
      const body = deref(doc, op.requestBody)
      const [requestContentType, media] = firstContent(body?.content) ?? []
      const responses = new Map<string, { contentType?: string, validate?: ValidateFunction }>()
      for (const [status, rawResponse] of Object.entries(op.responses ?? {})) {
        const [contentType, m] = firstContent(deref(doc, rawResponse)?.content) ?? []
        responses.set(status, lazily({ contentType }, 'validate', () =>
          m?.schema && contentType?.includes('json') ? compileSchema(name, m.schema) : undefined))
      }
      const security = (op.security ?? doc.security ?? []) as Array<Record<string, unknown>>
      out.push(lazily({
        document: name,
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        security: security.flatMap((s) => Object.keys(s)),
        requestContentType,
        params,
        responses
      }, 'requestBody', () => media?.schema && requestContentType?.includes('json') ? compileSchema(name, media.schema) : undefined))
    }
  }
  return out
}

/** Every operation of every GridIM document, by operationId. */
export function allOperations (): Map<string, Operation> {
  const map = new Map<string, Operation>()
  for (const doc of DOCUMENTS) for (const op of listOperations(doc)) map.set(op.operationId, op)
  return map
}
