// Checking an outcome's `expect` against what the target did. Positive expectations wait (with
// a bound, never a fixed sleep); negative ones are checked after the step's positives are seen.
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import type { Expectation } from '../../spec/flows/schema.ts'
import { roleAt, signerOf } from '../contract/roles.ts'
import { isClientEventType } from '../lib/client-event-types.ts'
import { is, type ClientEventType } from '../lib/client-session.ts'
import type { ActionResult } from './actions.ts'
import type { FlowContext } from './flow-context.ts'
import { internalAddresses, leakIn } from './discreet.ts'
import { matches, mismatch } from './match.ts'
import { resolveValue } from './vars.ts'

export class Impossible extends Error {}

const EXACT_COUNT_SETTLE_MS = 300

export type StepState = { response?: ActionResult, exchanges: ObservedExchange[] }

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

function exchangeCount (ctx: FlowContext, state: StepState, e: Extract<Expectation, { kind: 'exchange' }>): number {
  return state.exchanges.filter((x) => x.operationId === e.operation &&
    roleName(ctx, x.url) === e.to &&
    roleName(ctx, x.keyId === undefined ? undefined : ctx.target.keyIdUrl?.(x.keyId)) === e.from).length
}

/** What traffic the step did see instead (issue 14): the last few exchanges, who to whom, and their status. */
export function exchangesSeen (ctx: FlowContext, state: StepState, last = 8, operation?: string): string {
  // Lease renewals go on all the time: named only by their number, unless they are what was expected.
  const renewals = operation === 'renewRegionLease' ? [] : state.exchanges.filter((x) => x.operationId === 'renewRegionLease' && x.status < 400)
  const others = state.exchanges.filter((x) => !renewals.includes(x))
  const also = renewals.length === 0 ? '' : ` (and ${renewals.length} lease renewal${renewals.length === 1 ? '' : 's'})`
  if (others.length === 0) return `the step saw no other service-to-service exchange${also}`
  const shown = others.slice(-last).map((x) =>
    `${signerOf(ctx, x.keyId)?.name ?? 'unsigned'} -> ${roleAt(ctx, x.url).name} ${x.operationId} ${x.status}`)
  return `the step saw ${others.length} exchanges${also}, the last ${shown.length}: ${shown.join(', ')}`
}

/** Resolves when the expectation holds; throws an Error saying what was seen when it does not. */
export async function check (ctx: FlowContext, expect: Expectation, state: StepState): Promise<void> {
  switch (expect.kind) {
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
      const leak = expect.discreet === true ? leakIn(state.response.body, internalAddresses(ctx.target)) : undefined
      if (leak !== undefined) throw new Error(`the answer reveals ${leak}: ${JSON.stringify(state.response.body)}`)
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
      const deadline = Date.now() + ctx.eventTimeoutMs
      const fail = (n: number): Error => new Error(`expected ${expect.count ?? 'at least one'} ${expect.operation} from ${expect.from} to ${expect.to}, saw ${n}; ${exchangesSeen(ctx, state, 8, expect.operation)}`)
      for (;;) {
        const n = exchangeCount(ctx, state, expect)
        if (expect.count === undefined ? n > 0 : n === expect.count) break
        if (Date.now() > deadline || (expect.count !== undefined && n > expect.count)) throw fail(n)
        await new Promise((r) => setTimeout(r, 50))
      }
      // "Exactly N" is also a claim that no more follow: like no-event, it is judged once the
      // traffic has settled — here, a short bounded quiet period after the count was reached.
      if (expect.count !== undefined) {
        await new Promise((r) => setTimeout(r, EXACT_COUNT_SETTLE_MS))
        const n = exchangeCount(ctx, state, expect)
        if (n !== expect.count) throw fail(n)
      }
      return
    }
    case 'stanza':
      await ctx.xmpp.expect(expect)
      return
    case 'no-stanza':
      await ctx.xmpp.expectNone(expect)
  }
}
