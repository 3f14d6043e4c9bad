// Flow values may name flow state: `$A.userId`, `$R1.url`, `$last.messageId`, `$offer.offerId`.
// A string that is exactly one reference becomes the value itself (any type); references inside
// a longer string are replaced by their text.
export type Scope = Record<string, Record<string, unknown>>

const WHOLE = /^\$([A-Za-z][A-Za-z0-9_-]*)((?:\.[A-Za-z0-9_]+)*)$/
const INLINE = /\$([A-Za-z][A-Za-z0-9_-]*)((?:\.[A-Za-z0-9_]+)+)/g

function lookup (scope: Scope, name: string, path: string): unknown {
  if (!(name in scope)) throw new Error(`unknown reference $${name}${path}`)
  let value: unknown = scope[name]
  for (const key of path.split('.').filter(Boolean)) {
    if (value === null || typeof value !== 'object' || !(key in value)) throw new Error(`unknown reference $${name}${path}`)
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

export function resolveValue (value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value)
    if (whole) return lookup(scope, whole[1]!, whole[2]!)
    return value.replace(INLINE, (_, name: string, path: string) => String(lookup(scope, name, path)))
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, scope))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, scope)]))
  }
  return value
}
