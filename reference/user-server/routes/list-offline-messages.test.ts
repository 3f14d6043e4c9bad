import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'

t.test('GRIDIM-OFFL-5, GRIDIM-OFFL-6, GRIDIM-LIM-10: oldest first, 50 a page, nothing deleted by reading', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  for (let i = 0; i < 52; i++) {
    await h.store.storeOffline({ messageId: crypto.randomUUID(), fromUserId: ada.userId, fromName: ada.name, toUserId: bob.userId, body: `m${i}`, sentAt: 1_700_000_000_000 + i })
  }
  const session = await h.signOn(bob, region)
  t.equal(session.offlineMessages.length, 50, 'GRIDIM-SIGN-3: the first page comes with the sign-on')
  t.equal(session.moreOfflineMessages, true)
  const res = await h.signed(region, 'GET', `/users/${bob.userId}/offline-messages`)
  t.equal(res.statusCode, 200)
  t.equal(res.body.more, true)
  t.same(res.body.messages.map((m: any) => m.body), Array.from({ length: 50 }, (_, i) => `m${i}`))
  t.equal(res.body.messages[0].sentAt, new Date(1_700_000_000_000).toISOString(), 'GRIDIM-ID-12: RFC 3339 in UTC')
  t.same((await h.signed(region, 'GET', `/users/${bob.userId}/offline-messages`)).body, res.body, 'reading deleted nothing')
})

t.test('listOfflineMessages refusals', async (t) => {
  const h = harness(t)
  const [region, other] = [await h.region(), await h.region()]
  const bob = await h.user('Bob')
  await h.signOn(bob, region)
  await expectRefusals(t, h, [
    ['not a UUID', () => h.signed(region, 'GET', '/users/bob/offline-messages'), 400, 'invalid-request'],
    ['unsigned', () => h.signed(null, 'GET', `/users/${bob.userId}/offline-messages`), 401, 'unauthenticated'],
    ['unknown user', () => h.signed(region, 'GET', `/users/${crypto.randomUUID()}/offline-messages`), 404, 'unknown-user'],
    ['GRIDIM-SEC-8: not hosted by the signer', () => h.signed(other, 'GET', `/users/${bob.userId}/offline-messages`), 403, 'not-your-agent']
  ])
})
