import t from 'tap'
import { expectRefusals, harness, noticesIn } from '../test-support.ts'

t.test('an operator makes two users friends with the given rights; presence follows at once', async (t) => {
  const h = harness(t)
  const [r1, r2] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.signOn(ada, r1)
  await h.signOn(bob, r2)
  h.clearSent()
  const body = { userIds: [ada.userId, bob.userId], rights: { ab: 3, ba: 0 } }
  const res = await h.admin('POST', '/admin/friendships', body)
  t.equal(res.statusCode, 201)
  t.same(res.body, body)
  t.same(await h.store.getFriendship(ada.userId, bob.userId), { userId: ada.userId, friendId: bob.userId, rightsGranted: 3, rightsReceived: 0 })
  const requests = await h.delivered()
  t.same(requests.map((r) => r.url), [r2.url], 'only Bob may see Ada')
  t.match(noticesIn(requests), [{ type: 'presence', toUserId: bob.userId, userId: ada.userId, status: 'online' }])
})

t.test('adminCreateFriendship refusals', async (t) => {
  const h = harness(t)
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  const cy = await h.user('Cy')
  await h.friends(ada, cy)
  const make = (userIds: string[], rights: unknown = { ab: 1, ba: 1 }, token?: string) => () => h.admin('POST', '/admin/friendships', { userIds, rights }, token)
  await expectRefusals(t, h, [
    ['the same user twice', make([ada.userId, ada.userId]), 400, 'invalid-request'],
    ['rights out of range', make([ada.userId, bob.userId], { ab: 9, ba: 1 }), 400, 'invalid-request'],
    ['wrong token', make([ada.userId, bob.userId], undefined, 'x'), 401, 'unauthenticated'],
    ['unknown user', make([ada.userId, crypto.randomUUID()]), 404, 'unknown-user'],
    ['already friends', make([cy.userId, ada.userId]), 409, 'already-friends']
  ], async () => [await h.store.listFriends(ada.userId), await h.store.listFriends(bob.userId)])
})
