import t from 'tap'
import { exportPublicKey } from '../../lib/signatures/index.ts'
import { expectRefusals, harness } from '../test-support.ts'

t.test('GRIDIM-LEASE-4: a region is online with its URL while its lease is current', async (t) => {
  const h = harness(t)
  const asker = await h.region()
  const region = await h.region({ name: 'Babbage Plaza' })
  const res = await h.signed(asker, 'GET', `/regions/${region.regionId}`)
  t.equal(res.statusCode, 200)
  t.same(res.body, { regionId: region.regionId, name: 'Babbage Plaza', kind: 'region', url: region.url, publicKey: exportPublicKey(region.publicKey), online: true })
  h.clock.now += (await h.store.getSettings()).leaseSeconds * 1000
  await h.lease(asker)
  t.equal((await h.signed(asker, 'GET', `/regions/${region.regionId}`)).body.online, false, 'lapsed')
})

t.test('a provisioned region that never leased has url null', async (t) => {
  const h = harness(t)
  const asker = await h.region()
  const region = await h.region({ lease: false })
  const res = await h.signed(asker, 'GET', `/regions/${region.regionId}`)
  t.equal(res.body.url, null)
  t.equal(res.body.online, false)
})

t.test('getRegion refusals', async (t) => {
  const h = harness(t)
  const asker = await h.region()
  const lapsed = await h.region({ lease: false })
  await expectRefusals(t, h, [
    ['unknown region', () => h.signed(asker, 'GET', `/regions/${crypto.randomUUID()}`), 404, 'unknown-region'],
    ['not a UUID', () => h.signed(asker, 'GET', '/regions/not-a-uuid'), 400, 'invalid-request'],
    ['unsigned', () => h.signed(null, 'GET', `/regions/${asker.regionId}`), 401, 'unauthenticated'],
    ['GRIDIM-LEASE-7: signer without lease', () => h.signed(lapsed, 'GET', `/regions/${asker.regionId}`), 409, 'lease-expired']
  ])
})
