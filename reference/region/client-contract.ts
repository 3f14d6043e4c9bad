// GRIDIM-LEASE-12: `lease-expired` and `not-your-agent` are about a region and the user server,
// not about a client: passed on, they tell a viewer nothing it can act on, and no client
// operation lists them (openapi/client.yaml). A client whose operation meets one learns what it
// means for the client — its session is over (401 `unauthenticated`, sign on again) — or, when
// the session is still placed here, that the operation may be tried again (503 `unavailable`).
// Seen by the chaos harness after a slow user-server restart let the leases lapse.
import { GridImError } from '../lib/errors/index.ts'
import { allOperations } from '../lib/contract/operations.ts'
import type { DocumentOperations } from '../lib/contract/types.ts'
import type { ClientPrincipal, HandlerFor, Principal } from '../lib/http/index.ts'
import type { Agent } from './agents.ts'
import type { RegionContext } from './context.ts'

const GRID_ONLY = new Set(['lease-expired', 'not-your-agent'])

export type ClientOperationId = keyof DocumentOperations['client'] & string

/** A handler of openapi/client.yaml: every operation but clientLogin is called with a session secret. */
export type ClientHandler<K extends ClientOperationId> = HandlerFor<'client', K, K extends 'clientLogin' ? Principal : ClientPrincipal>

/** The client interface's handlers by operationId; a misnamed or mistyped one fails typecheck. */
export type ClientHandlers = { [K in ClientOperationId]?: ClientHandler<K> }

const sessionOver = (): GridImError =>
  new GridImError('unauthenticated', 'Your session has ended: the user server no longer places you at this region. Sign on again.')

export type Options = {
  /** Operations whose contract lists 403, where a peer's refusal of a session still placed here is kept. */
  forbiddenListed: ReadonlySet<string>
}

/** Wraps the client interface's handlers so that no answer carries a code of GRID_ONLY. */
export function withinClientContract (ctx: RegionContext, handlers: ClientHandlers, options: Options): ClientHandlers {
  if (ctx.faults.has('lease-codes-passed-to-client')) return handlers
  const wrapped: ClientHandlers = {}
  // The keys of a ClientHandlers are operationIds; each is wrapped with its own operation's type.
  for (const operationId of Object.keys(handlers) as ClientOperationId[]) {
    Object.assign(wrapped, { [operationId]: within(ctx, operationId, handlers, options) })
  }
  return wrapped
}

/** The operations of openapi/client.yaml whose contract lists 403 (Options.forbiddenListed). */
export function forbiddenListedOperations (): Set<string> {
  return new Set([...allOperations().values()].filter((op) => op.document === 'client' && op.responses.has('403')).map((op) => op.operationId))
}

/**
 * The client stream's requests (GRIDIM-CLI-39): `task` does what operation `operationId` does,
 * and its error is kept within that operation's contract exactly as over HTTP.
 */
export async function keepWithinContract<T> (ctx: RegionContext, operationId: ClientOperationId, principal: Principal, options: Options, task: () => Promise<T>): Promise<T> {
  try {
    return await task()
  } catch (err) {
    if (ctx.faults.has('lease-codes-passed-to-client') || !(err instanceof GridImError) || !GRID_ONLY.has(err.code)) throw err
    throw await translate(ctx, operationId, principal, err, options)
  }
}

/** The handler of operation `K`, its answers kept within the contract. */
function within<K extends ClientOperationId> (ctx: RegionContext, operationId: K, handlers: ClientHandlers, options: Options): ClientHandler<K> | undefined {
  const handler: ClientHandler<K> | undefined = handlers[operationId]
  if (handler === undefined) return undefined
  return async (input) => await keepWithinContract(ctx, operationId, input.principal, options, async () => await handler(input))
}

async function translate (ctx: RegionContext, operationId: ClientOperationId, principal: Principal, err: GridImError, options: Options): Promise<GridImError> {
  // A login acts for no session; the lease keeper already renewed and tried it again once.
  if (operationId === 'clientLogin') return new GridImError('unavailable', 'This region could not renew its lease with the user server; try again.')
  const agent = principal.kind === 'client' ? ctx.agents.bySecret(principal.token) : undefined
  // GRIDIM-LEASE-8: a lapse has ended every session here (the lease keeper dropped them).
  if (agent === undefined) return sessionOver()
  if (!await stillPlacedHere(ctx, agent)) {
    ctx.logger.warn('the user server no longer places this session here; it ends', { userId: agent.userId, operationId, code: err.code })
    // GRIDIM-OFFL-11: dropping the agent returns what its session left unread.
    ctx.agents.drop(agent)
    return sessionOver()
  }
  // A peer refused a session the user server still places here: a race a retry can settle.
  if (options.forbiddenListed.has(operationId)) return err
  return new GridImError('unavailable', 'Another region refused this request on your behalf; try again.')
}

/** Whether the user server still places the agent's user at this region (one locateUser for itself). */
async function stillPlacedHere (ctx: RegionContext, agent: Agent): Promise<boolean> {
  try {
    const found = await ctx.userServer('locateUser', { params: { userId: agent.userId }, query: { for: agent.userId } })
    return found.regionId === ctx.regionId
  } catch (err) {
    if (err instanceof GridImError && GRID_ONLY.has(err.code)) return false
    throw err
  }
}
