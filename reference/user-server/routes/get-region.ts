// getRegion — a region's directory entry and whether its lease is current (GRIDIM-LEASE-4).
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import type { UserServerContext } from '../context.ts'
import { regionView } from './region-view.ts'

export function getRegion (ctx: UserServerContext): HandlerFor<'user-server', 'getRegion', PeerPrincipal> {
  return async ({ params }) => {
    const region = await ctx.store.getRegion(params.regionId)
    if (region === null) throw new GridImError('unknown-region', `no region ${params.regionId}`)
    return { body: regionView(region, ctx.now()) }
  }
}
