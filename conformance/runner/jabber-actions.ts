// Runner actions of the positions around the gateway (issue 14): as its Jabber server the runner
// breaks, silences and refuses the component link and sends stanzas from the server's own
// address (`jabber-server`); as the operator of an embedded target it restarts the gateway, with
// its own configuration or a gateway domain the user server does not publish (`restart-gateway`).
// Whatever a flow did to the link or the gateway is undone when the flow ends, so later flows
// find a linked gateway.
import { LINK_ACTS, type LinkActArgs } from '../jabber/link-control.ts'
import type { FlowContext } from './flow-context.ts'
import type { ActionResult } from './actions.ts'

const restored = new WeakSet<FlowContext>()

/** Once per flow: links served again and the gateway linked — restarted, if it stopped trying. */
function restoreAfter (ctx: FlowContext): void {
  if (restored.has(ctx)) return
  restored.add(ctx)
  ctx.cleanups.push(async () => {
    const linked = await ctx.target.jabberServer?.link?.restore() ?? true
    const started = ctx.gatewayRestarted
    if ((!linked || started !== 'as configured') && ctx.target.restartGateway !== undefined) {
      const again = await ctx.target.restartGateway()
      if (!again.started) throw new Error(`the gateway did not start again after the flow: ${again.error ?? 'no reason given'}`)
      ctx.gatewayRestarted = 'as configured'
    }
  })
}

/** `jabber-server`: one act on the component link (conformance/jabber/link-control.ts). */
export async function jabberServerAction (ctx: FlowContext, args: Record<string, unknown>): Promise<ActionResult> {
  const link = ctx.target.jabberServer?.link
  if (link === undefined) throw new Error('this target\'s Jabber server is not one the runner plays (needs: control-jabber-server)')
  const act = String(args.act)
  if (!(LINK_ACTS as readonly string[]).includes(act)) throw new Error(`unknown jabber-server act ${act}: one of ${LINK_ACTS.join(', ')}`)
  const { act: _, ...rest } = args
  restoreAfter(ctx)
  const body = await link.perform(act, rest as LinkActArgs)
  ctx.record({ kind: 'runner', operationId: `jabber-server ${act}`, from: 'J', to: ctx.gatewayActor ?? 'GW' })
  return { status: 200, body }
}

/**
 * `restart-gateway`: the gateway stopped as a crash would and started again; `domain:
 * mismatched` configures it with a gateway domain other than the one the user server publishes.
 * Answers whether it started and, when it refused to, which names its error gives.
 */
export async function restartGatewayAction (ctx: FlowContext, args: Record<string, unknown>): Promise<ActionResult> {
  const { target } = ctx
  if (target.restartGateway === undefined || target.gateway === undefined) throw new Error('this target cannot restart its gateway (needs: restart-gateway)')
  if (args.domain !== undefined && args.domain !== 'mismatched') throw new Error(`restart-gateway: domain is mismatched or absent, got ${String(args.domain)}`)
  const published = target.gateway.domain
  const domain = args.domain === 'mismatched' ? `mismatched-${ctx.runTag}.${published}` : undefined
  restoreAfter(ctx)
  const result = await target.restartGateway(domain === undefined ? {} : { domain })
  ctx.gatewayRestarted = domain === undefined && result.started ? 'as configured' : 'otherwise'
  ctx.record({ kind: 'runner', operationId: 'restart-gateway', from: 'runner', to: ctx.gatewayActor ?? 'GW' })
  const error = (result.error ?? '').toLowerCase()
  const names = {
    gatewayDomain: error.includes((domain ?? published).toLowerCase()),
    ...(domain === undefined ? {} : { publishedDomain: error.replaceAll(domain.toLowerCase(), '').includes(published.toLowerCase()) }),
    ...(target.jabberServer === undefined ? {} : { jabberServer: error.includes(target.jabberServer.domain.toLowerCase()) })
  }
  return { status: 200, body: result.started ? { started: true } : { started: false, error: result.error, names } }
}
