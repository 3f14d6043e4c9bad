// How a region the runner plays answers when a flow tells it to misbehave on purpose (issue 14):
// a peer that fails once and then recovers, that answers a 5xx, or a refusal code this version of
// the spec does not define, or that reads a request and closes the connection unanswered — answers
// an ordinary peer may give and the reference never gives itself. The answers are used in order,
// one per request of the operation; once they run out the region answers as usual
// (conformance/runner/simulated-region.ts).
import type { Request, ResponseToolkit, Server } from '@hapi/hapi'
import { PROBLEM_TYPE_PREFIX } from '../../reference/lib/errors/index.ts'

/** A scripted result of one message of a deliverInstantMessages, by its messageId (GRIDIM-IM-26). */
export type ScriptedResult = { messageId: string, status?: 'delivered' | 'duplicate', code?: string }

/**
 * One scripted answer: a success (2xx), or a problem with `code` (RFC 9457; GRIDIM-ERR-1), with a
 * `Retry-After` of `retryAfter` seconds when given (GRIDIM-IM-5); given `delayMs` after the
 * request came, as a slow peer answers. A success of deliverInstantMessages answers each message
 * with its `results` entry (by messageId, in the request's order, as an ordinary region does),
 * agent-not-here for a message it does not name.
 */
export type ScriptedReply = { status: number, code?: string, retryAfter?: number, delayMs?: number, results?: ScriptedResult[] }

/**
 * Or no answer at all: the request is read, then the connection closed (`delayMs` after it came
 * when given), as a peer that crashes does, or a balancer that loses the instance it passed the
 * request to. The request was received all the same: its nonce is spent (GRIDIM-SEC-5).
 */
export type ScriptedCut = { cut: true, delayMs?: number }

export type ScriptedAnswer = ScriptedReply | ScriptedCut

/** The success bodies a scripted 2xx can carry: only operations whose success says something. */
const SUCCESS: Readonly<Record<string, (payload: unknown, answer: ScriptedReply) => object>> = {
  deliverInstantMessage: () => ({ status: 'delivered' }),
  deliverInstantMessages: (payload, answer) => {
    const messages = (parsed(payload) as { messages?: Array<{ messageId: string }> } | null)?.messages ?? []
    const byId = new Map((answer.results ?? []).map((r) => [r.messageId, r]))
    return {
      results: messages.map(({ messageId }) => {
        const r = byId.get(messageId)
        if (r === undefined) return { messageId, code: 'agent-not-here' }
        return r.status === undefined ? { messageId, code: r.code } : { messageId, status: r.status }
      })
    }
  }
}

/** The request's JSON body: the routes take it raw (a Buffer), to check its Content-Digest; null when it is not JSON. */
function parsed (payload: unknown): unknown {
  if (!Buffer.isBuffer(payload) && typeof payload !== 'string') return payload
  try {
    return JSON.parse(payload.toString())
  } catch {
    return null
  }
}

/** The longest a scripted answer waits: well within a sender's 10 s (GRIDIM-LIM-16). */
const MAX_DELAY_MS = 5000

function readResults (raw: unknown): ScriptedResult[] {
  if (!Array.isArray(raw)) throw new Error('results must be a list of {messageId, status} or {messageId, code}')
  return raw.map((r: unknown) => {
    const { messageId, status, code } = (r ?? {}) as { messageId?: unknown, status?: unknown, code?: unknown }
    if (typeof messageId !== 'string') throw new Error('a scripted result needs its messageId')
    if (status === 'delivered' || status === 'duplicate') return { messageId, status }
    if (status === undefined && typeof code === 'string') return { messageId, code }
    throw new Error(`a scripted result is {messageId, status: delivered | duplicate} or {messageId, code}, got ${JSON.stringify(r)}`)
  })
}

function readDelay (delayMs: unknown): { delayMs?: number } {
  if (delayMs === undefined) return {}
  if (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 1 || delayMs > MAX_DELAY_MS) {
    throw new Error(`delayMs is a whole number of milliseconds from 1 to ${MAX_DELAY_MS}, got ${String(delayMs)}`)
  }
  return { delayMs }
}

/** Reads a flow's `answers` argument; anything else is a clear error, before any request is made. */
export function readAnswers (operationId: string, raw: unknown): ScriptedAnswer[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new Error('answers must be a non-empty list of {status, code} or {cut: true}')
  return raw.map((a: unknown): ScriptedAnswer => {
    const { status, code, retryAfter, delayMs, results, cut } = (a ?? {}) as { status?: unknown, code?: unknown, retryAfter?: unknown, delayMs?: unknown, results?: unknown, cut?: unknown }
    if (cut !== undefined) {
      if (cut !== true) throw new Error(`cut is true (the connection closed with no answer) or left out, got ${JSON.stringify(cut)}`)
      const given = Object.entries({ status, code, retryAfter, results }).filter(([, v]) => v !== undefined).map(([k]) => k)
      if (given.length > 0) throw new Error(`a cut gives no answer, so it takes no ${given.join(', ')}`)
      return { cut: true, ...readDelay(delayMs) }
    }
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) throw new Error(`an answer's status must be an HTTP status, got ${String(status)}`)
    if (status < 300 && !(operationId in SUCCESS)) throw new Error(`a scripted success is only defined for ${Object.keys(SUCCESS).join(', ')}`)
    if (status >= 300 && typeof code !== 'string') throw new Error(`an answer of status ${status} needs a problem code`)
    if (retryAfter !== undefined && (status < 400 || typeof retryAfter !== 'number' || !Number.isInteger(retryAfter) || retryAfter < 0 || retryAfter > 30)) {
      throw new Error(`retryAfter is a whole number of seconds from 0 to 30 on an error answer, got ${String(retryAfter)} on ${status}`)
    }
    const slow = readDelay(delayMs)
    if (results !== undefined && (status >= 300 || operationId !== 'deliverInstantMessages')) throw new Error('results are scripted only on a success of deliverInstantMessages')
    const wait = retryAfter === undefined ? {} : { retryAfter: retryAfter as number }
    if (status >= 300) return { status, code: code as string, ...wait, ...slow }
    return { status, ...slow, ...(results === undefined ? {} : { results: readResults(results) }) }
  })
}

/** The answers a simulated region still has to give, by operationId. */
export class ScriptedAnswers {
  readonly #queues = new Map<string, ScriptedAnswer[]>()
  /** Requests whose scripted answer is being delayed now. */
  #delaying = 0
  readonly #waiters = new Set<() => void>()

  /** How many requests wait for a delayed answer now. */
  get delaying (): number { return this.#delaying }

  /** Resolves true once `count` requests wait for a delayed answer at once, false after timeoutMs (runner action await-held). */
  async whenDelaying (count: number, timeoutMs: number): Promise<boolean> {
    if (this.#delaying >= count) return true
    return await new Promise<boolean>((resolve) => {
      const done = (held: boolean): void => { clearTimeout(timer); this.#waiters.delete(wake); resolve(held) }
      const wake = (): void => { if (this.#delaying >= count) done(true) }
      const timer = setTimeout(() => done(false), timeoutMs)
      this.#waiters.add(wake)
    })
  }

  /** The next requests of `operationId` get `answers`, in order (replacing what was left). */
  set (operationId: string, answers: readonly ScriptedAnswer[]): void {
    this.#queues.set(operationId, [...answers])
  }

  /**
   * Installs the answers on `server`: a request of a scripted operation is answered before its
   * handler runs. `onCut` sees each request read and then left unanswered, as the handler would.
   */
  install (server: Server, onCut: (request: Request) => void = () => {}): void {
    server.ext('onPreHandler', async (request: Request, h: ResponseToolkit) => {
      const operationId = request.route.settings.id
      const answer = operationId === undefined ? undefined : this.#queues.get(operationId)?.shift()
      if (answer === undefined) return h.continue
      if (answer.delayMs !== undefined) {
        this.#delaying++
        for (const wake of [...this.#waiters]) wake()
        try {
          await new Promise((resolve) => setTimeout(resolve, answer.delayMs))
        } finally {
          this.#delaying--
        }
      }
      if ('cut' in answer) {
        onCut(request)
        // The whole request was read (hapi reads the body before this point): closed, not answered.
        request.raw.req.socket.destroy()
        return h.abandon
      }
      if (answer.code === undefined) return h.response(SUCCESS[operationId!]!(request.payload, answer)).code(answer.status).takeover()
      const problem = { type: PROBLEM_TYPE_PREFIX + answer.code, title: `Scripted ${answer.code}`, status: answer.status, code: answer.code }
      const response = h.response(problem).code(answer.status).type('application/problem+json')
      if (answer.retryAfter !== undefined) response.header('retry-after', String(answer.retryAfter))
      return response.takeover()
    })
  }
}
