// Grouping by destination region: the heart of "one request per destination region"
// (GRIDIM-SIGN-14, GRIDIM-GRP-13). Plain functions; the courier does the sending.

/** Where a request goes: a region (or the gateway) with the URL of its current lease. */
export type Target = { regionId: string, url: string }

/**
 * Groups items by their destination region, keeping the order of `items` within each group and
 * the order in which regions first appear. Items without a destination are dropped: nothing is
 * kept for a user who is offline (chapter 3, GRIDIM-GRP-20).
 */
export function groupByRegion<T> (
  items: readonly T[], targetOf: (item: T) => Target | undefined
): Array<{ target: Target, items: T[] }> {
  const groups = new Map<string, { target: Target, items: T[] }>()
  for (const item of items) {
    const target = targetOf(item)
    if (target === undefined) continue
    let group = groups.get(target.regionId)
    if (group === undefined) groups.set(target.regionId, group = { target, items: [] })
    group.items.push(item)
  }
  return [...groups.values()]
}

/** GRIDIM-LIM-6: as few requests as possible, none over the limit. */
export function chunk<T> (items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * GRIDIM-SIGN-17, GRIDIM-GRP-18: of the users a region said are not there, those now placed at
 * another region, grouped by that region. Users still placed at `tried`, or offline, are dropped.
 */
export function reroutes (
  notHere: readonly string[], tried: string, regionOf: (userId: string) => Target | undefined
): Array<{ target: Target, userIds: string[] }> {
  return groupByRegion(notHere, (u) => {
    const target = regionOf(u)
    return target?.regionId === tried ? undefined : target
  }).map(({ target, items }) => ({ target, userIds: items }))
}
