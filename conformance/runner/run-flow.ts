// Replays one flow against a target: setup, then each step's action and the checks of its
// outcomes, in order. Every outcome becomes one check carrying its requirement ids.
import type { LoadedFlow } from '../../tools/spec/flows.ts'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import type { Target } from '../target/target.ts'
import { perform } from './actions.ts'
import { check, Impossible, type StepState } from './expectations.ts'
import { FlowContext } from './flow-context.ts'
import type { Check, FlowResult } from './results.ts'
import { applySetup } from './setup.ts'

export type RunFlowOptions = { eventTimeoutMs?: number, onCheck?: (check: Check) => void }

export async function runFlow ({ flow, file }: LoadedFlow, target: Target, options: RunFlowOptions = {}): Promise<FlowResult> {
  const started = Date.now()
  const checks: Check[] = []
  const add = (c: Check): void => { checks.push(c); options.onCheck?.(c) }
  const ctx = new FlowContext(flow, target, options.eventTimeoutMs ?? 15_000)
  const result = (): FlowResult => ({ flow: flow.id, title: flow.title, file, checks, trace: ctx.trace, durationMs: Date.now() - started, messagesValidated: ctx.contract.validated })
  const everyOutcome = (status: Check['status'], message: string): FlowResult => {
    for (const step of flow.steps) for (const o of step.outcomes) add({ flow: flow.id, step: step.id, outcome: o.text, requirements: o.requirements, status, message })
    return result()
  }

  const missing = (flow.needs ?? []).filter((n) => !target.capabilities.has(n))
  if (missing.length > 0) return everyOutcome('impossible', `the target lacks: ${missing.join(', ')}`)

  let exchanges: ObservedExchange[] = []
  let stepStarted = 0
  const stopValidating = ctx.contract.watch()
  const stopObserving = target.observe?.((x) => {
    // An exchange belongs to the step during which its request went out, not the one its answer came in.
    if ((x.sentAt ?? x.at) >= stepStarted) exchanges.push(x)
    ctx.record({ kind: 'peer', operationId: x.operationId, from: x.keyId ?? '?', to: new URL(x.url).host, status: x.status, request: x.requestBody, response: x.responseBody })
  })
  let restore = async (): Promise<void> => {}
  try {
    try {
      restore = await applySetup(ctx)
    } catch (err) {
      return everyOutcome('fail', `setup failed: ${(err as Error).message}`)
    }
    let broken: string | undefined
    for (const step of flow.steps) {
      ctx.contract.step = step.id
      stepStarted = Date.now()
      exchanges = []
      const state: StepState = { exchanges }
      if (broken === undefined && step.do) {
        try {
          state.response = await perform(ctx, step.do)
          ctx.scope.last = state.response.body as Record<string, unknown>
          if (step.do.save) ctx.scope[step.do.save] = state.response.body as Record<string, unknown>
        } catch (err) {
          broken = `step ${step.id} could not be performed: ${(err as Error).message}`
        }
      }
      state.exchanges = exchanges
      // Positive expectations first; the absence of an event is judged once they have been seen.
      const ordered = [...step.outcomes].sort((a, b) => Number(a.expect?.kind === 'no-event') - Number(b.expect?.kind === 'no-event'))
      for (const o of ordered) {
        const base = { flow: flow.id, step: step.id, outcome: o.text, requirements: o.requirements }
        if (broken !== undefined) { add({ ...base, status: 'fail', message: broken }); continue }
        if (!o.expect) { add({ ...base, status: 'skip', message: 'documented outcome without an executable expectation' }); continue }
        try {
          await check(ctx, o.expect, state)
          add({ ...base, status: 'pass' })
        } catch (err) {
          add({ ...base, status: err instanceof Impossible ? 'impossible' : 'fail', message: (err as Error).message })
        }
      }
    }
  } finally {
    stopObserving?.()
    for (const [user, session] of ctx.sessions) await session.call('clientLogout').catch(() => { ctx.sessions.delete(user) })
    await restore().catch(() => {})
    for (const index of ctx.killed) await target.reviveRegion?.(index)
    await ctx.stopSimulated()
    stopValidating()
    for (const c of ctx.contract.checks(flow.id)) add(c)
  }
  return result()
}
