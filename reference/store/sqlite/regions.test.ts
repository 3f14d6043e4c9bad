import t from 'tap'
import { randomUUID } from 'node:crypto'
import { eachStore } from '../test-support.ts'

eachStore(t, (t, fresh) => {
  t.test('a provisioned region has no lease until it renews one (GRIDIM-LEASE)', async (t) => {
    const store = await fresh(t)
    const regionId = randomUUID()
    const region = await store.provisionRegion({ regionId, name: 'Ahern', kind: 'region', publicKey: 'k1' })
    t.same(region, { regionId, name: 'Ahern', kind: 'region', publicKey: 'k1', url: null, leaseExpiresAt: null })
    t.same(await store.getRegion(regionId), region)
    t.same(await store.renewLease(regionId, 'http://127.0.0.1:9001', 30_000), {
      ...region,
      url: 'http://127.0.0.1:9001',
      leaseExpiresAt: 30_000,
    })
  })

  t.test('provisioning again updates name, kind and key but keeps the lease', async (t) => {
    const store = await fresh(t)
    const regionId = randomUUID()
    await store.provisionRegion({ regionId, name: 'Old', kind: 'region', publicKey: 'k1' })
    await store.renewLease(regionId, 'http://r', 5000)
    const again = await store.provisionRegion({ regionId, name: 'New', kind: 'gateway', publicKey: 'k2' })
    t.same(again, { regionId, name: 'New', kind: 'gateway', publicKey: 'k2', url: 'http://r', leaseExpiresAt: 5000 })
    t.same((await store.listRegions()).map((r) => r.regionId), [regionId])
  })

  t.test('an unprovisioned region cannot renew a lease', async (t) => {
    const store = await fresh(t)
    t.equal(await store.renewLease(randomUUID(), 'http://x', 1), null)
    t.equal(await store.getRegion(randomUUID()), null)
    t.equal(await store.endLease(randomUUID()), false)
  })

  t.test('listExpiredLeases returns exactly the lapsed, not yet ended leases', async (t) => {
    const store = await fresh(t)
    const ids: Record<string, string> = {}
    const leases: [string, number | null][] = [
      ['lapsed-early', 1000],
      ['lapsed-now', 2000],
      ['current', 2001],
      ['never-leased', null],
      ['ended', 500],
    ]
    for (const [name, expiresAt] of leases) {
      ids[name] = randomUUID()
      await store.provisionRegion({ regionId: ids[name], name, kind: 'region', publicKey: name })
      if (expiresAt !== null) await store.renewLease(ids[name], `http://${name}`, expiresAt)
    }
    t.equal(await store.endLease(ids['ended']!), true)
    t.equal(await store.endLease(ids['ended']!), false, 'ending twice is a no-op')

    t.same((await store.listExpiredLeases(2000)).map((r) => r.name), ['lapsed-early', 'lapsed-now'])
    t.same(await store.listExpiredLeases(999), [])
    t.equal((await store.getRegion(ids['ended']!))?.url, 'http://ended', 'the last URL is kept')
    t.equal((await store.getRegion(ids['ended']!))?.leaseExpiresAt, null)
  })

  t.test('a region kind other than region or gateway is rejected by the schema', async (t) => {
    const store = await fresh(t)
    await t.rejects(store.provisionRegion({ regionId: randomUUID(), name: 'x', kind: 'moon' as 'region', publicKey: 'k' }))
  })
})
