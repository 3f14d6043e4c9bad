// Steps whose action runs in the background (issue 14): a client signs on while a link of the
// runner holds the user server's answer, and the next steps act meanwhile. The action's answer is
// collected by a later `await-background` step, within the flow's event timeout.
import type { CallAction } from '../../spec/flows/schema.ts'
import { perform, type ActionResult } from './actions.ts'
import type { FlowContext } from './flow-context.ts'

/** What a step with a background action answers at once: accepted, nothing yet. */
const STARTED: ActionResult = { status: 202, body: undefined }

export function startInBackground (ctx: FlowContext, stepId: string, action: CallAction): ActionResult {
  const running = perform(ctx, action).then((result) => {
    if (action.save) ctx.scope[action.save] = result.body as Record<string, unknown>
    return result
  })
  // Judged when awaited; until then a failure is no unhandled rejection.
  running.catch(() => {})
  ctx.background.set(stepId, running)
  return STARTED
}

/** The answer of step `stepId`'s background action, once it has one (within the event timeout). */
export async function awaitBackground (ctx: FlowContext, stepId: string): Promise<ActionResult> {
  const running = ctx.background.get(stepId)
  if (running === undefined) throw new Error(`await-background needs a step with a background action before it, got step ${stepId}`)
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the background action of step ${stepId} had no answer within ${ctx.eventTimeoutMs} ms`)), ctx.eventTimeoutMs)
  })
  try {
    return await Promise.race([running, timeout])
  } finally {
    clearTimeout(timer)
    ctx.background.delete(stepId)
  }
}

/** Waits for every background action not awaited yet, at most the event timeout in all. */
export async function settleBackground (ctx: FlowContext): Promise<void> {
  const running = [...ctx.background.values()]
  ctx.background.clear()
  if (running.length === 0) return
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    Promise.allSettled(running),
    new Promise<void>((resolve) => { timer = setTimeout(resolve, ctx.eventTimeoutMs) })
  ])
  clearTimeout(timer)
}
