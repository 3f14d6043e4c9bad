// Partial deep match: every member named in `expected` must be present and equal in `actual`;
// arrays match element by element (same length). Extra members in `actual` are fine.
//
// One matcher looks past equality: `{$uuidVersion: [4, 7]}` matches a UUID string whose version
// (RFC 9562 §4.2) is one of those listed (GRIDIM-ID-2: identifiers a role creates).
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

export function matches (actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected)
  const versions = Array.isArray(expected) ? undefined : uuidVersions(expected)
  if (versions !== undefined) return versions.includes(uuidVersion(actual))
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e))
  }
  if (actual === null || typeof actual !== 'object') return false
  return Object.entries(expected).every(([k, v]) => matches((actual as Record<string, unknown>)[k], v))
}

/** Where a match fails, for the failure message: the first differing path. */
export function mismatch (actual: unknown, expected: unknown, path = ''): string | undefined {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected) && uuidVersions(expected) !== undefined) {
    return matches(actual, expected) ? undefined : `${path || '(root)'}: expected a UUID of version ${uuidVersions(expected)!.join(' or ')}, got ${JSON.stringify(actual)}${uuidVersion(actual) === undefined ? '' : ` (version ${uuidVersion(actual)})`}`
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
