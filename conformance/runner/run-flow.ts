// Replays one flow against a target: setup, then each step's action and the checks of its
// outcomes, in order. Every outcome becomes one check carrying its requirement ids.
import type { LoadedFlow } from '../../tools/spec/flows.ts'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import type { Target } from '../target/target.ts'
import { isFlowRole, roleAt, signerOf } from '../contract/roles.ts'
import { errorText } from '../lib/error-text.ts'
import { currentCaller, pathOf } from '../lib/caller.ts'
import { describeRefusals, type Refusal } from '../lib/refusals.ts'
import type { ClientInterface } from '../lib/client-session.ts'
import { frameSchemaFile } from '../contract/validate-frame.ts'
import { Blocking, checkLabel } from './blocking.ts'
import { isClientOperation } from './trace-callers.ts'
import { isSafe, perform } from './actions.ts'
import { attribute, attributeActor, type AttributionScope } from './attribution.ts'
import { check, Impossible, type StepState } from './expectations.ts'
import { FlowContext } from './flow-context.ts'
import type { Check, FlowResult } from './results.ts'
import { applySetup } from './setup.ts'

/** A failure's message, followed by what the runner's roles refused meanwhile (issue 14): often the cause. */
export function withRefusals (message: string, refusals: readonly Refusal[]): string {
  return refusals.length === 0 ? message : `${message}\nmeanwhile ${describeRefusals(refusals)}`
}

/** `clientInterface`: how the flow's users reach their regions unless their actor says (ClientSession); http by default. */
export type RunFlowOptions = { eventTimeoutMs?: number, onCheck?: (check: Check) => void, clientInterface?: ClientInterface }

/** How long a flow that restarted the user server waits, at most, for the target's leases to be held again. */
const LEASES_BACK_MS = 10_000

/**
 * Waits (at most `ms`) until every region of the target and its gateway have renewed their lease
 * with success after this moment. A flow that kept the user server down longer than a lease
 * leaves the leases lapsed until each role's next renewal; the next flow on this grid, whichever
 * it is (run-suite.ts replays flows in any order), must find them held as a fresh grid's are —
 * not, say, a gateway with no lease where a flow expects one. Only where the traffic is seen.
 */
async function untilLeasesRenewed (target: Target, ms: number): Promise<void> {
  const left = new Set([...target.regions.map((r) => r.regionId), target.gateway?.regionId].filter((id): id is string => id !== undefined))
  if (target.observe === undefined || left.size === 0) return
  const since = Date.now()
  await new Promise<void>((resolve) => {
    let stop = (): void => {}
    const done = (): void => { clearTimeout(timer); stop(); resolve() }
    const timer = setTimeout(done, ms)
    stop = target.observe!((x) => {
      if (x.operationId !== 'renewRegionLease' || x.status !== 200 || (x.sentAt ?? x.at) < since || x.keyId === undefined) return
      left.delete(x.keyId)
      if (left.size === 0) done()
    })
  })
}

export async function runFlow ({ flow, file }: LoadedFlow, target: Target, options: RunFlowOptions = {}): Promise<FlowResult> {
  const started = Date.now()
  const checks: Check[] = []
  const blocking = new Blocking()
  const add = (c: Check): void => { const judged = blocking.judge(c); checks.push(judged); options.onCheck?.(judged) }
  const ctx = new FlowContext(flow, target, options.eventTimeoutMs ?? 15_000, options.clientInterface)
  // Whose behaviour each check judges, and whether the target or the runner plays it.
  const scope: AttributionScope = { flow, playsUserServer: target.playsUserServer === true }
  const result = (): FlowResult => {
    const output = target.processOutput?.(started) ?? []
    return { flow: flow.id, title: flow.title, file, checks, trace: ctx.trace, durationMs: Date.now() - started, messagesValidated: ctx.contract.validated, ...(output.length === 0 ? {} : { processOutput: output }) }
  }
  const everyOutcome = (status: Check['status'], message: string): FlowResult => {
    let first = true
    for (const step of flow.steps) {
      for (const o of step.outcomes) {
        // A failed setup fails the first check; the others are blocked by it, not failures of their own (issue 14).
        const blockedBy = status === 'fail' && !first ? 'setup' : undefined
        add({ flow: flow.id, step: step.id, outcome: o.text, requirements: o.requirements, status: blockedBy === undefined ? status : 'blocked', message, ...(blockedBy === undefined ? {} : { blockedBy }), ...attribute(scope, step, o.requirements, o.expect) })
        first = false
      }
    }
    return result()
  }

  const missing = (flow.needs ?? []).filter((n) => !target.capabilities.has(n))
  if (missing.length > 0) {
    const why = [...new Set(missing.map((n) => target.missing?.[n]).filter((w) => w !== undefined))]
    return everyOutcome('impossible', `the target lacks: ${missing.join(', ')}${why.length > 0 ? ` (${why.join('; ')})` : ''}`)
  }

  let exchanges: ObservedExchange[] = []
  let stepStarted = 0
  const stopValidating = ctx.contract.watch()
  const onExchange = (x: ObservedExchange): void => {
    // Another flow's traffic, when flows run at once (run-suite.ts), is not this flow's.
    if (!isFlowRole(ctx, x.url)) return
    // An exchange belongs to the step during which its request went out, not the one its answer came in.
    if ((x.sentAt ?? x.at) >= stepStarted) exchanges.push(x)
    if (x.operationId !== 'renewRegionLease') ctx.lastTrafficAt = Date.now()
    // Named as the flow names the roles, so the sequence diagram's lanes meet the stanzas' (GW, D);
    // an unsigned request by the caller it went out for (a client of the flow, or the runner).
    blocking.noteExchange(x, signerOf(ctx, x.keyId)?.name ?? roleAt(ctx, x.url).name)
    const caller = currentCaller()
    if (caller?.traced === true) return
    const from = signerOf(ctx, x.keyId)?.name ?? caller?.name ?? (isClientOperation(x.operationId) ? 'client' : 'unsigned')
    ctx.record({ kind: isClientOperation(x.operationId) ? 'client' : 'peer', operationId: x.operationId, from, to: roleAt(ctx, x.url).name, method: x.method, path: pathOf(x.url), status: x.status, request: x.requestBody, response: x.responseBody })
  }
  const stopObserving = target.observe?.(onExchange)
  // A target that sees only part of the traffic (observes) does not see what its roles send the
  // roles the runner plays; the runner's roles see it themselves.
  const stopHearing = target.observe !== undefined && target.observes !== undefined ? ctx.onReceived(onExchange) : undefined
  // A frame of the client stream that breaks the frame rules fails a check of the step it came in, the region's (GRIDIM-ROLE-9's counterpart for frames).
  const addFrameViolations = (): void => {
    for (const v of ctx.takeStreamViolations()) {
      const where = v.violation.problems.map((p) => `${p.pointer === '' ? '(frame)' : p.pointer} ${p.message}`).join('; ')
      add({ flow: flow.id, step: v.step, outcome: v.violation.requirements.includes('GRIDIM-ROLE-9') ? `every frame ${v.region} sends on ${v.user}'s client stream conforms to ${frameSchemaFile(v.violation.type ?? '')}` : `${v.region} keeps the client stream's rules on ${v.user}'s stream`, requirements: v.violation.requirements, status: 'fail', message: `${v.region} -> ${v.user} ${v.violation.type ?? 'frame'}: ${where}; the frame: ${v.violation.text}`, ...attributeActor(scope, v.region) })
    }
  }
  // A nonce sent again to a region the runner plays, which refused it as any region would: the
  // signer's fault, under GRIDIM-SEC-18, whatever the flow was about (a retry of GRIDIM-IM-5 signed
  // with the first attempt's nonce fails there too, but this names the cause).
  const addReplayedNonces = (): void => {
    for (const r of ctx.takeReplayedNonces()) {
      const signer = signerOf(ctx, r.keyId)?.name ?? r.keyId ?? 'unsigned'
      add({ flow: flow.id, step: r.step, outcome: `${signer} signs every request it sends, a repeat too, with a nonce of its own`, requirements: ['GRIDIM-SEC-18'], status: 'fail', message: `${r.region} refused ${r.operationId} from ${signer} as replayed-request: its nonce had been received before`, ...attributeActor(scope, signer) })
    }
  }
  let restore = async (): Promise<void> => {}
  try {
    try {
      restore = await applySetup(ctx)
    } catch (err) {
      return everyOutcome(err instanceof Impossible ? 'impossible' : 'fail', withRefusals(`setup failed: ${errorText(err)}`, ctx.refusalsSince(started)))
    }
    let broken: string | undefined
    let brokenStatus: 'fail' | 'impossible' = 'fail'
    /** The first check of the step that could not be performed: the later steps' checks are blocked by it. */
    let brokenAt: string | undefined
    // A received stanza that breaks its schema fails a check of the step it arrived in.
    const addViolations = (): void => {
      for (const v of ctx.xmpp.takeViolations()) {
        add({ flow: flow.id, step: v.step, outcome: `every stanza the gateway sends conforms to ${v.schema}`, requirements: v.requirements, status: 'fail', message: v.message, ...attributeActor(scope, ctx.gatewayActor ?? 'GW') })
      }
    }
    addViolations()
    for (const step of flow.steps) {
      ctx.contract.step = step.id
      ctx.step = step.id
      stepStarted = Date.now()
      exchanges = []
      const state: StepState = { exchanges, startedAt: stepStarted }
      ctx.xmpp.startStep(step.id, step.do !== undefined && !isSafe(step.do))
      if (broken === undefined && step.do) {
        try {
          if ('start' in step.do && step.do.start !== undefined) {
            // Concurrent steps: sent now, answered to a later `await` step; this step has no response.
            const { start, ...action } = step.do
            ctx.started.start(start, async () => await perform(ctx, action))
          } else {
            state.response = await perform(ctx, step.do)
            state.response.answeredAt ??= Date.now()
            ctx.scope.last = state.response.body as Record<string, unknown>
            if ('save' in step.do && step.do.save) ctx.scope[step.do.save] = state.response.body as Record<string, unknown>
          }
        } catch (err) {
          broken = withRefusals(`step ${step.id} could not be performed: ${errorText(err)}`, ctx.refusalsSince(stepStarted))
          if (err instanceof Impossible) brokenStatus = 'impossible'
        }
      }
      state.exchanges = exchanges
      // Positive expectations first; the absence of an event or stanza is judged once they have been seen.
      // A traffic check judges what the step's other expectations waited for, so it comes last.
      const negative = (o: typeof step.outcomes[number]): number => o.expect?.kind === 'traffic' ? 2 : Number(o.expect?.kind === 'no-event' || o.expect?.kind === 'no-stanza')
      const ordered = [...step.outcomes].sort((a, b) => negative(a) - negative(b))
      for (const o of ordered) {
        const base = { flow: flow.id, step: step.id, outcome: o.text, requirements: o.requirements, ...attribute(scope, step, o.requirements, o.expect) }
        if (broken !== undefined) {
          if (brokenAt !== undefined && brokenStatus === 'fail') add({ ...base, status: 'blocked', message: broken, blockedBy: brokenAt })
          else add({ ...base, status: brokenStatus, message: broken })
          continue
        }
        if (!o.expect) { add({ ...base, status: 'skip', message: 'documented outcome without an executable expectation' }); continue }
        try {
          await check(ctx, o.expect, state, o.requirements)
          add({ ...base, status: 'pass' })
        } catch (err) {
          const impossible = err instanceof Impossible
          add({ ...base, status: impossible ? 'impossible' : 'fail', message: impossible ? (err as Error).message : withRefusals((err as Error).message, ctx.refusalsSince(stepStarted)) })
        }
      }
      if (broken !== undefined && brokenAt === undefined) brokenAt = checkLabel({ step: step.id, requirements: ordered[0]?.requirements ?? [], outcome: ordered[0]?.text ?? 'its action' })
      addViolations()
      addFrameViolations()
    }
  } finally {
    // Held requests go on and held answers are given before the sessions end (issue 14: link faults end with the flow).
    target.links?.heal(flow.id)
    stopObserving?.()
    stopHearing?.()
    for (const [user, session] of ctx.sessions) await session.call('clientLogout').catch(() => { ctx.sessions.delete(user) })
    // No socket outlives its flow: every session's stream, and those the flow's steps opened.
    for (const session of ctx.allSessions) await session.close().catch(() => {})
    for (const { stream } of ctx.streams) await stream.close().catch(() => {})
    // Requests a step started and no step awaited: each is bounded; none may outlive the flow.
    await ctx.started.settle()
    // After the grid users are gone, so that XMPP users' sign-offs notify nobody still online.
    await ctx.xmpp.closeAll().catch(() => {})
    for (const cleanup of ctx.cleanups) await cleanup().catch(() => {})
    await restore().catch(() => {})
    for (const index of ctx.killed) await target.reviveRegion?.(index)
    if (flow.steps.some((s) => s.do !== undefined && 'call' in s.do && s.do.call === 'restartUserServer')) await untilLeasesRenewed(target, LEASES_BACK_MS)
    await ctx.stopSimulated()
    stopValidating()
    addFrameViolations()
    addReplayedNonces()
    for (const c of ctx.contract.checks(flow.id)) add({ ...c, ...attributeActor(scope, c.actor ?? '?') })
  }
  return result()
}
