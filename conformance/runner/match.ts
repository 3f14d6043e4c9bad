// Partial deep match: every member named in `expected` must be present and equal in `actual`;
// arrays match element by element (same length). Extra members in `actual` are fine.
export function matches (actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected)
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e))
  }
  if (actual === null || typeof actual !== 'object') return false
  return Object.entries(expected).every(([k, v]) => matches((actual as Record<string, unknown>)[k], v))
}

/** Where a match fails, for the failure message: the first differing path. */
export function mismatch (actual: unknown, expected: unknown, path = ''): string | undefined {
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
