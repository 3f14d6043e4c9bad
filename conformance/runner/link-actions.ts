// Runner actions on the links between roles (issue 14): through its proxy in front of a role
// (conformance/lib/link-proxy.ts) the runner cuts the link from a peer (partition), delays it,
// holds requests or answers until a `heal`, or takes requests and never answers (blackhole).
// Every fault ends with the flow. A target without a proxy in front of the role named by `to`
// cannot do this: the flow is impossible there, not failed.
import { LINK_FAULTS, type LinkFault, type LinkFaultKind } from '../lib/link-proxy.ts'
import { USER_SERVER_KEY_ID } from '../contract/roles.ts'
import { allOperations } from '../../reference/lib/contract/operations.ts'
import { Impossible } from './expectations.ts'
import type { ActionResult } from './actions.ts'
import type { FlowContext } from './flow-context.ts'

const LINK_ACTIONS = [...LINK_FAULTS, 'heal', 'drop-held', 'await-held'] as const
type LinkAction = typeof LINK_ACTIONS[number]

export function isLinkAction (call: string): call is LinkAction {
  return (LINK_ACTIONS as readonly string[]).includes(call)
}

/** The keyid a role of the flow signs with: how the proxy tells its requests from others'. */
function keyIdOf (ctx: FlowContext, name: string): string {
  if (name === 'US' || ctx.flow.actors[name]?.kind === 'user-server') return USER_SERVER_KEY_ID
  const id = ctx.regions.get(name)?.regionId ?? ctx.simulated.get(name)?.regionId ??
    (name === ctx.gatewayActor ? ctx.target.gateway?.regionId : undefined)
  if (id === undefined) throw new Error(`${name} is not a role of this flow with a known regionId`)
  return id
}

function proxyOf (ctx: FlowContext, to: unknown) {
  if (typeof to !== 'string') throw new Error('a link action needs `to`: the role whose incoming link it acts on')
  const proxy = ctx.target.links?.proxyAt(ctx.urlOf(to))
  if (proxy === undefined) throw new Impossible(`the runner has no proxy in front of ${to} in this target, so it cannot act on links to it`)
  return proxy
}

export async function linkAction (ctx: FlowContext, call: LinkAction, args: Record<string, unknown>): Promise<ActionResult> {
  const { from, to, operation, ms, count } = args
  if (call === 'heal') {
    // Every link to `to`, or every link of the target.
    if (to === undefined) ctx.target.links?.heal(ctx.flow.id)
    else proxyOf(ctx, to).heal(ctx.flow.id)
    ctx.record({ kind: 'runner', operationId: 'heal', from: 'runner', to: String(to ?? 'all') })
    return { status: 200, body: undefined }
  }
  if (call === 'drop-held') {
    // What the link to `to` holds is lost on the way: its callers' connections close unanswered.
    proxyOf(ctx, to).drop(ctx.flow.id)
    ctx.record({ kind: 'runner', operationId: 'drop-held', from: 'runner', to: String(to) })
    return { status: 200, body: undefined }
  }
  if (call === 'await-held') {
    // Until the link holds `count` requests or answers: the window a flow aims at is open.
    const n = Number(count ?? 1)
    if (!Number.isInteger(n) || n < 1) throw new Error(`await-held needs a count ≥ 1, got ${String(count)}`)
    // `atMostMs`: a target may rightly send nothing for the link to hold (a gateway that needs no
    // lookup to act on a stanza): then the wait ends quietly after that long and the flow goes on.
    const atMostMs = args.atMostMs === undefined ? undefined : typeof args.atMostMs === 'number' ? args.atMostMs : NaN
    if (atMostMs !== undefined && !(Number.isInteger(atMostMs) && atMostMs > 0)) throw new Error(`await-held needs atMostMs, a whole number of milliseconds > 0, got ${String(args.atMostMs)}`)
    const waitMs = atMostMs ?? ctx.eventTimeoutMs
    // A region the runner plays holds the requests whose scripted answer it delays (region-answers `delayMs`).
    const sim = typeof to === 'string' ? ctx.simulated.get(to) : undefined
    if (sim !== undefined) {
      if (!await sim.script.whenDelaying(n, waitMs) && atMostMs === undefined) throw new Error(`${to} held ${sim.script.delaying} of ${n} requests within ${waitMs} ms`)
      return { status: 200, body: { held: sim.script.delaying } }
    }
    const proxy = proxyOf(ctx, to)
    if (!await proxy.whenHolding(n, waitMs, ctx.flow.id) && atMostMs === undefined) throw new Error(`the link to ${String(to)} held ${proxy.heldFor(ctx.flow.id)} of ${n} within ${waitMs} ms`)
    return { status: 200, body: { held: proxy.heldFor(ctx.flow.id) } }
  }
  const operationIds = operation === undefined ? undefined : (Array.isArray(operation) ? operation : [operation]).map(String)
  const unknown = operationIds?.filter((id) => !allOperations().has(id)) ?? []
  if (unknown.length > 0) throw new Error(`unknown operation ${unknown.join(', ')}`)
  const fault: LinkFault = {
    kind: call as LinkFaultKind,
    ...(from === undefined ? {} : { from: keyIdOf(ctx, String(from)) }),
    ...(operationIds === undefined ? {} : { operationIds }),
    ...(ms === undefined ? {} : { ms: Number(ms) }),
    ...(args.count === undefined ? {} : { count: Number(args.count) }),
    // Flows may run side by side on one target: a heal ends this flow's faults only.
    owner: ctx.flow.id
  }
  proxyOf(ctx, to).add(fault)
  ctx.record({ kind: 'runner', operationId: call, from: String(from ?? 'any'), to: String(to) })
  return { status: 200, body: undefined }
}
