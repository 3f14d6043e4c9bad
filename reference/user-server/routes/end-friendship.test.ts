import t from 'tap'
import { expectRefusals, harness, noticesIn } from '../test-support.ts'

t.test('GRIDIM-FRND-12: ending removes both rows, answers 204 and tells the former friend', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.friends(ada, bob)
  await h.signOn(bob, away)
  await h.signOn(ada, home)
  await h.us.idle()
  h.clearSent()
  const res = await h.signed(home, 'DELETE', `/users/${ada.userId}/friends/${bob.userId}`)
  t.equal(res.statusCode, 204)
  t.same(await h.store.listFriends(ada.userId), [])
  t.same(await h.store.listFriends(bob.userId), [], 'GRIDIM-FRND-1: symmetric')
  const requests = await h.delivered()
  t.same(requests.map((r) => r.url), [away.url])
  t.match(noticesIn(requests), [{ type: 'friendshipEnded', toUserId: bob.userId, friendId: ada.userId }])
  t.equal(noticesIn(requests).length, 1, 'GRIDIM-PRES-3: no presence between non-friends')
})

t.test('endFriendship refusals', async (t) => {
  const h = harness(t)
  const [home, other] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  const cy = await h.user('Cy')
  await h.friends(ada, bob)
  await h.signOn(ada, home)
  await expectRefusals(t, h, [
    ['friendId not a UUID', () => h.signed(home, 'DELETE', `/users/${ada.userId}/friends/bob`), 400, 'invalid-request'],
    ['unsigned', () => h.signed(null, 'DELETE', `/users/${ada.userId}/friends/${bob.userId}`), 401, 'unauthenticated'],
    ['not hosted by the signer', () => h.signed(other, 'DELETE', `/users/${ada.userId}/friends/${bob.userId}`), 403, 'not-your-agent'],
    ['unknown user', () => h.signed(home, 'DELETE', `/users/${crypto.randomUUID()}/friends/${bob.userId}`), 404, 'unknown-user'],
    ['unknown friend', () => h.signed(home, 'DELETE', `/users/${ada.userId}/friends/${crypto.randomUUID()}`), 404, 'unknown-user'],
    ['GRIDIM-FRND-11: not friends', () => h.signed(home, 'DELETE', `/users/${ada.userId}/friends/${cy.userId}`), 404, 'not-friends']
  ], () => h.store.listFriends(ada.userId))
})
