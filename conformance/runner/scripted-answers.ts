// How a region the runner plays answers when a flow tells it to misbehave on purpose (issue 14):
// a peer that fails once and then recovers, that answers a 5xx, or a refusal code this version of
// the spec does not define — answers an ordinary peer may give and the reference never gives
// itself. The answers are used in order, one per request of the operation; once they run out the
// region answers as usual (conformance/runner/simulated-region.ts).
import type { Request, ResponseToolkit, Server } from '@hapi/hapi'
import { PROBLEM_TYPE_PREFIX } from '../../reference/lib/errors/index.ts'

/**
 * One scripted answer: a success (2xx), or a problem with `code` (RFC 9457; GRIDIM-ERR-1), with a
 * `Retry-After` of `retryAfter` seconds when given (GRIDIM-IM-5).
 */
export type ScriptedAnswer = { status: number, code?: string, retryAfter?: number }

/** The success bodies a scripted 2xx can carry: only operations whose success says something. */
const SUCCESS: Readonly<Record<string, unknown>> = {
  deliverInstantMessage: { status: 'delivered' }
}

/** Reads a flow's `answers` argument; anything else is a clear error, before any request is made. */
export function readAnswers (operationId: string, raw: unknown): ScriptedAnswer[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new Error('answers must be a non-empty list of {status, code}')
  return raw.map((a: unknown) => {
    const { status, code, retryAfter } = (a ?? {}) as { status?: unknown, code?: unknown, retryAfter?: unknown }
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) throw new Error(`an answer's status must be an HTTP status, got ${String(status)}`)
    if (status < 300 && !(operationId in SUCCESS)) throw new Error(`a scripted success is only defined for ${Object.keys(SUCCESS).join(', ')}`)
    if (status >= 300 && typeof code !== 'string') throw new Error(`an answer of status ${status} needs a problem code`)
    if (retryAfter !== undefined && (status < 400 || typeof retryAfter !== 'number' || !Number.isInteger(retryAfter) || retryAfter < 0 || retryAfter > 30)) {
      throw new Error(`retryAfter is a whole number of seconds from 0 to 30 on an error answer, got ${String(retryAfter)} on ${status}`)
    }
    const wait = retryAfter === undefined ? {} : { retryAfter: retryAfter as number }
    return status < 300 ? { status } : { status, code: code as string, ...wait }
  })
}

/** The answers a simulated region still has to give, by operationId. */
export class ScriptedAnswers {
  readonly #queues = new Map<string, ScriptedAnswer[]>()

  /** The next requests of `operationId` get `answers`, in order (replacing what was left). */
  set (operationId: string, answers: readonly ScriptedAnswer[]): void {
    this.#queues.set(operationId, [...answers])
  }

  /** Installs the answers on `server`: a request of a scripted operation is answered before its handler runs. */
  install (server: Server): void {
    server.ext('onPreHandler', (request: Request, h: ResponseToolkit) => {
      const operationId = request.route.settings.id
      const answer = operationId === undefined ? undefined : this.#queues.get(operationId)?.shift()
      if (answer === undefined) return h.continue
      if (answer.code === undefined) return h.response(SUCCESS[operationId!] as object).code(answer.status).takeover()
      const problem = { type: PROBLEM_TYPE_PREFIX + answer.code, title: `Scripted ${answer.code}`, status: answer.status, code: answer.code }
      const response = h.response(problem).code(answer.status).type('application/problem+json')
      if (answer.retryAfter !== undefined) response.header('retry-after', String(answer.retryAfter))
      return response.takeover()
    })
  }
}
