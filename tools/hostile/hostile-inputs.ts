// The invalid inputs for one operation: its valid request spoiled in one way each, chosen by
// fast-check with a fixed seed (so a failure replays) — in the JSON body (json-mutations.ts), in
// a path, query or header parameter, or in the framing: oversize, not JSON, the wrong media
// type, deep nesting, invalid UTF-8. A generated value that the contract's own validator still
// accepts is not invalid, and is not used.
import fc from 'fast-check'
import type { ValidateFunction } from 'ajv'
import type { Operation } from '../../reference/lib/contract/operations.ts'
import { jsonMutations } from './json-mutations.ts'
import type { OperationSchemas } from './operation-schemas.ts'
import { generate, SIGNATURE_HEADERS, type ValidInput } from './valid-input.ts'

/** A request to send: path parameters already encoded as they go on the wire. */
export type HostileInput = {
  kind: string
  path: Record<string, string>
  query: Array<[string, string]>
  headers: Record<string, string>
  body?: Buffer
}

/** GRIDIM-LIM-3: no request body may exceed 65,536 bytes. */
export const MAX_BODY_BYTES = 65_536

const JSON_TYPE = 'application/json'

/** The valid request as it goes on the wire. */
export function wireInput (valid: ValidInput, kind = 'valid'): HostileInput {
  const hasBody = valid.body !== undefined
  return {
    kind,
    path: Object.fromEntries(Object.entries(valid.path).map(([k, v]) => [k, encodeURIComponent(v)])),
    query: Object.entries(valid.query),
    headers: { ...valid.headers, ...(hasBody ? { 'content-type': JSON_TYPE } : {}) },
    ...(hasBody ? { body: Buffer.from(JSON.stringify(valid.body)) } : {})
  }
}

/** Query values are text; the contract reads them typed (as the reference and runner do). */
function coerced (value: string, validate: ValidateFunction): unknown {
  const type = (validate.schema as { type?: unknown }).type
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value)
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true'
  return value
}

const INVALID_UTF8 = Buffer.from([0xc3, 0x28, 0xff, 0xfe])
const MARK = 'HOSTILE-INVALID-UTF8-MARK'

function withInvalidUtf8 (body: unknown): Buffer | undefined {
  const text = JSON.stringify(body, (_key, v) => typeof v === 'string' && v.length > 0 && !/^[0-9a-f-]{36}$/i.test(v) ? MARK : v)
  const at = text.indexOf(MARK)
  if (at < 0) return undefined
  return Buffer.concat([Buffer.from(text.slice(0, at)), INVALID_UTF8, Buffer.from(text.slice(at + MARK.length))])
}

function bodyArbitraries (op: Operation, schemas: OperationSchemas, valid: ValidInput, base: HostileInput): Array<fc.Arbitrary<HostileInput>> {
  const json = (kind: string, bytes: Buffer | string, contentType = JSON_TYPE): HostileInput =>
    ({ ...base, kind, headers: { ...base.headers, 'content-type': contentType }, body: Buffer.from(bytes) })
  const out: Array<fc.Arbitrary<HostileInput>> = []
  if (schemas.body !== undefined && op.requestBody !== undefined) {
    const validate = op.requestBody
    const spoiled = jsonMutations(schemas.body, valid.body).filter((m) => !validate(m.value))
    out.push(spoiled.map((m) => json(`body: ${m.kind}`, JSON.stringify(m.value))))
    // Under another media type the body is spoiled too: whether a valid body so labelled must
    // be refused, the spec does not say (GRIDIM-ROLE-6 speaks of the sender).
    out.push(fc.tuple(spoiled, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x'))
      .map(([m, type]) => json(`body: ${m.kind}, as ${type}`, JSON.stringify(m.value), type)))
    out.push(fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }), fc.boolean())
      .filter((v) => !validate(v)).map((v) => json(`body: not an object (${JSON.stringify(v).slice(0, 20)})`, JSON.stringify(v))))
    const text = JSON.stringify(valid.body)
    out.push(fc.oneof(
      fc.integer({ min: 1, max: Math.max(1, text.length - 1) }).map((cut) => text.slice(0, cut)),
      fc.string({ minLength: 1, maxLength: 8 }).map((junk) => `${text}${junk}`),
      fc.string({ maxLength: 30 })
    ).filter((t) => { try { JSON.parse(t); return false } catch { return true } }).map((t) => json('body: not JSON', t)))
    out.push(fc.integer({ min: 1_000, max: 20_000 }).map((n) => json(`body: nested ${n} deep`, '['.repeat(n) + ']'.repeat(n))))
    const broken = withInvalidUtf8(valid.body)
    if (broken !== undefined) out.push(fc.constant(json('body: invalid UTF-8 in a string', broken)))
    if (schemas.bodyRequired) out.push(fc.constant({ ...base, kind: 'body: none', headers: { ...base.headers, 'content-type': JSON_TYPE }, body: undefined }))
  }
  // GRIDIM-LIM-3: for every method, GET and DELETE included.
  out.push(fc.integer({ min: MAX_BODY_BYTES + 1, max: MAX_BODY_BYTES + 4096 }).map((size) =>
    json(`body: ${size} bytes`, JSON.stringify({ padding: 'x'.repeat(size - 14) }))))
  return out
}

function parameterArbitraries (op: Operation, schemas: OperationSchemas, base: HostileInput): Array<fc.Arbitrary<HostileInput>> {
  const out: Array<fc.Arbitrary<HostileInput>> = []
  for (const p of op.params.path) {
    const at = (kind: string) => (raw: string): HostileInput => ({ ...base, kind: `path {${p.name}}: ${kind}`, path: { ...base.path, [p.name]: raw } })
    out.push(fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }).filter((v) => !p.validate(v)).map(encodeURIComponent).map(at('not its form')))
    out.push(fc.constantFrom('', '.', '..', '%2e%2e', '%2F', 'a%2Fb', '%00', '%FF', '%C3%28', '%', '%zz').map(at('raw segment')))
    out.push(fc.integer({ min: 100, max: 8_000 }).map((n) => 'a'.repeat(n)).map(at('long')))
  }
  for (const p of op.params.query) {
    const at = (kind: string) => (query: Array<[string, string]>): HostileInput => ({ ...base, kind: `query ${p.name}: ${kind}`, query })
    const others = base.query.filter(([k]) => k !== p.name)
    // Spoiled the schema's ways (too long, out of range, ...) or any text. An empty value
    // (`?after=`) the reference reads as no value, which the spec leaves open: not sent.
    const schema = schemas.params.find((q) => q.in === 'query' && q.name === p.name)!.schema
    const text = (v: unknown): string => typeof v === 'string' ? v : JSON.stringify(v) ?? ''
    out.push(fc.oneof(jsonMutations(schema, generate(schema, 1)).map((m) => text(m.value)), fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }))
      // Kept under 4 KiB encoded: Node refuses a request head over 16 KiB before the server
      // sees it, with a bare 400 (reported; chapter 13 sets no limit on the request line).
      .filter((v) => v !== '' && encodeURIComponent(v).length <= 4096 && !p.validate(coerced(v, p.validate)))
      .map((v) => ({ ...base, kind: `query ${p.name}: not its form (${JSON.stringify(v).slice(0, 40)})`, query: [...others, [p.name, v] as [string, string]] })))
    out.push(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([a, b]) => [...others, [p.name, a], [p.name, b]] as Array<[string, string]>).map(at('given twice')))
  }
  for (const p of schemas.params.filter((p) => p.in === 'header' && !SIGNATURE_HEADERS.has(p.name.toLowerCase()))) {
    const validate = op.params.header.find((h) => h.name === p.name)!.validate
    const at = (kind: string) => (value: string | undefined): HostileInput => {
      const headers = { ...base.headers }
      if (value === undefined) delete headers[p.name]
      else headers[p.name] = value
      return { ...base, kind: `header ${p.name}: ${kind}`, headers }
    }
    // Header values are visible ASCII on the wire; anything else would not leave this client.
    out.push(fc.string({ maxLength: 60 }).filter((v) => /^[\x21-\x7e]*$/.test(v) && !validate(v)).map(at('not its form')))
    if (p.required) out.push(fc.constant(undefined).map(at('missing')))
  }
  return out
}

/** `count` invalid inputs for `op`, the same ones for the same seed. */
export function hostileInputs (op: Operation, schemas: OperationSchemas, valid: ValidInput, seed: number, count: number): HostileInput[] {
  const base = wireInput(valid)
  const arbitrary = fc.oneof(...bodyArbitraries(op, schemas, valid, base), ...parameterArbitraries(op, schemas, base))
  return fc.sample(arbitrary, { seed, numRuns: count })
}
