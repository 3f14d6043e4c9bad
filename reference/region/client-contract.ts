// GRIDIM-LEASE-12: `lease-expired` and `not-your-agent` are about a region and the user server,
// not about a client: passed on, they tell a viewer nothing it can act on, and no client
// operation lists them (openapi/client.yaml). A client whose operation meets one learns what it
// means for the client — its session is over (401 `unauthenticated`, sign on again) — or, when
// the session is still placed here, that the operation may be tried again (503 `unavailable`).
// Seen by the chaos harness after a slow user-server restart let the leases lapse.
import { GridImError } from '../lib/errors/index.ts'
import type { OperationHandler, OperationInput } from '../lib/http/index.ts'
import type { Agent } from './agents.ts'
import type { RegionContext } from './context.ts'
import type { UserLocation } from './types.ts'

const GRID_ONLY = new Set(['lease-expired', 'not-your-agent'])

const sessionOver = (): GridImError =>
  new GridImError('unauthenticated', 'Your session has ended: the user server no longer places you at this region. Sign on again.')

type Options = {
  /** Operations whose contract lists 403, where a peer's refusal of a session still placed here is kept. */
  forbiddenListed: ReadonlySet<string>
}

/** Wraps the client interface's handlers so that no answer carries a code of GRID_ONLY. */
export function withinClientContract (ctx: RegionContext, handlers: Record<string, OperationHandler>, options: Options): Record<string, OperationHandler> {
  if (ctx.faults.has('lease-codes-passed-to-client')) return handlers
  const wrapped: Record<string, OperationHandler> = {}
  for (const [operationId, handler] of Object.entries(handlers)) {
    wrapped[operationId] = async (input) => {
      try {
        return await handler(input)
      } catch (err) {
        if (!(err instanceof GridImError) || !GRID_ONLY.has(err.code)) throw err
        throw await translate(ctx, operationId, input, err, options)
      }
    }
  }
  return wrapped
}

async function translate (ctx: RegionContext, operationId: string, input: OperationInput, err: GridImError, options: Options): Promise<GridImError> {
  // A login acts for no session; the lease keeper already renewed and tried it again once.
  if (operationId === 'clientLogin') return new GridImError('unavailable', 'This region could not renew its lease with the user server; try again.')
  const agent = input.principal.kind === 'client' ? ctx.agents.bySecret(input.principal.token) : undefined
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
    const found = await ctx.userServer<UserLocation>('locateUser', { params: { userId: agent.userId }, query: { for: agent.userId } })
    return found.regionId === ctx.regionId
  } catch (err) {
    if (err instanceof GridImError && GRID_ONLY.has(err.code)) return false
    throw err
  }
}
