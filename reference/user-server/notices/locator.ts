// Where users can be reached right now (GRIDIM-LOC-3, GRIDIM-LOC-4): a grid user at the region
// of its session, if that region holds a current lease; a foreign user at its session's region
// or, without one, at the gateway while the gateway holds a current lease. One store query for
// the sessions of any number of users.
import type { RegionRow, Store } from '../../store/index.ts'
import { isForeignUser } from '../users/foreign-users.ts'
import type { Target } from './routing.ts'

export type Locate = (userIds: readonly string[]) => Promise<Map<string, Target>>

/** GRIDIM-LEASE-4: a lease is current while its expiry lies in the future. */
export function leaseIsCurrent (region: Pick<RegionRow, 'leaseExpiresAt'> | null, now: number): boolean {
  return region?.leaseExpiresAt != null && region.leaseExpiresAt > now
}

export async function regionTarget (store: Store, regionId: string, now: number): Promise<Target | undefined> {
  const region = await store.getRegion(regionId)
  return region !== null && region.url !== null && leaseIsCurrent(region, now) ? { regionId, url: region.url } : undefined
}

/** The gateway holding a current lease (GRIDIM-ROLE-5 allows one), if any. */
export async function currentGateway (store: Store, now: number): Promise<Target | undefined> {
  const gateway = (await store.listRegions()).find((r) => r.kind === 'gateway' && r.url !== null && leaseIsCurrent(r, now))
  return gateway === undefined ? undefined : { regionId: gateway.regionId, url: gateway.url! }
}

export function locator (store: Store, now: () => number): Locate {
  return async (userIds) => {
    const at = now()
    const regions = new Map<string, Target | undefined>()
    const out = new Map<string, Target>()
    const placed = new Set<string>()
    for (const session of await store.listOnlineUsers(userIds)) {
      placed.add(session.userId)
      if (!regions.has(session.regionId)) regions.set(session.regionId, await regionTarget(store, session.regionId, at))
      const target = regions.get(session.regionId)
      if (target !== undefined) out.set(session.userId, target)
    }
    let gateway: Target | undefined | null = null
    for (const userId of userIds) {
      if (placed.has(userId)) continue
      const user = await store.getUser(userId)
      if (user === null || !isForeignUser(user)) continue
      if (gateway === null) gateway = await currentGateway(store, at)
      if (gateway !== undefined) out.set(userId, gateway)
    }
    return out
  }
}
