// A step's `do`: a client operation as a user, an admin operation, or a runner action.
// Flat arguments are split by the contract: path and query parameters by name, the rest is the body.
import { GridImError } from '../../reference/lib/errors/index.ts'
import { allOperations, type Operation } from '../../reference/lib/contract/operations.ts'
import type { Step } from '../../spec/flows/schema.ts'
import type { FlowContext } from './flow-context.ts'
import { resolveValue } from './vars.ts'

export type ActionResult = { status: number, body: unknown }

let operations: Map<string, Operation> | undefined

function split (op: Operation, args: Record<string, unknown>) {
  const params: Record<string, string> = {}
  const query: Record<string, string> = {}
  const body: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(args)) {
    if (op.params.path.some((p) => p.name === k)) params[k] = String(v)
    else if (op.params.query.some((p) => p.name === k)) query[k] = String(v)
    else body[k] = v
  }
  return { params, query, body: op.requestBody ? body : undefined }
}

async function runnerAction (ctx: FlowContext, call: string, as: string | undefined, args: Record<string, unknown>): Promise<ActionResult> {
  const { target } = ctx
  switch (call) {
    case 'signOn': {
      const s = await ctx.signOn(as!)
      return { status: 200, body: s.login }
    }
    case 'signOff': {
      await ctx.session(as!).call('clientLogout')
      ctx.sessions.delete(as!)
      return { status: 204, body: undefined }
    }
    case 'killRegion': {
      const region = ctx.regions.get(String(args.region ?? as))
      if (!region || !target.killRegion) throw new Error('this target cannot kill a region')
      await target.killRegion(region.index)
      ctx.record({ kind: 'runner', operationId: 'killRegion', from: 'runner', to: String(args.region ?? as) })
      return { status: 200, body: undefined }
    }
    case 'restartUserServer': {
      if (!target.restartUserServer) throw new Error('this target cannot restart its user server')
      await target.restartUserServer()
      ctx.record({ kind: 'runner', operationId: 'restartUserServer', from: 'runner', to: 'US' })
      return { status: 200, body: undefined }
    }
    case 'wait-idle':
      return { status: 200, body: undefined }
    default:
      throw new Error(`unknown runner action ${call}`)
  }
}

export async function perform (ctx: FlowContext, action: NonNullable<Step['do']>): Promise<ActionResult> {
  const args = (resolveValue(action.args ?? {}, ctx.scope) ?? {}) as Record<string, unknown>
  operations ??= allOperations()
  const op = operations.get(action.call)
  if (op === undefined) return await runnerAction(ctx, action.call, action.as, args)
  const { params, query, body } = split(op, args)
  try {
    if (op.document === 'admin') return { status: 200, body: await ctx.admin(action.call, { params, query, body }) }
    if (op.document !== 'client') throw new Error(`${action.call} is not a client or admin operation; the runner does not call it directly`)
    if (action.call === 'clientLogin') return await runnerAction(ctx, 'signOn', action.as, args)
    const session = ctx.session(action.as!)
    const { status, body: response } = await session.request(action.call, { params, query, body })
    ctx.record({ kind: 'client', operationId: action.call, from: action.as!, to: ctx.flow.actors[action.as!]?.at ?? '?', status, request: body, response })
    if (action.call === 'clientLogout') ctx.sessions.delete(action.as!)
    if (action.call === 'clientTeleport' && typeof (response as any)?.regionUrl === 'string') session.moveTo((response as any).regionUrl)
    return { status, body: response }
  } catch (err) {
    if (!(err instanceof GridImError)) throw err
    const problem = err.toProblem()
    ctx.record({ kind: 'client', operationId: action.call, from: action.as ?? 'runner', to: '?', status: err.status, request: body, response: problem })
    return { status: err.status, body: problem }
  }
}
