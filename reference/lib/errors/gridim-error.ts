// The one error root. Everything a request can get wrong becomes a GridImError with a stable
// code; transports turn it into problem details (HTTP) or a stanza error (XMPP).
import { ERROR_CODES, PROBLEM_TYPE_PREFIX, type ErrorCode } from './codes.ts'

export type Problem = {
  type: string
  title: string
  status: number
  code: ErrorCode
  detail?: string
  instance?: string
  [extension: string]: unknown
}

/**
 * What a peer's error answer said, when a GridImError stands for one: its status, the code it
 * carried (which may be one this version does not know, GRIDIM-ERR-3) and how long its
 * `Retry-After` asked the caller to wait (GRIDIM-IM-5). Never part of a problem this role sends.
 */
export type PeerAnswer = { status: number, code?: string, retryAfterMs?: number }

export class GridImError extends Error {
  readonly code: ErrorCode
  readonly extensions: Record<string, unknown>
  /** Set by the peer client when the error is a peer's answer. */
  peerAnswer?: PeerAnswer

  constructor (code: ErrorCode, detail?: string, extensions: Record<string, unknown> = {}) {
    super(detail ?? ERROR_CODES[code].title)
    this.name = 'GridImError'
    this.code = code
    this.extensions = extensions
  }

  get status (): number {
    return ERROR_CODES[this.code].status
  }

  /** RFC 9457 §3: a problem details object; 5xx details are never exposed. */
  toProblem (instance?: string): Problem {
    const info = ERROR_CODES[this.code]
    const problem: Problem = { type: PROBLEM_TYPE_PREFIX + this.code, title: info.title, status: info.status, code: this.code, ...this.extensions }
    if (info.status < 500 && this.message !== info.title) problem.detail = this.message
    if (instance !== undefined) problem.instance = instance
    return problem
  }

  static fromProblem (body: unknown): GridImError | undefined {
    const code = (body as { code?: unknown } | null)?.code
    if (typeof code !== 'string' || !Object.hasOwn(ERROR_CODES, code)) return undefined
    return new GridImError(code as ErrorCode, (body as { detail?: string }).detail)
  }
}
