// A valid request for an operation, generated from its schemas by json-schema-faker, with the
// ids of things that exist put where the contract names them (userId, offerId, ...). The
// hostile inputs are this request spoiled in one way each, so an invalid request that slipped
// through would act on something real.
import { generateSync, type JsonSchema } from 'json-schema-faker'
import type { Operation } from '../../reference/lib/contract/operations.ts'
import type { OperationSchemas, Schema } from './operation-schemas.ts'

export type ValidInput = {
  path: Record<string, string>
  query: Record<string, string>
  headers: Record<string, string>
  body?: unknown
}

/** Header parameters that the signature code sets, never generated. */
export const SIGNATURE_HEADERS = new Set(['signature-input', 'content-digest', 'signature'])

export function generate (schema: Schema, seed: number): unknown {
  // Few items: a valid request stays small (a batch of 500 notices would be over 64 KiB).
  return generateSync(schema as JsonSchema, { seed, optionalsProbability: 0.5, maxItems: 3 })
}

/** Top-level members named like an id we hold take that id, as long as the body stays valid. */
function withIds (op: Operation, body: unknown, ids: Record<string, string>): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body
  const out: Record<string, unknown> = { ...body as Record<string, unknown> }
  for (const key of Object.keys(out)) {
    if (ids[key] === undefined) continue
    const before = out[key]
    out[key] = ids[key]
    if (op.requestBody?.(out) !== true) out[key] = before
  }
  return out
}

export function validInput (op: Operation, schemas: OperationSchemas, ids: Record<string, string>, seed: number): ValidInput {
  const input: ValidInput = { path: {}, query: {}, headers: {} }
  for (const p of schemas.params) {
    if (p.in === 'path') input.path[p.name] = ids[p.name] ?? String(generate(p.schema, seed))
    // Optional parameters stay out: a valid `wait` would hold the request open (clientListEvents).
    else if (p.in === 'query' && p.required) input.query[p.name] = String(generate(p.schema, seed))
    // A header's example is what a real client sends (a WebSocket handshake); a generated
    // Connection value would not even be one.
    else if (p.in === 'header' && p.required && !SIGNATURE_HEADERS.has(p.name.toLowerCase())) input.headers[p.name] = String(p.example ?? generate(p.schema, seed))
  }
  if (schemas.body !== undefined) {
    let body = generate(schemas.body, seed)
    for (let attempt = 1; op.requestBody?.(body) !== true && attempt < 5; attempt++) body = generate(schemas.body, seed + attempt)
    input.body = withIds(op, body, ids)
  }
  return input
}
