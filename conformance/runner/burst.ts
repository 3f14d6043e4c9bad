// The runner action burst (GRIDIM-LIM-12, GRIDIM-LIM-13): the same request sent `count` times
// at `perSecond`, each on its own schedule rather than after the previous answer, so the rate is
// the one the flow names. It answers how the target took them: the statuses, how many were
// refused with rate-limited, and how many of those lacked a Retry-After of whole seconds.
import type { ActionResult } from './actions.ts'

/** A burst is a probe, not a load test: bounded so that no flow can flood a target. */
export const MAX_BURST = 200

export type BurstAnswer = {
  sent: number
  statuses: Record<string, number>
  rateLimited: number
  rateLimitedWithoutRetryAfter: number
  /** How long sending took, first request to last, in ms. */
  spreadMs: number
}

export function burstShape (args: Record<string, unknown>): { count: number, perSecond: number } {
  const count = Number(args.count)
  const perSecond = Number(args.perSecond)
  if (!Number.isInteger(count) || count < 1 || count > MAX_BURST) throw new Error(`burst needs a count of 1 to ${MAX_BURST}, got ${String(args.count)}`)
  if (!(perSecond > 0) || perSecond > 1000) throw new Error(`burst needs perSecond above 0 and at most 1000, got ${String(args.perSecond)}`)
  return { count, perSecond }
}

/** A refusal with rate-limited (RFC 9110 §10.2.3: delay-seconds, or an HTTP date, which GRIDIM-LIM-12 does not allow). */
function isRateLimited (answer: ActionResult): boolean {
  return answer.status === 429 || (answer.body as { code?: unknown } | undefined)?.code === 'rate-limited'
}

export async function burst (count: number, perSecond: number, send: () => Promise<ActionResult>): Promise<ActionResult> {
  const started = Date.now()
  const answers: Array<Promise<ActionResult>> = []
  for (let i = 0; i < count; i++) {
    const due = started + Math.round(i * 1000 / perSecond)
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()))
    const answer = send()
    // Awaited below with the others; until then a refusal of the connection (a target that went
    // down mid-burst) must not count as unhandled, which would end the runner, not the flow.
    answer.catch(() => {})
    answers.push(answer)
  }
  const spreadMs = Date.now() - started
  const settled = await Promise.all(answers)
  const statuses: Record<string, number> = {}
  for (const a of settled) statuses[String(a.status)] = (statuses[String(a.status)] ?? 0) + 1
  const limited = settled.filter(isRateLimited)
  const body: BurstAnswer = {
    sent: count,
    statuses,
    rateLimited: limited.length,
    rateLimitedWithoutRetryAfter: limited.filter((a) => !/^[0-9]+$/.test(a.retryAfter ?? '')).length,
    spreadMs
  }
  return { status: 200, body }
}
