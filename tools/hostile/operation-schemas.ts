// The raw JSON Schemas of one operation (parameters and request body), self-contained so that a
// generator can read them: every `#/components/schemas/X` becomes `#/$defs/X`, with the
// document's schemas as `$defs`. The validators stay the reference's own (operations.ts).
import { loadDocument, type DocumentName, type OpenApiDocument } from '../../reference/lib/contract/load-openapi.ts'
import type { Operation } from '../../reference/lib/contract/operations.ts'

export type Schema = Record<string, any>

export type ParameterSchema = { name: string, in: 'path' | 'query' | 'header', required: boolean, schema: Schema, example?: unknown }

export type OperationSchemas = {
  params: ParameterSchema[]
  /** The JSON body's schema; undefined when the operation takes none (or not JSON). */
  body?: Schema
  /** The request's media type as the contract names it first (JSON before others). */
  contentType?: string
  bodyRequired: boolean
}

function deref (doc: OpenApiDocument, node: any): any {
  while (node && typeof node.$ref === 'string') {
    node = node.$ref.slice(2).split('/').reduce((acc: any, key: string) => acc?.[key], doc)
  }
  return node
}

function toDefs (node: any): any {
  if (Array.isArray(node)) return node.map(toDefs)
  if (node === null || typeof node !== 'object') return node
  return Object.fromEntries(Object.entries(node).map(([k, v]) =>
    [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', '#/$defs/') : toDefs(v)]))
}

const defsCache = new Map<DocumentName, Schema>()

function defsOf (name: DocumentName): Schema {
  let defs = defsCache.get(name)
  if (defs === undefined) {
    defs = toDefs(loadDocument(name).components?.schemas ?? {}) as Schema
    defsCache.set(name, defs)
  }
  return defs
}

/** `schema` of document `name`, with that document's schemas as `$defs`. */
export function selfContained (name: DocumentName, schema: Schema): Schema {
  return { ...toDefs(schema), $defs: defsOf(name) }
}

/** Follows `$ref`s (to `$defs`) from `schema` until a schema that says something itself. */
export function resolve (schema: Schema, root: Schema): Schema {
  let node = schema
  for (let hops = 0; typeof node?.$ref === 'string' && hops < 20; hops++) {
    node = root.$defs?.[node.$ref.slice('#/$defs/'.length)] ?? {}
  }
  return node
}

export function schemasOf (op: Operation): OperationSchemas {
  const doc = loadDocument(op.document)
  const item = doc.paths[op.path]!
  const raw = item[op.method.toLowerCase()]
  const params: ParameterSchema[] = []
  for (const p of [...(item.parameters ?? []), ...(raw.parameters ?? [])].map((p: any) => deref(doc, p))) {
    if (p.in === 'path' || p.in === 'query' || p.in === 'header') {
      const example = p.example ?? Object.values(p.examples ?? {}).map((e: any) => deref(doc, e)?.value)[0]
      params.push({ name: p.name, in: p.in, required: p.required === true, schema: selfContained(op.document, p.schema ?? {}), ...(example === undefined ? {} : { example }) })
    }
  }
  const requestBody = deref(doc, raw.requestBody)
  const content: Record<string, any> | undefined = requestBody?.content
  const entries = Object.entries(content ?? {})
  const [contentType, media] = entries.find(([type]) => type.includes('json')) ?? entries[0] ?? []
  return {
    params,
    contentType,
    bodyRequired: requestBody?.required === true,
    ...(media?.schema && contentType?.includes('json') ? { body: selfContained(op.document, media.schema) } : {})
  }
}
