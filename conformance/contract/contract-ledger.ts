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

type Seen = { violation: Violation, step: string, from: string, to: string, count: number }

export class ContractLedger {
  /** Messages validated so far. */
  validated = 0
  /** The flow step under way, to say where a violation was first seen. */
  step = 'setup'
  readonly #roles: FlowRoles
  readonly #exchanges = new WeakSet<ObservedExchange>()
  readonly #violations = new Map<string, Seen>()

  constructor (roles: FlowRoles) {
    this.#roles = roles
  }

  #judge (message: Message, from: string, to: string): void {
    this.validated++
    const violation = validateMessage(message)
    if (violation === undefined) return
    const key = JSON.stringify([violation.operationId, violation.direction, violation.status, violation.problems.map((p) => [p.pointer, p.message])])
    const seen = this.#violations.get(key)
    if (seen) seen.count++
    else this.#violations.set(key, { violation, step: this.step, from, to, count: 1 })
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
    return [...this.#violations.values()].map(({ violation: v, step, from, to, count }) => ({
      flow,
      step,
      outcome: `${v.operationId} ${v.direction}${v.status === undefined ? '' : ` ${v.status}`} from ${v.direction === 'request' ? from : to} matches openapi/${v.document}.yaml`,
      requirements: [...new Set(v.problems.flatMap((p) => p.requirements))],
      status: 'fail',
      // The role whose message broke the contract: the sender of a request, the answerer of a response.
      actor: v.direction === 'request' ? from : to,
      message: `${from} -> ${to} ${v.operationId} ${v.direction}${v.status === undefined ? '' : ` ${v.status}`}: ` +
        v.problems.map((p) => `${p.pointer === '' ? '(body)' : p.pointer} ${p.message}`).join('; ') +
        (count > 1 ? ` (seen ${count} times)` : '')
    }))
  }
}
