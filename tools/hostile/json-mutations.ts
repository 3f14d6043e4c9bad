// Schema-known ways to make a valid JSON value invalid, as fast-check arbitraries: a member of
// the wrong type, a required member left out, an unknown member where the object is closed, a
// string too long or too short, a number out of range, a bad format or pattern, a value outside
// an enum, too many or repeated items. Each names where and how it spoils the value; whether the
// result is really invalid is left to the contract's own validator (the caller filters).
import fc from 'fast-check'
import { resolve, type Schema } from './operation-schemas.ts'

export type Mutation = { kind: string, value: unknown }

type Site = { pointer: string[], schema: Schema, value: unknown }

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

function jsonType (v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v
}

/** Every place in `value` with the schema that governs it (all branches of allOf/oneOf/anyOf). */
export function sitesOf (schema: Schema, value: unknown, root: Schema, pointer: string[] = [], depth = 0): Site[] {
  const s = resolve(schema, root)
  if (depth > 12) return []
  const out: Site[] = [{ pointer, schema: s, value }]
  for (const branch of [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])]) {
    out.push(...sitesOf(branch, value, root, pointer, depth + 1))
  }
  if (isObject(value)) {
    for (const [key, member] of Object.entries(value)) {
      const sub = s.properties?.[key] ?? (isObject(s.additionalProperties) ? s.additionalProperties : undefined)
      if (sub !== undefined) out.push(...sitesOf(sub, member, root, [...pointer, key], depth + 1))
    }
  } else if (Array.isArray(value) && isObject(s.items)) {
    value.forEach((member, i) => out.push(...sitesOf(s.items, member, root, [...pointer, String(i)], depth + 1)))
  }
  return out
}

/** `value` with the member at `pointer` replaced (or deleted, for `undefined`). */
export function replaceAt (value: unknown, pointer: string[], replacement: unknown): unknown {
  if (pointer.length === 0) return replacement
  const [head, ...rest] = pointer as [string, ...string[]]
  if (Array.isArray(value)) {
    const copy = [...value]
    copy[Number(head)] = replaceAt(copy[Number(head)], rest, replacement)
    return copy
  }
  const copy: Record<string, unknown> = { ...value as Record<string, unknown> }
  if (rest.length === 0 && replacement === undefined) delete copy[head]
  else copy[head] = replaceAt(copy[head], rest, replacement)
  return copy
}

const anyJson = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
  fc.string({ maxLength: 20 }), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }))

/** The spoiling arbitraries that apply at one site. */
function siteMutations ({ pointer, schema: s, value }: Site): Array<fc.Arbitrary<Mutation>> {
  const at = `/${pointer.join('/')}`
  const set = (kind: string) => (v: unknown): Mutation => ({ kind: `${kind} at ${at}`, value: v })
  const out: Array<fc.Arbitrary<Mutation>> = [anyJson.filter((v) => jsonType(v) !== jsonType(value)).map(set('wrong type'))]
  if (isObject(value)) {
    const present = (s.required ?? []).filter((k: string) => k in value)
    if (present.length > 0) out.push(fc.constantFrom(...present).map((k) => ({ kind: `missing required ${at}/${String(k)}`, value: { key: k } })))
    if (s.additionalProperties === false) {
      out.push(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(k in (s.properties ?? {}))), fc.jsonValue({ maxDepth: 2 }))
        .map(([k, v]) => ({ kind: `unknown member ${at}/${k}`, value: { ...value, [k]: v } })))
    }
  }
  if (typeof value === 'string') {
    if (typeof s.maxLength === 'number') out.push(fc.nat({ max: 64 }).chain((extra) => fc.string({ minLength: s.maxLength + 1 + extra, maxLength: s.maxLength + 1 + extra, unit: 'binary' })).map(set('too long')))
    if (typeof s.minLength === 'number' && s.minLength > 0) out.push(fc.string({ maxLength: s.minLength - 1 }).map(set('too short')))
    if (s.format !== undefined || s.pattern !== undefined) {
      out.push(fc.oneof(fc.string({ maxLength: 40 }), fc.uuid().map((u) => `${u}x`), fc.date({ noInvalidDate: true }).map((d) => d.toString()), fc.string({ unit: 'binary', maxLength: 40 })).map(set(`bad ${String(s.format ?? 'pattern')}`)))
    }
  }
  if (Array.isArray(s.enum)) out.push(fc.string({ maxLength: 16 }).filter((v) => !s.enum.includes(v)).map(set('outside the enum')))
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number') out.push(fc.integer({ min: s.minimum - 1_000_000, max: s.minimum - 1 }).map(set('below minimum')))
    if (typeof s.maximum === 'number') out.push(fc.integer({ min: s.maximum + 1, max: s.maximum + 1_000_000 }).map(set('above maximum')))
    if (s.type === 'integer') out.push(fc.double({ noNaN: true, noDefaultInfinity: true, noInteger: true }).map(set('not an integer')))
  }
  if (Array.isArray(value)) {
    if (typeof s.maxItems === 'number' && value.length > 0) out.push(fc.constant(Array(s.maxItems + 1).fill(value[0])).map(set('too many items')))
    if (s.uniqueItems === true && value.length > 0) out.push(fc.constant([...value, value[0]]).map(set('repeated item')))
    if (typeof s.minItems === 'number' && s.minItems > 0) out.push(fc.constant([]).map(set('too few items')))
  }
  return out
}

/** Values spoiled in one schema-known way each; `valid` is the value they start from. */
export function jsonMutations (schema: Schema, valid: unknown): fc.Arbitrary<Mutation> {
  const arbitraries = sitesOf(schema, valid, schema).flatMap((site) => siteMutations(site).map((arb) => arb.map((m): Mutation => {
    // "missing required" carries the key to delete; the others carry the new value.
    if (m.kind.startsWith('missing required')) return { kind: m.kind, value: replaceAt(valid, [...site.pointer, String((m.value as { key: string }).key)], undefined) }
    return { kind: m.kind, value: replaceAt(valid, site.pointer, m.value) }
  })))
  return fc.oneof(...arbitraries)
}
