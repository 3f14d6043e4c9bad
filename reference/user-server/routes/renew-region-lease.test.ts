import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'

t.test('GRIDIM-LEASE-3: a renewal records url and name and answers leaseSeconds and expiresAt', async (t) => {
  const h = harness(t)
  const region = await h.region({ lease: false })
  await h.store.updateSettings({ leaseSeconds: 45 })
  const res = await h.signed(region, 'PUT', `/regions/${region.regionId}/lease`, { url: 'http://127.0.0.1:9001', kind: 'region', name: 'Renamed' })
  t.equal(res.statusCode, 200)
  t.same(res.body, { leaseSeconds: 45, expiresAt: new Date(h.clock.now + 45_000).toISOString() })
  const row = (await h.store.getRegion(region.regionId))!
  t.equal(row.url, 'http://127.0.0.1:9001')
  t.equal(row.name, 'Renamed')
  t.equal(row.leaseExpiresAt, h.clock.now + 45_000)
})

t.test('GRIDIM-LEASE-9: a renewal after an unswept lapse does not restore the lapsed sessions', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada')
  await h.signOn(ada, region)
  h.clock.now += (await h.store.getSettings()).leaseSeconds * 1000 + 1
  const res = await h.signed(region, 'PUT', `/regions/${region.regionId}/lease`, { url: region.url, kind: 'region', name: region.name })
  t.equal(res.statusCode, 200)
  t.equal(await h.store.getSessionByUser(ada.userId), null)
})

t.test('GRIDIM-ROLE-5: of two gateways renewing at once, one gets the lease', async (t) => {
  const h = harness(t)
  const gateways = [await h.region({ kind: 'gateway', lease: false }), await h.region({ kind: 'gateway', lease: false })]
  // A store that takes its time, as one across a network does: both look for a gateway holding
  // a lease before either has taken one, unless the lease is taken after a look in its transaction.
  const list = h.store.listRegions.bind(h.store)
  h.store.listRegions = async (...args) => {
    const found = await list(...args)
    await new Promise((resolve) => setTimeout(resolve, 20))
    return found
  }
  const answers = await Promise.all(gateways.map((g) => h.signed(g, 'PUT', `/regions/${g.regionId}/lease`, { url: g.url, kind: 'gateway', name: g.name })))
  t.same(answers.map((r) => r.statusCode).sort(), [200, 403])
  t.equal((await list()).filter((r) => r.kind === 'gateway' && r.leaseExpiresAt !== null).length, 1)
})

t.test('renewRegionLease refusals', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const other = await h.region()
  const gateway = await h.region({ kind: 'gateway' })
  const secondGateway = await h.region({ kind: 'gateway', lease: false })
  const body = { url: 'http://127.0.0.1:9001', kind: 'region', name: 'R' }
  await expectRefusals(t, h, [
    ['schema-invalid kind', () => h.signed(region, 'PUT', `/regions/${region.regionId}/lease`, { ...body, kind: 'moon' }), 400, 'invalid-request'],
    ['url not a URI', () => h.signed(region, 'PUT', `/regions/${region.regionId}/lease`, { ...body, url: 'not a url' }), 400, 'invalid-request'],
    ['unsigned', () => h.signed(null, 'PUT', `/regions/${region.regionId}/lease`, body), 401, 'unauthenticated'],
    ['GRIDIM-ERR-4: unprovisioned region', () => h.signed(region, 'PUT', `/regions/${crypto.randomUUID()}/lease`, body), 404, 'unknown-region'],
    ['unprovisioned signer', () => h.signed({ regionId: crypto.randomUUID(), privateKey: region.privateKey }, 'PUT', `/regions/${region.regionId}/lease`, body), 401, 'unknown-key'],
    ['GRIDIM-LEASE-1: another region\'s lease', () => h.signed(other, 'PUT', `/regions/${region.regionId}/lease`, body), 403, 'forbidden'],
    ['GRIDIM-LEASE-2: wrong kind', () => h.signed(region, 'PUT', `/regions/${region.regionId}/lease`, { ...body, kind: 'gateway' }), 403, 'forbidden'],
    ['GRIDIM-ROLE-5: a second gateway', () => h.signed(secondGateway, 'PUT', `/regions/${secondGateway.regionId}/lease`, { ...body, kind: 'gateway' }), 403, 'forbidden']
  ], () => h.store.listRegions())
  t.ok(gateway)
})
