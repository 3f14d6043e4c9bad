import t from 'tap'
import { expectRefusals, harness, noticesIn } from '../test-support.ts'

t.test('GRIDIM-FRND-10, GRIDIM-PRES-6: revoking CanSeeOnline sends rightsChanged and offline in one request', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.friends(ada, bob, 3, 1)
  await h.signOn(bob, away)
  await h.signOn(ada, home)
  await h.us.idle()
  h.clearSent()
  const res = await h.signed(home, 'PUT', `/users/${ada.userId}/friends/${bob.userId}/rights`, { rights: 2 })
  t.equal(res.statusCode, 200)
  t.same(res.body, { userId: bob.userId, name: 'Bob Tester', rightsGranted: 2, rightsReceived: 1, online: true })
  t.equal((await h.store.getFriendship(ada.userId, bob.userId))!.rightsGranted, 2)
  const requests = await h.delivered()
  t.equal(requests.length, 1)
  t.match(noticesIn(requests), [
    { type: 'rightsChanged', toUserId: bob.userId, friendId: ada.userId, rights: 2 },
    { type: 'presence', toUserId: bob.userId, userId: ada.userId, status: 'offline' }
  ])
})

t.test('GRIDIM-PRES-6: granting CanSeeOnline sends online at once; other bits send rightsChanged alone', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.friends(ada, bob, 0, 0)
  await h.signOn(bob, region)
  await h.signOn(ada, region)
  h.clearSent()
  await h.signed(region, 'PUT', `/users/${ada.userId}/friends/${bob.userId}/rights`, { rights: 5 })
  t.match(noticesIn(await h.delivered()).map((n) => [n.type, n.status]), [['rightsChanged', undefined], ['presence', 'online']])
  h.clearSent()
  await h.signed(region, 'PUT', `/users/${ada.userId}/friends/${bob.userId}/rights`, { rights: 7 })
  t.same(noticesIn(await h.delivered()).map((n) => n.type), ['rightsChanged'], 'CanModifyObjects is carried as set')
  t.equal((await h.store.getFriendship(ada.userId, bob.userId))!.rightsGranted, 7)
})

t.test('setFriendRights refusals', async (t) => {
  const h = harness(t)
  const [home, other] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  const cy = await h.user('Cy')
  await h.friends(ada, bob)
  await h.signOn(ada, home)
  const set = (signer: typeof home | null, friendId: string, body: unknown) => () => h.signed(signer, 'PUT', `/users/${ada.userId}/friends/${friendId}/rights`, body)
  await expectRefusals(t, h, [
    ['rights above 7', set(home, bob.userId, { rights: 8 }), 400, 'invalid-request'],
    ['rights not an integer', set(home, bob.userId, { rights: 1.5 }), 400, 'invalid-request'],
    ['unsigned', set(null, bob.userId, { rights: 0 }), 401, 'unauthenticated'],
    ['not hosted by the signer', set(other, bob.userId, { rights: 0 }), 403, 'not-your-agent'],
    ['unknown friend', set(home, crypto.randomUUID(), { rights: 0 }), 404, 'unknown-user'],
    ['GRIDIM-FRND-11: not friends', set(home, cy.userId, { rights: 0 }), 404, 'not-friends']
  ], () => h.store.listFriends(ada.userId))
})
