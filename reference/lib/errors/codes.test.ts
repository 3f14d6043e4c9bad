import t from 'tap'
import { ERROR_CODES, GridImError, PROBLEM_TYPE_PREFIX, isErrorCode, type ErrorCode } from './index.ts'

t.test('every code maps to an HTTP status and an RFC 6120 stanza error condition', async (t) => {
  const conditions = new Set(['bad-request', 'conflict', 'feature-not-implemented', 'forbidden', 'gone', 'internal-server-error',
    'item-not-found', 'jid-malformed', 'not-acceptable', 'not-allowed', 'not-authorized', 'policy-violation', 'recipient-unavailable',
    'redirect', 'registration-required', 'remote-server-not-found', 'remote-server-timeout', 'resource-constraint',
    'service-unavailable', 'subscription-required', 'undefined-condition', 'unexpected-request'])
  for (const [code, info] of Object.entries(ERROR_CODES)) {
    t.ok(info.status >= 400 && info.status < 600, `${code} has an error status`)
    t.ok(conditions.has(info.xmpp.condition), `${code} maps to a defined condition (${info.xmpp.condition})`)
  }
})

t.test('a problem carries the type URN, the status and the stable code', async (t) => {
  const table: Array<[ErrorCode, number]> = [['agent-not-here', 404], ['bad-signature', 401], ['message-too-long', 400], ['group-session-closed', 410]]
  for (const [code, status] of table) {
    const p = new GridImError(code, 'why').toProblem('/x')
    t.same(p, { type: PROBLEM_TYPE_PREFIX + code, title: ERROR_CODES[code].title, status, code, detail: 'why', instance: '/x' })
  }
})

t.test('a 5xx problem never exposes its detail', async (t) => {
  const p = new GridImError('internal', 'database file locked at /secret/path').toProblem()
  t.equal(p.detail, undefined)
  t.equal(p.status, 500)
})

t.test('a problem read back from the wire gives the same code', async (t) => {
  const e = GridImError.fromProblem(new GridImError('not-your-agent', 'no').toProblem())
  t.equal(e?.code, 'not-your-agent')
  t.equal(GridImError.fromProblem({ code: 'no-such-code' }), undefined)
  t.equal(GridImError.fromProblem(null), undefined)
  t.ok(isErrorCode('internal'))
  t.notOk(isErrorCode('toString'))
})

t.test('GRIDIM-ERR-12: every code the reference can put on the wire is in chapter 14\'s table and the ProblemCode enum', async (t) => {
  const { readFileSync } = await import('node:fs')
  const root = new URL('../../../', import.meta.url)
  const table = readFileSync(new URL('spec/protocol/14-errors.md', root), 'utf8')
  const tabled = new Set([...table.matchAll(/^\| `([a-z-]+)` \| (\d{3}) \|/gm)].map((m) => `${m[1]} ${m[2]}`))
  const common = readFileSync(new URL('openapi/components/common.yaml', root), 'utf8')
  const enumText = common.split('    ProblemCode:')[1]!.split('    Problem:')[0]!
  const listed = new Set([...enumText.matchAll(/^ {8}- ([a-z-]+)$/gm)].map((m) => m[1]))
  for (const [code, info] of Object.entries(ERROR_CODES)) {
    t.ok(tabled.has(`${code} ${info.status}`), `${code} is in the table with status ${info.status}`)
    t.ok(listed.has(code), `${code} is in the ProblemCode enum`)
  }
  t.equal(tabled.size, Object.keys(ERROR_CODES).length, 'and the table has no code the reference lacks')
})

t.test('GRIDIM-ERR-8: every code is reported to XMPP with the condition and type of chapter 14\'s table', async (t) => {
  const { readFileSync } = await import('node:fs')
  const table = readFileSync(new URL('../../../spec/protocol/14-errors.md', import.meta.url), 'utf8')
  const rows = new Map([...table.matchAll(/^\| `([a-z-]+)` \| \d{3} \|.*\| `([a-z-]+)` \| ([a-z]+) \|$/gm)].map((m) => [m[1], { condition: m[2], type: m[3] }]))
  for (const [code, info] of Object.entries(ERROR_CODES)) {
    t.strictSame(info.xmpp, rows.get(code), `${code}: ${info.xmpp.condition} ${info.xmpp.type}`)
  }
  t.equal(rows.size, Object.keys(ERROR_CODES).length, 'every row of the table was read')
})
