import t from 'tap'
import { randomUUID } from 'node:crypto'
import { memoryStore } from '../test-support.ts'

t.test('a provisioned region has no lease until it renews one (GRIDIM-LEASE)', (t) => {
  const store = memoryStore(t)
  const regionId = randomUUID()
  const region = store.provisionRegion({ regionId, name: 'Ahern', kind: 'region', publicKey: 'k1' })
  t.same(region, { regionId, name: 'Ahern', kind: 'region', publicKey: 'k1', url: null, leaseExpiresAt: null })
  t.same(store.getRegion(regionId), region)
  t.same(store.renewLease(regionId, 'http://127.0.0.1:9001', 30_000), {
    ...region,
    url: 'http://127.0.0.1:9001',
    leaseExpiresAt: 30_000,
  })
  t.end()
})

t.test('provisioning again updates name, kind and key but keeps the lease', (t) => {
  const store = memoryStore(t)
  const regionId = randomUUID()
  store.provisionRegion({ regionId, name: 'Old', kind: 'region', publicKey: 'k1' })
  store.renewLease(regionId, 'http://r', 5000)
  const again = store.provisionRegion({ regionId, name: 'New', kind: 'gateway', publicKey: 'k2' })
  t.same(again, { regionId, name: 'New', kind: 'gateway', publicKey: 'k2', url: 'http://r', leaseExpiresAt: 5000 })
  t.same(store.listRegions().map((r) => r.regionId), [regionId])
  t.end()
})

t.test('an unprovisioned region cannot renew a lease', (t) => {
  const store = memoryStore(t)
  t.equal(store.renewLease(randomUUID(), 'http://x', 1), null)
  t.equal(store.getRegion(randomUUID()), null)
  t.equal(store.endLease(randomUUID()), false)
  t.end()
})

t.test('listExpiredLeases returns exactly the lapsed, not yet ended leases', (t) => {
  const store = memoryStore(t)
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
    store.provisionRegion({ regionId: ids[name], name, kind: 'region', publicKey: name })
    if (expiresAt !== null) store.renewLease(ids[name], `http://${name}`, expiresAt)
  }
  t.equal(store.endLease(ids['ended']!), true)
  t.equal(store.endLease(ids['ended']!), false, 'ending twice is a no-op')

  t.same(store.listExpiredLeases(2000).map((r) => r.name), ['lapsed-early', 'lapsed-now'])
  t.same(store.listExpiredLeases(999), [])
  t.equal(store.getRegion(ids['ended']!)?.url, 'http://ended', 'the last URL is kept')
  t.equal(store.getRegion(ids['ended']!)?.leaseExpiresAt, null)
  t.end()
})

t.test('a region kind other than region or gateway is rejected by the schema', (t) => {
  const store = memoryStore(t)
  t.throws(() =>
    store.provisionRegion({ regionId: randomUUID(), name: 'x', kind: 'moon' as 'region', publicKey: 'k' }),
  )
  t.end()
})
