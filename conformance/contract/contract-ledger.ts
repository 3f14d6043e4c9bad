// A flow's account of the contract (GRIDIM-ROLE-9): every message an implementation under test
// produced that the runner saw — answers to the runner's own calls, traffic observed between
// roles, requests received by roles the runner plays — is validated once and counted; each
// distinct departure becomes one failed check, naming the operation, direction, status, JSON
// pointer, Ajv's message and the requirement. The runner's own requests are not judged: some
// are wrong on purpose (the negative flows).
import { PeerClient, type ObservedExchange } from '../../reference/lib/http/index.ts'
import type { Check } from '../runner/results.ts'
import { isFlowRole, roleAt, signerOf, type FlowRoles } from './roles.ts'
import { validateMessage, type Message, type Violation } from './validate-message.ts'

type Seen = {
  violation: Violation
  step: string
  from: string
  to: string
  count: number
  /** Requirements a flow's `traffic` check has already failed for it: not reported again at the end. */
  reported: Set<string>
}

/** What a `traffic` check learns of one role's messages: how many were judged, and which departed. */
export type TrafficAccount = { judged: number, violations: Array<Pick<Seen, 'violation' | 'step' | 'from' | 'to' | 'count'>> }

/** The role whose message a violation is: the sender of a request, the answerer of a response. */
function authorOf (direction: 'request' | 'response', from: string, to: string): string {
  return direction === 'request' ? from : to
}

/** One line per violation, for a failure message. */
export function describeViolation ({ violation: v, from, to, count }: TrafficAccount['violations'][number]): string {
  return `${from} -> ${to} ${v.operationId} ${v.direction}${v.status === undefined ? '' : ` ${v.status}`}: ` +
    v.problems.map((p) => `${p.pointer === '' ? '(body)' : p.pointer} ${p.message}`).join('; ') +
    (count > 1 ? ` (seen ${count} times)` : '')
}

export class ContractLedger {
  /** Messages validated so far. */
  validated = 0
  /** The flow step under way, to say where a violation was first seen. */
  step = 'setup'
  readonly #roles: FlowRoles
  readonly #exchanges = new WeakSet<ObservedExchange>()
  readonly #violations = new Map<string, Seen>()
  /** Messages judged, by the role whose message each was. */
  readonly #judgedOf = new Map<string, number>()

  constructor (roles: FlowRoles) {
    this.#roles = roles
  }

  #judge (message: Message, from: string, to: string): void {
    this.validated++
    const author = authorOf(message.direction, from, to)
    this.#judgedOf.set(author, (this.#judgedOf.get(author) ?? 0) + 1)
    const violation = validateMessage(message)
    if (violation === undefined) return
    const key = JSON.stringify([violation.operationId, violation.direction, violation.status, violation.problems.map((p) => [p.pointer, p.message])])
    const seen = this.#violations.get(key)
    if (seen) seen.count++
    else this.#violations.set(key, { violation, step: this.step, from, to, count: 1, reported: new Set() })
  }

  /**
   * A flow's explicit check that `actor`'s messages so far conform (GRIDIM-ROLE-6, -9, GRIDIM-ID-1,
   * -12): the messages judged, and the violations with a problem that breaks one of
   * `requirements`. Those are taken as reported under `requirements`, so that the end of the flow
   * does not fail them a second time.
   */
  traffic (actor: string, requirements: readonly string[]): TrafficAccount {
    const wanted = new Set(requirements)
    const violations = [...this.#violations.values()].filter((seen) =>
      authorOf(seen.violation.direction, seen.from, seen.to) === actor &&
      seen.violation.problems.some((p) => p.requirements.some((r) => wanted.has(r))))
    for (const seen of violations) for (const r of requirements) seen.reported.add(r)
    return { judged: this.#judgedOf.get(actor) ?? 0, violations }
  }

  /**
   * An exchange between two roles (PeerClient.observe, Target.observe). The same exchange may
   * arrive by both ways; it is judged once. The request is judged when a role under test
   * signed it, the answer when a role under test gave it.
   */
  observed (x: ObservedExchange): void {
    if (this.#exchanges.has(x)) return
    this.#exchanges.add(x)
    const sender = signerOf(this.#roles, x.keyId)
    const receiver = roleAt(this.#roles, x.url)
    this.#exchange(x, sender?.underTest === true, receiver.underTest, sender?.name ?? 'runner', receiver.name)
  }

  /** A request received by a role the runner plays: the target sent it, unless the runner itself signed it. */
  received (x: ObservedExchange): void {
    if (this.#exchanges.has(x)) return
    this.#exchanges.add(x)
    const sender = signerOf(this.#roles, x.keyId)
    this.#exchange(x, sender?.underTest !== false, false, sender?.name ?? 'unsigned', roleAt(this.#roles, x.url).name)
  }

  /** The answer to a request the runner sent to `url` itself. */
  answered (operationId: string, url: string, answer: { status: number, body: unknown, contentType?: string }): void {
    const receiver = roleAt(this.#roles, url)
    if (!receiver.underTest || answer.status === 0) return
    this.#judge({ direction: 'response', operationId, status: answer.status, body: answer.body, contentType: answer.contentType }, 'runner', receiver.name)
  }

  #exchange (x: ObservedExchange, judgeRequest: boolean, judgeResponse: boolean, from: string, to: string): void {
    // A request body as it went on the wire: members set to undefined were never sent.
    const body = x.requestBody === undefined ? undefined : JSON.parse(JSON.stringify(x.requestBody)) as unknown
    if (judgeRequest) this.#judge({ direction: 'request', operationId: x.operationId, url: x.url, body }, from, to)
    // Status 0: no answer came (the receiver was down); there is nothing to check.
    if (judgeResponse && x.status !== 0) {
      this.#judge({ direction: 'response', operationId: x.operationId, status: x.status, body: x.responseBody, contentType: x.responseContentType }, from, to)
    }
  }

  /**
   * Starts watching: every PeerClient of this process (the runner's own client and admin calls;
   * in an embedded target, the grid's traffic too) and whatever else the target lets the runner
   * observe. Returns the function that stops.
   */
  watch (): () => void {
    // Only traffic to the flow's own roles: other flows may run at the same time (run-suite.ts).
    const mine = (x: ObservedExchange): void => { if (isFlowRole(this.#roles, x.url)) this.observed(x) }
    const stops = [PeerClient.observe(mine), this.#roles.target.observe?.(mine)]
    return () => { for (const stop of stops) stop?.() }
  }

  /** One failed check per distinct violation seen in the flow. */
  checks (flow: string): Check[] {
    const out: Check[] = []
    for (const seen of this.#violations.values()) {
      const { violation: v, step, from, to, reported } = seen
      const requirements = [...new Set(v.problems.flatMap((p) => p.requirements))].filter((r) => !reported.has(r))
      if (requirements.length === 0) continue
      out.push({
        flow,
        step,
        outcome: `${v.operationId} ${v.direction}${v.status === undefined ? '' : ` ${v.status}`} from ${authorOf(v.direction, from, to)} matches openapi/${v.document}.yaml`,
        requirements,
        status: 'fail',
        // The role whose message broke the contract: the sender of a request, the answerer of a response.
        actor: authorOf(v.direction, from, to),
        message: describeViolation(seen)
      })
    }
    return out
  }
}
