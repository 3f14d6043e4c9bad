// Failures that follow from an earlier one (issue 14): a step that cannot be performed blocks the
// steps after it; a lease the target lost, or a sign-on that failed, makes later steps fail with
// `lease-expired` or "is not signed on" — those are reported as `blocked` by the first failure
// that showed the cause, not as failures of the unrelated requirements their outcomes cite.
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import type { Check } from './results.ts'

/** Consequences a later check can fail of, recognised in its message. */
const CONSEQUENCES = [
  { cause: 'lease', pattern: /\blease-expired\b/ },
  { cause: 'sign-on', pattern: /\bis not signed on\b|\binvalid-credentials\b/ }
] as const

type Cause = typeof CONSEQUENCES[number]['cause']

/** How a check is named as the cause of others: its step, requirements and outcome. */
export function checkLabel (check: Pick<Check, 'step' | 'requirements' | 'outcome'>): string {
  return `step ${check.step} [${check.requirements.join(', ')}] ${check.outcome}`
}

export class Blocking {
  readonly #causes = new Map<Cause, string>()
  #firstFailure: string | undefined
  #leaseLost: string | undefined

  /** Watches the flow's traffic for a lease a role lost: a refused renewal, or any `lease-expired` answer. */
  noteExchange (x: ObservedExchange, role: string): void {
    if (this.#leaseLost !== undefined) return
    const code = (x.responseBody as { code?: unknown } | undefined)?.code
    if ((x.operationId === 'renewRegionLease' && x.status >= 400) || code === 'lease-expired') {
      this.#leaseLost = `${role}'s ${x.operationId} was answered ${x.status}${typeof code === 'string' ? ` ${code}` : ''}`
    }
  }

  /** The check as reported: blocked when it fails of a consequence an earlier failure already showed. */
  judge (check: Check): Check {
    if (check.status !== 'fail') return check
    const label = checkLabel(check)
    const consequence = CONSEQUENCES.find((c) => c.pattern.test(check.message ?? ''))
    if (consequence !== undefined) {
      // A sign-on that failed may have failed as anything; a lapsed lease shows as lease-expired.
      const root = this.#causes.get(consequence.cause) ?? (consequence.cause === 'sign-on' ? this.#firstFailure : undefined)
      if (root !== undefined) return { ...check, status: 'blocked', blockedBy: root }
      this.#causes.set(consequence.cause, consequence.cause === 'lease' && this.#leaseLost !== undefined ? `${label} (${this.#leaseLost})` : label)
    }
    this.#firstFailure ??= label
    return check
  }
}
