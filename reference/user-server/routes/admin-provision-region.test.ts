import t from 'tap'
import { exportPublicKey, generateKeyPair } from '../../lib/signatures/index.ts'
import { expectRefusals, harness } from '../test-support.ts'

t.test('an operator provisions a region (201) and rotates its key (200), keeping its lease', async (t) => {
  const h = harness(t)
  const first = exportPublicKey(generateKeyPair().publicKey)
  const res = await h.admin('POST', '/admin/regions', { name: 'Babbage Plaza', kind: 'region', publicKey: first })
  t.equal(res.statusCode, 201)
  t.match(res.body, { name: 'Babbage Plaza', kind: 'region', url: null, publicKey: first, online: false })
  const { regionId } = res.body
  await h.store.renewLease(regionId, 'http://r.test', h.clock.now + 10_000)
  const second = exportPublicKey(generateKeyPair().publicKey)
  const again = await h.admin('POST', '/admin/regions', { regionId, name: 'Babbage Plaza', kind: 'region', publicKey: second })
  t.equal(again.statusCode, 200)
  t.same(again.body, { regionId, name: 'Babbage Plaza', kind: 'region', url: 'http://r.test', publicKey: second, online: true })
})

t.test('a re-provisioned key is used for the next signed request (GRIDIM-SEC-7)', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const fresh = generateKeyPair()
  await h.admin('POST', '/admin/regions', { regionId: region.regionId, name: region.name, kind: 'region', publicKey: exportPublicKey(fresh.publicKey) })
  t.equal((await h.signed(region, 'GET', `/regions/${region.regionId}`)).body.code, 'bad-signature', 'the old key no longer verifies')
  t.equal((await h.signed({ regionId: region.regionId, privateKey: fresh.privateKey }, 'GET', `/regions/${region.regionId}`)).statusCode, 200)
})

t.test('adminProvisionRegion refusals', async (t) => {
  const h = harness(t)
  const publicKey = exportPublicKey(generateKeyPair().publicKey)
  await expectRefusals(t, h, [
    ['key not 43 characters', () => h.admin('POST', '/admin/regions', { name: 'R', kind: 'region', publicKey: 'abc' }), 400, 'invalid-request'],
    ['unknown kind', () => h.admin('POST', '/admin/regions', { name: 'R', kind: 'moon', publicKey }), 400, 'invalid-request'],
    ['wrong token', () => h.admin('POST', '/admin/regions', { name: 'R', kind: 'region', publicKey }, 'x'), 401, 'unauthenticated']
  ], () => h.store.listRegions())
})
