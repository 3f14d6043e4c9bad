import t from 'tap'
import { signRequest } from '../../lib/signatures/index.ts'
import { BASE_URL, harness } from '../test-support.ts'

type Harness = ReturnType<typeof harness>

/** A getRegion request signed for `signedFor`, injected as if it arrived at `arrivedAt` (its Host). */
async function getRegion (h: Harness, signedFor: string, arrivedAt: string) {
  const region = h.region()
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
