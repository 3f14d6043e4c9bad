// endRegionLease — GRIDIM-LEASE-10: an orderly shutdown has the effects of a lapse, at once.
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { signerOf } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { endLeases } from '../sweepers/end-leases.ts'

export function endRegionLease (ctx: UserServerContext): HandlerFor<'user-server', 'endRegionLease', PeerPrincipal> {
  return async (input) => {
    const regionId = input.params.regionId
    if (await ctx.store.getRegion(regionId) === null) throw new GridImError('unknown-region', `no region ${regionId}`)
    if (signerOf(input) !== regionId) throw new GridImError('forbidden', 'a region ends only its own lease')
    // The fault end-lease-keeps-sessions: the lease is not ended, so its sessions wait for a lapse.
    if (!ctx.faults.has('end-lease-keeps-sessions')) await endLeases(ctx, [regionId])
    return { status: 204 }
  }
}
