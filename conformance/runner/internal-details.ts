// What an error answer must not reveal (GRIDIM-ERR-6): stack traces, queries, file paths and the
// addresses of internal services. Read from every string of the answer's body, so that a detail,
// an extension member or a nested object all count; the problem's own `type` URN and `instance`
// path are not internal details and match none of the patterns.

const PATTERNS: Array<[string, RegExp]> = [
  ['a stack frame', /(^|\n)\s*at\s+\S.*(:\d+:\d+\)?|\(native\))/],
  ['a stack frame', /\b\w+(Error|Exception)\b[^\n]*\n\s+at\s/],
  ['a source file path', /(^|[\s('"=])(\/|[A-Za-z]:\\|file:\/\/)[^\s'"()]*\.(c|m)?(js|ts|py|rb|go|java|php|cs)\b/],
  ['a network address', /\b\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?\b/],
  ['a network address', /\b(localhost|\[[0-9a-f:]+\]):\d{1,5}\b/i],
  ['a URL', /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/i],
  ['a query', /\b(SELECT\b[\s\S]+\bFROM|INSERT\s+INTO|UPDATE\b[\s\S]+\bSET|DELETE\s+FROM)\b/i]
]

function strings (value: unknown, at = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[at || '(body)', value]]
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}/${i}`))
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}/${k}`))
  return []
}

/** The first internal detail `body` reveals, as `what at where: "excerpt"`; undefined when it reveals none. */
export function revealedDetail (body: unknown): string | undefined {
  for (const [where, text] of strings(body)) {
    for (const [what, pattern] of PATTERNS) {
      const m = pattern.exec(text)
      if (m !== null) return `${what} at ${where}: ${JSON.stringify(m[0].trim().slice(0, 80))}`
    }
  }
  return undefined
}
