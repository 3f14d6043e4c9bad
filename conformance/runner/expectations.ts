// Checking an outcome's `expect` against what the target did. Positive expectations wait (with
// a bound, never a fixed sleep); negative ones are checked after the step's positives are seen.
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import type { Expectation } from '../../spec/flows/schema.ts'
import { describeViolation } from '../contract/contract-ledger.ts'
import { roleAt, signerOf } from '../contract/roles.ts'
import { isClientEventType } from '../lib/client-event-types.ts'
import { is, type ClientEventType } from '../lib/client-session.ts'
import type { ActionResult } from './actions.ts'
import type { FlowContext } from './flow-context.ts'
import { revealedDetail } from './internal-details.ts'
import { matches, mismatch } from './match.ts'
import { resolveValue } from './vars.ts'

export class Impossible extends Error {}

const EXACT_COUNT_SETTLE_MS = 300

/** `startedAt`: when the step began, from which a `within` bound counts. */
export type StepState = { response?: ActionResult, exchanges: ObservedExchange[], startedAt?: number }

function roleName (ctx: FlowContext, url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  const origin = new URL(url).origin
  if (new URL(ctx.target.userServerUrl).origin === origin) return 'US'
  for (const [name, r] of ctx.regions) if (new URL(r.url).origin === origin) return name
  // A region the runner plays: what a target sends it is counted like traffic between target roles.
  for (const [name, sim] of ctx.simulated) if (new URL(sim.url).origin === origin) return name
  const gateway = ctx.target.gateway
  if (gateway !== undefined && new URL(gateway.url).origin === origin) return ctx.gatewayActor
  return undefined
}

/** A flow's event type, which must be one client.yaml defines. */
function eventType (type: string): ClientEventType {
  if (!isClientEventType(type)) throw new Error(`openapi/client.yaml defines no ClientEvent of type ${type}`)
  return type
}

function exchangesOf (ctx: FlowContext, state: StepState, e: Extract<Expectation, { kind: 'exchange' }>, withinMs?: number): ObservedExchange[] {
  return state.exchanges.filter((x) => x.operationId === e.operation &&
    (e.status === undefined || x.status === e.status) &&
    (withinMs === undefined || (x.sentAt ?? x.at) <= (state.startedAt ?? 0) + withinMs) &&
    roleName(ctx, x.url) === e.to &&
    roleName(ctx, x.keyId === undefined ? undefined : ctx.target.keyIdUrl?.(x.keyId)) === e.from)
}

function exchangeCount (ctx: FlowContext, state: StepState, e: Extract<Expectation, { kind: 'exchange' }>, withinMs?: number): number {
  return exchangesOf(ctx, state, e, withinMs).length
}

/** The gaps between the requests' departures (`sentAt`), in the order they went out, for `spacedMs`. */
export function gapsMs (exchanges: readonly ObservedExchange[]): number[] {
  const times = exchanges.map((x) => x.sentAt ?? x.at).sort((a, b) => a - b)
  return times.slice(1).map((t, i) => t - times[i]!)
}

/** What traffic the step did see instead (issue 14): the last few exchanges, who to whom, and their status. */
export function exchangesSeen (ctx: FlowContext, state: StepState, last = 8, operation?: string): string {
  // Lease renewals and the directory reads that follow them go on all the time: named only by
  // their number, unless they are what was expected (a wait of seconds would show nothing else).
  const background = (op: string): string | undefined => op === operation ? undefined : op === 'renewRegionLease' ? 'lease renewal' : op === 'getDirectory' ? 'directory read' : undefined
  const counted = new Map<string, number>()
  const others: ObservedExchange[] = []
  for (const x of state.exchanges) {
    const kind = x.status < 400 ? background(x.operationId) : undefined
    if (kind === undefined) others.push(x)
    else counted.set(kind, (counted.get(kind) ?? 0) + 1)
  }
  const also = counted.size === 0 ? '' : ` (and ${[...counted].map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`).join(', ')})`
  if (others.length === 0) return `the step saw no other service-to-service exchange${also}`
  const shown = others.slice(-last).map((x) =>
    `${signerOf(ctx, x.keyId)?.name ?? 'unsigned'} -> ${roleAt(ctx, x.url).name} ${x.operationId} ${x.status}`)
  return `the step saw ${others.length} exchange${others.length === 1 ? '' : 's'}${also}, the last ${shown.length}: ${shown.join(', ')}`
}

/** Resolves when the expectation holds; throws an Error saying what was seen when it does not. */
export async function check (ctx: FlowContext, expect: Expectation, state: StepState, requirements: readonly string[] = []): Promise<void> {
  switch (expect.kind) {
    case 'traffic': {
      // The runner's own roles are not judged against the contract (contract-ledger.ts).
      if ((expect.of === 'US' && ctx.target.playsUserServer === true) || ctx.simulated.has(expect.of)) throw new Impossible(`the runner plays ${expect.of}; its messages are not judged`)
      const { judged, violations } = ctx.contract.traffic(expect.of, requirements)
      if (violations.length > 0) {
        const shown = violations.slice(0, 3).map(describeViolation)
        // Only `of`'s own messages are counted, so the check is attributed to `of` (attribution.ts).
        throw new Error(`${violations.length} kind${violations.length === 1 ? '' : 's'} of message from ${expect.of} break ${requirements.join(', ')}: ${shown.join(' | ')}${violations.length > 3 ? ' | ...' : ''}`)
      }
      if (judged === 0) throw new Error(`the runner saw no message of ${expect.of} to judge`)
      return
    }
    case 'event': {
      const type = eventType(expect.type)
      const match = resolveValue(expect.match ?? {}, ctx.scope)
      const session = ctx.session(expect.for)
      const wanted = is.type(type, (data) => matches(data, match))
      await session.waitFor(wanted, ctx.eventTimeoutMs, `${expect.for} ${type} ${JSON.stringify(match)}`)
      if (expect.count === undefined) return
      // "Exactly N" is also a claim that no more follow: read what is there now, then count.
      await session.poll(0)
      const seen = session.seen(wanted)
      if (seen.length !== expect.count) throw new Error(`${expect.for} received ${seen.length} ${type} events matching, not ${expect.count}: ${JSON.stringify(seen.map((e) => e.id))}`)
      return
    }
    case 'no-event': {
      const type = eventType(expect.type)
      const match = resolveValue(expect.match ?? {}, ctx.scope)
      const session = ctx.session(expect.for)
      await session.poll(0)
      const seen = session.seen(is.type(type, (data) => matches(data, match)))
      if (seen.length > 0) throw new Error(`${expect.for} received ${expect.type} it must not: ${JSON.stringify(seen[0])}`)
      return
    }
    case 'response': {
      if (!state.response) throw new Error('the step has no `do` whose response could be checked')
      if (expect.status !== undefined && state.response.status !== expect.status) {
        throw new Error(`expected status ${expect.status}, got ${state.response.status}: ${JSON.stringify(state.response.body)}`)
      }
      const m = expect.match === undefined ? undefined : mismatch(state.response.body, resolveValue(expect.match, ctx.scope))
      if (m) throw new Error(`response ${m}`)
      if (expect.contentType !== undefined) {
        const got = state.response.contentType?.split(';')[0]!.trim().toLowerCase()
        if (got !== expect.contentType) throw new Error(`expected the media type ${expect.contentType}, the answer is labelled ${got ?? 'with none'}`)
      }
      // What an error answer reveals (GRIDIM-ERR-6); a success has nothing of the kind to judge.
      if (expect.discreet === true && state.response.status < 400) throw new Error(`expected an error answer whose details could be judged, got ${state.response.status}`)
      const revealed = expect.discreet === true ? revealedDetail(state.response.body) : undefined
      if (revealed !== undefined) throw new Error(`the ${state.response.status} answer reveals ${revealed}`)
      if (expect.within !== undefined) {
        const tookMs = (state.response.answeredAt ?? Date.now()) - (state.startedAt ?? 0)
        if (tookMs > expect.within * 1000) throw new Error(`the answer came ${(tookMs / 1000).toFixed(1)} s after the step began, later than ${expect.within} s`)
      }
      return
    }
    case 'state': {
      const userId = ctx.users.get(expect.of)?.userId
      if (!userId) throw new Error(`${expect.of} is not a user of this flow`)
      const expected = resolveValue(expect.match, ctx.scope)
      const deadline = Date.now() + ctx.eventTimeoutMs
      for (;;) {
        const user = await ctx.admin('adminGetUser', { params: { userId } })
        const m = mismatch(user, expected)
        if (!m) return
        if (Date.now() > deadline) throw new Error(`${expect.of}: ${m}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    case 'exchange': {
      if (!ctx.target.observe) throw new Impossible('this target does not let the runner observe service-to-service traffic')
      const urlOf = (role: string): string | undefined => { try { return ctx.urlOf(role) } catch { return undefined } }
      if (ctx.target.observes?.(expect.from, expect.to, urlOf) === false) throw new Impossible(`this target does not let the runner observe traffic from ${expect.from} to ${expect.to}`)
      // `within`: only requests sent that soon after the step began count, and the wait ends then.
      const boundMs = expect.within === undefined ? undefined : expect.within * 1000
      const deadline = boundMs === undefined ? Date.now() + ctx.eventTimeoutMs : (state.startedAt ?? Date.now()) + boundMs + 100
      const late = boundMs === undefined ? '' : ` within ${expect.within} s of the step's start`
      const answered = expect.status === undefined ? '' : ` answered ${expect.status}`
      const fail = (n: number): Error => new Error(`expected ${expect.count ?? 'at least one'} ${expect.operation} from ${expect.from} to ${expect.to}${answered}${late}, saw ${n}; ${exchangesSeen(ctx, state, 8, expect.operation)}`)
      for (;;) {
        const n = exchangeCount(ctx, state, expect, boundMs)
        if (expect.count === undefined ? n > 0 : n === expect.count) break
        if (Date.now() > deadline || (expect.count !== undefined && n > expect.count)) throw fail(n)
        await new Promise((r) => setTimeout(r, 50))
      }
      // "Exactly N" is also a claim that no more follow: like no-event, it is judged once the
      // traffic has settled — here, a short bounded quiet period after the count was reached.
      if (expect.count !== undefined) {
        await new Promise((r) => setTimeout(r, EXACT_COUNT_SETTLE_MS))
        const n = exchangeCount(ctx, state, expect, boundMs)
        if (n !== expect.count) throw fail(n)
      }
      if (expect.spacedMs !== undefined) {
        const gaps = gapsMs(exchangesOf(ctx, state, expect))
        const short = gaps.findIndex((g) => g < expect.spacedMs!)
        if (short !== -1) throw new Error(`${expect.operation} from ${expect.from} to ${expect.to} number ${short + 2} went out ${gaps[short]} ms after the one before it, sooner than ${expect.spacedMs} ms (gaps ${gaps.join(', ')} ms)`)
      }
      return
    }
    case 'stanza':
      await ctx.xmpp.expect(expect)
      return
    case 'no-stanza':
      await ctx.xmpp.expectNone(expect)
      return
    case 'stream-error':
      await ctx.xmpp.expectStreamError(expect)
  }
}
