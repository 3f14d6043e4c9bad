// A region as the directory shows it (common.yaml Region); GRIDIM-LEASE-4: online exactly
// while its lease is current.
import type { Schema } from '../../lib/contract/types.ts'
import type { RegionRow } from '../../store/index.ts'
import { leaseIsCurrent } from '../notices/locator.ts'

export function regionView (region: RegionRow, now: number): Schema<'Region'> {
  return {
    regionId: region.regionId,
    name: region.name,
    kind: region.kind,
    url: region.url,
    publicKey: region.publicKey,
    online: leaseIsCurrent(region, now)
  }
}
