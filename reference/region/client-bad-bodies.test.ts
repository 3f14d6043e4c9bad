// Bodies the contract's shape cannot catch: bytes that are not UTF-8 (GRIDIM-ERR-11) and bodies
// over the limit on a method that takes none (GRIDIM-LIM-3). Refused, and nothing is asked of
// the user server.
import t from 'tap'
import { REGION_URL, bearer, uuid } from './test-support.ts'
import { testRegion } from './test-region.ts'

t.test('GRIDIM-ERR-11: a JSON body with a byte that is not UTF-8 is invalid-request, not a replaced character', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const bob = uuid()
  g.placeAt(bob, 'other')
  const payload = Buffer.concat([Buffer.from(`{"toUserId":"${bob}","body":"caf`), Buffer.from([0xff]), Buffer.from('"}')])
  const res = await g.region.server.inject({ method: 'POST', url: `${REGION_URL}/client/instant-messages`, headers: { ...bearer(ada.sessionSecret), 'content-type': 'application/json' }, payload })
  t.equal(res.statusCode, 400)
  t.equal(JSON.parse(res.payload).code, 'invalid-request')
  t.same(g.peer.callsOf('locateUser'), [], 'no lookup, no delivery')
})

t.test('GRIDIM-LIM-3: a DELETE with a body over 65 536 bytes is body-too-large and ends no friendship', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const friend = uuid()
  const headers = { ...bearer(ada.sessionSecret), 'content-type': 'application/json' }
  const big = await g.region.server.inject({ method: 'DELETE', url: `${REGION_URL}/client/friends/${friend}`, headers, payload: `{}${' '.repeat(70_000)}` })
  t.equal(big.statusCode, 413)
  t.equal(JSON.parse(big.payload).code, 'body-too-large')
  t.same(g.peer.callsOf('endFriendship'), [])
})
