// renewRegionLease — GRIDIM-LEASE-1..3, GRIDIM-LEASE-9, GRIDIM-ROLE-5.
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import type { Store } from '../../store/index.ts'
import { signerOf } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { timestamp } from '../conversions.ts'
import { leaseIsCurrent } from '../notices/locator.ts'
import { endLeases } from '../sweepers/end-leases.ts'

/** GRIDIM-ROLE-5: one gateway holds a current lease at a time. */
async function requireNoOtherGateway (store: Store, regionId: string, now: number): Promise<void> {
  if ((await store.listRegions()).some((r) => r.kind === 'gateway' && r.regionId !== regionId && leaseIsCurrent(r, now))) {
    throw new GridImError('forbidden', 'another gateway holds a current lease')
  }
}

export function renewRegionLease (ctx: UserServerContext): HandlerFor<'user-server', 'renewRegionLease', PeerPrincipal> {
  const { store } = ctx
  return async (input) => {
    const regionId = input.params.regionId
    const { url, kind, name } = input.body
    const region = await store.getRegion(regionId)
    if (region === null) throw new GridImError('unknown-region', `region ${regionId} is not provisioned`)
    if (signerOf(input) !== regionId) throw new GridImError('forbidden', 'a region renews only its own lease')
    if (kind !== region.kind && !ctx.faults.has('lease-kind-unchecked')) throw new GridImError('forbidden', `region ${regionId} is provisioned as a ${region.kind}`)
    const now = ctx.now()
    if (kind === 'gateway') await requireNoOtherGateway(store, regionId, now)
    // GRIDIM-LEASE-9: a lapse not yet swept takes effect first, so no session survives it.
    if (region.leaseExpiresAt !== null && !leaseIsCurrent(region, now)) await endLeases(ctx, [regionId])
    const { leaseSeconds } = await store.getSettings()
    // The fault lease-not-extended-by-renewal keeps a current lease's expiry: renewal then only restarts a lapsed one.
    const kept = ctx.faults.has('lease-not-extended-by-renewal') && leaseIsCurrent(region, now) ? region.leaseExpiresAt : null
    const expiresAt = kept ?? now + leaseSeconds * 1000
    await store.transaction(async (tx) => {
      // Checked again here: another gateway may have taken its lease meanwhile (GRIDIM-ROLE-5).
      if (kind === 'gateway') await requireNoOtherGateway(tx, regionId, now)
      if (name !== region.name) await tx.provisionRegion({ regionId, name, kind, publicKey: region.publicKey })
      await tx.renewLease(regionId, url, expiresAt)
    })
    return { body: { leaseSeconds, expiresAt: timestamp(expiresAt) } }
  }
}
