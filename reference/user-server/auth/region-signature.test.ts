import t from 'tap'
import { exportPublicKey, generateKeyPair, signRequest } from '../../lib/signatures/index.ts'
import { RegionKeyCache } from './region-signature.ts'
import { BASE_URL, harness } from '../test-support.ts'

type Harness = ReturnType<typeof harness>

/** A getRegion request signed for `signedFor`, injected as if it arrived at `arrivedAt` (its Host). */
async function getRegion (h: Harness, signedFor: string, arrivedAt: string) {
  const region = await h.region()
  const path = `/regions/${region.regionId}`
  const headers = signRequest({ method: 'GET', url: signedFor + path, headers: {} }, { keyId: region.regionId, privateKey: region.privateKey })
  const res = await h.us.server.inject({ method: 'GET', url: arrivedAt + path, headers: { ...headers } })
  return { status: res.statusCode, code: (JSON.parse(res.payload) as { code?: string }).code }
}

t.test('GRIDIM-SEC-4: the user server checks @target-uri against its own base URL, whatever Host says', async (t) => {
  const h = harness(t)
  t.equal((await getRegion(h, BASE_URL, 'http://10.0.0.9:8700')).status, 200, 'a request relayed under another host name still verifies')
  t.same(await getRegion(h, 'http://evil.example:1', 'http://evil.example:1'), { status: 401, code: 'bad-signature' },
    'a request signed for another host and sent with that Host does not')
})

t.test('with the user-server-verifies-host-header fault the Host decides (the bug GRIDIM-SEC-4 forbids)', async (t) => {
  const h = harness(t, { faults: new Set(['user-server-verifies-host-header']) })
  t.equal((await getRegion(h, 'http://evil.example:1', 'http://evil.example:1')).status, 200)
})

t.test('without a configured base URL, the listening address is the base URL', async (t) => {
  const h = harness(t, { publicUrl: null })
  const url = await h.us.start()
  t.equal((await getRegion(h, url, 'http://elsewhere.test')).status, 200)
  t.equal((await getRegion(h, 'http://elsewhere.test', 'http://elsewhere.test')).status, 401)
})

t.test('the key cache holds one key per region in the directory: rotations replace it, a removed region leaves it', async (t) => {
  const cache = new RegionKeyCache()
  const regionId = 'c9a0c8a4-0000-4000-8000-000000000001'
  let last = ''
  for (let i = 0; i < 20; i++) {
    last = exportPublicKey(generateKeyPair().publicKey)
    t.equal(exportPublicKey(cache.key(regionId, last)!), last, `rotation ${i}: the directory's current key`)
  }
  t.equal(cache.key(regionId, last), cache.key(regionId, last), 'an unchanged key is imported once')
  t.equal(cache.size, 1, 'twenty rotations, one entry')
  t.equal(cache.key('c9a0c8a4-0000-4000-8000-000000000002', exportPublicKey(generateKeyPair().publicKey)) === null, false)
  t.equal(cache.size, 2)
  t.equal(cache.key(regionId, null), null, 'a region the directory no longer holds has no key')
  t.equal(cache.size, 1, 'and its entry is gone')
})
