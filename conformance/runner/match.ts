// Partial deep match: every member named in `expected` must be present and equal in `actual`;
// arrays match element by element (same length). Extra members in `actual` are fine.
//
// Six matchers look past equality: `{$absent: true}` matches a member that is not there at all
// (a client's group session names no regions, GRIDIM-PRES-5); `{$uuidVersion: [4, 7]}` matches a UUID string whose version
// (RFC 9562 §4.2) is one of those listed (GRIDIM-ID-2: identifiers a role creates); `{$some: x}`
// an array with at least one element that matches x, and `{$none: x}` one with none (a log that
// holds a given event among others it may hold, GRIDIM-CLI-21); `{$distinct: 'id'}` an array whose
// elements' `id` members all differ (event ids, GRIDIM-CLI-6); `{$atLeast: n}` a number no smaller
// than n (pings counted over a time, GRIDIM-CLI-43); `{$includes: [x, y]}` an array with, for each
// of x and y, an element that matches it, in any order and among others (an occupant's status codes,
// GRIDIM-XMPP-36).
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-([0-9a-fA-F])[0-9a-fA-F]{3}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

function uuidVersions (expected: object): unknown[] | undefined {
  const keys = Object.keys(expected)
  if (keys.length !== 1 || keys[0] !== '$uuidVersion') return undefined
  const versions = (expected as { $uuidVersion: unknown }).$uuidVersion
  if (!Array.isArray(versions) || versions.length === 0 || !versions.every((v) => Number.isInteger(v))) throw new Error(`$uuidVersion takes a non-empty list of versions, got ${JSON.stringify(versions)}`)
  return versions
}

/** The version of a UUID string, or undefined when `value` is not one. */
export function uuidVersion (value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined
  const m = UUID.exec(value)
  return m === null ? undefined : parseInt(m[1]!, 16)
}

/** `{$absent: true}`: true for that object, false for any other. */
function absent (expected: object): boolean {
  const keys = Object.keys(expected)
  if (keys.length !== 1 || keys[0] !== '$absent') return false
  if ((expected as { $absent: unknown }).$absent !== true) throw new Error(`$absent takes true, got ${JSON.stringify((expected as { $absent: unknown }).$absent)}`)
  return true
}

/** `{$distinct: member}`: the member, or undefined for any other object. */
function distinctMember (expected: object): string | undefined {
  const keys = Object.keys(expected)
  if (keys.length !== 1 || keys[0] !== '$distinct') return undefined
  const member = (expected as { $distinct: unknown }).$distinct
  if (typeof member !== 'string') throw new Error(`$distinct takes the name of a member, got ${JSON.stringify(member)}`)
  return member
}

/** The first value of `member` that two elements of `actual` share; undefined when all differ. */
function repeated (actual: unknown[], member: string): { value: unknown } | undefined {
  const seen = new Set<string>()
  for (const a of actual) {
    const value = a !== null && typeof a === 'object' ? (a as Record<string, unknown>)[member] : undefined
    const key = JSON.stringify(value) ?? 'undefined'
    if (seen.has(key)) return { value }
    seen.add(key)
  }
  return undefined
}

/** `{$atLeast: n}`: n; undefined for any other object. */
function atLeast (expected: object): number | undefined {
  const keys = Object.keys(expected)
  if (keys.length !== 1 || keys[0] !== '$atLeast') return undefined
  const n = (expected as { $atLeast: unknown }).$atLeast
  if (typeof n !== 'number') throw new Error(`$atLeast takes a number, got ${JSON.stringify(n)}`)
  return n
}

/** `{$some: x}` or `{$none: x}`: which, and x; undefined for any other object. */
function quantifier (expected: object): { which: '$some' | '$none', element: unknown } | undefined {
  const keys = Object.keys(expected)
  if (keys.length !== 1 || (keys[0] !== '$some' && keys[0] !== '$none')) return undefined
  return { which: keys[0], element: (expected as Record<string, unknown>)[keys[0]] }
}

/** `{$includes: [x, …]}`: the list; undefined for any other object. */
function includes (expected: object): unknown[] | undefined {
  const keys = Object.keys(expected)
  if (keys.length !== 1 || keys[0] !== '$includes') return undefined
  const list = (expected as { $includes: unknown }).$includes
  if (!Array.isArray(list) || list.length === 0) throw new Error(`$includes takes a non-empty list, got ${JSON.stringify(list)}`)
  return list
}

export function matches (actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected)
  if (!Array.isArray(expected) && absent(expected)) return actual === undefined
  const versions = Array.isArray(expected) ? undefined : uuidVersions(expected)
  if (versions !== undefined) return versions.includes(uuidVersion(actual))
  const distinct = Array.isArray(expected) ? undefined : distinctMember(expected)
  if (distinct !== undefined) return Array.isArray(actual) && repeated(actual, distinct) === undefined
  const least = Array.isArray(expected) ? undefined : atLeast(expected)
  if (least !== undefined) return typeof actual === 'number' && actual >= least
  const all = Array.isArray(expected) ? undefined : includes(expected)
  if (all !== undefined) return Array.isArray(actual) && all.every((e) => actual.some((a) => matches(a, e)))
  const q = Array.isArray(expected) ? undefined : quantifier(expected)
  if (q !== undefined) {
    if (!Array.isArray(actual)) return false
    const some = actual.some((a) => matches(a, q.element))
    return q.which === '$some' ? some : !some
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e))
  }
  if (actual === null || typeof actual !== 'object') return false
  return Object.entries(expected).every(([k, v]) => matches((actual as Record<string, unknown>)[k], v))
}

/** Where a match fails, for the failure message: the first differing path. */
export function mismatch (actual: unknown, expected: unknown, path = ''): string | undefined {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected) && absent(expected)) {
    return actual === undefined ? undefined : `${path || '(root)'}: expected no such member, got ${JSON.stringify(actual)}`
  }
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected) && uuidVersions(expected) !== undefined) {
    return matches(actual, expected) ? undefined : `${path || '(root)'}: expected a UUID of version ${uuidVersions(expected)!.join(' or ')}, got ${JSON.stringify(actual)}${uuidVersion(actual) === undefined ? '' : ` (version ${uuidVersion(actual)})`}`
  }
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected) && atLeast(expected) !== undefined) {
    return matches(actual, expected) ? undefined : `${path || '(root)'}: expected a number of at least ${atLeast(expected)!}, got ${JSON.stringify(actual)}`
  }
  const distinct = expected !== null && typeof expected === 'object' && !Array.isArray(expected) ? distinctMember(expected) : undefined
  if (distinct !== undefined) {
    if (!Array.isArray(actual)) return `${path || '(root)'}: expected an array, got ${JSON.stringify(actual)}`
    const twice = repeated(actual, distinct)
    return twice === undefined ? undefined : `${path || '(root)'}: two elements share ${distinct} ${JSON.stringify(twice.value)}`
  }
  const all = expected !== null && typeof expected === 'object' && !Array.isArray(expected) ? includes(expected) : undefined
  if (all !== undefined) {
    if (!Array.isArray(actual)) return `${path || '(root)'}: expected an array, got ${JSON.stringify(actual)}`
    const missing = all.find((e) => !actual.some((a) => matches(a, e)))
    return missing === undefined ? undefined : `${path || '(root)'}: expected an element matching ${JSON.stringify(missing)}, got ${JSON.stringify(actual)}`
  }
  const q = expected !== null && typeof expected === 'object' && !Array.isArray(expected) ? quantifier(expected) : undefined
  if (q !== undefined) {
    if (matches(actual, expected)) return undefined
    if (!Array.isArray(actual)) return `${path || '(root)'}: expected an array, got ${JSON.stringify(actual)}`
    const shown = JSON.stringify(actual)
    return `${path || '(root)'}: expected ${q.which === '$some' ? 'an element' : 'no element'} matching ${JSON.stringify(q.element)}, got ${shown.length > 300 ? `${shown.slice(0, 297)}...` : shown}`
  }
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) {
    return matches(actual, expected) ? undefined : `${path || '(root)'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`
  }
  if (actual === null || typeof actual !== 'object') return `${path || '(root)'}: expected an object, got ${JSON.stringify(actual)}`
  for (const [k, v] of Object.entries(expected)) {
    const m = mismatch((actual as Record<string, unknown>)[k], v, `${path}.${k}`)
    if (m) return m
  }
  return undefined
}
