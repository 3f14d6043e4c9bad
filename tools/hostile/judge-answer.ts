// What an answer to a hostile request must be: an answer at all (no reset, no silence), no 5xx,
// a refusal, and in the contract — a status the operation lists (or 413, which GRIDIM-LIM-3
// gives every operation but BOSH's, which has its own limit and way, GRIDIM-LIM-11; or 404
// `unknown-operation` for a path that matches none), its media type and body (problem details, GRIDIM-ERR-1), and a
// problem code of chapter 14's table with that code's status (GRIDIM-ERR-2). The body check is
// the conformance runner's own (validate-message.ts), so both read the contract alike.
import { readFileSync } from 'node:fs'
import { validateMessage } from '../../conformance/contract/validate-message.ts'
import type { Operation } from '../../reference/lib/contract/operations.ts'
import type { RawAnswer } from './raw-request.ts'

const ERRORS_CHAPTER = new URL('../../spec/protocol/14-errors.md', import.meta.url)

/** Chapter 14's table: code → HTTP status. */
export function codeTable (): Map<string, number> {
  const table = new Map<string, number>()
  for (const m of readFileSync(ERRORS_CHAPTER, 'utf8').matchAll(/^\| `([a-z-]+)` \| (\d{3}) \|/gm)) table.set(m[1]!, Number(m[2]))
  return table
}

const CODES = codeTable()

export type Verdict = { ok: true, code?: string } | { ok: false, why: string, code?: string }

function parsed (answer: Extract<RawAnswer, { headers: unknown }>): { body?: unknown, contentType?: string } {
  const contentType = answer.headers['content-type'] as string | undefined
  if (answer.body.length === 0) return { contentType }
  if (contentType?.includes('json')) {
    try { return { body: JSON.parse(answer.body.toString('utf8')), contentType } } catch { return { body: answer.body.toString('utf8'), contentType } }
  }
  return { body: answer.body.toString('utf8'), contentType }
}

/** A BOSH refusal is XEP-0124's: HTTP 200 with a terminate body. */
function isBoshTerminate (op: Operation, status: number, body: unknown): boolean {
  return op.operationId === 'boshRequest' && status === 200 && typeof body === 'string' && /type=['"]terminate['"]/.test(body)
}

/** Judges the answer to a request the contract says must be refused. */
export function judgeRefusal (op: Operation, answer: RawAnswer): Verdict {
  if ('failure' in answer) return { ok: false, why: `no answer (${answer.failure})` }
  const { body, contentType } = parsed(answer)
  const code = typeof (body as { code?: unknown } | undefined)?.code === 'string' ? (body as { code: string }).code : undefined
  const fail = (why: string): Verdict => ({ ok: false, why: `${answer.status}${code === undefined ? '' : ` ${code}`}: ${why}`, code })
  if (answer.status >= 500) return fail('a server error')
  const refused = answer.status >= 400 || isBoshTerminate(op, answer.status, body)
  if (!refused) return fail('an invalid request was not refused')
  // A path that matches no operation (an empty segment) is answered for no operation at all.
  const noOperation = answer.status === 404 && code === 'unknown-operation'
  const listed = op.responses.has(String(answer.status)) || noOperation || (answer.status === 413 && op.operationId !== 'boshRequest')
  if (!listed && !isBoshTerminate(op, answer.status, body)) return fail(`status not listed for ${op.operationId} (${[...op.responses.keys()].join(' ')})`)
  const violation = validateMessage({ direction: 'response', operationId: op.operationId, status: answer.status, body, contentType })
  if (violation !== undefined) return fail(violation.problems.map((p) => `${p.pointer || 'body'} ${p.message}`).join('; '))
  if (code !== undefined && CODES.get(code) !== answer.status) return fail(`code ${code} has status ${CODES.get(code) ?? '(not in the table)'} in chapter 14`)
  return { ok: true, code }
}

/** Judges the answer to an attack: refused with 401 and one of the codes chapter 12 gives it. */
export function judgeAttack (op: Operation, answer: RawAnswer, codes: string[]): Verdict {
  const verdict = judgeRefusal(op, answer)
  if (!verdict.ok) return verdict
  if (answer.status !== 401 || verdict.code === undefined || !codes.includes(verdict.code)) {
    return { ok: false, why: `${answer.status} ${verdict.code ?? ''}: not refused with 401 ${codes.join(' or ')}`, code: verdict.code }
  }
  return verdict
}
