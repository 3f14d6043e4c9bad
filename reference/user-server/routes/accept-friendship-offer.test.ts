import t from 'tap'
import { expectRefusals, harness, noticesIn } from '../test-support.ts'

t.test('GRIDIM-FRND-8: acceptance grants CanSeeOnline both ways; the offerer gets accepted and presence in one request', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.signOn(ada, home)
  await h.signOn(bob, away)
  const { offerId } = (await h.signed(home, 'POST', '/friendship-offers', { fromUserId: ada.userId, toUserId: bob.userId })).body
  await h.us.idle()
  h.clearSent()
  const res = await h.signed(away, 'POST', `/friendship-offers/${offerId}/accept`, { userId: bob.userId })
  t.equal(res.statusCode, 200)
  t.same(res.body, { userId: ada.userId, name: 'Ada Tester', rightsGranted: 1, rightsReceived: 1, online: true })
  t.same(await h.store.getFriendship(ada.userId, bob.userId), { userId: ada.userId, friendId: bob.userId, rightsGranted: 1, rightsReceived: 1 })
  t.equal(await h.store.getOffer(offerId), null)
  const requests = await h.delivered()
  t.same(requests.map((r) => r.url), [home.url], 'one request, to the offerer\'s region')
  t.match(noticesIn(requests), [
    { type: 'friendshipAccepted', toUserId: ada.userId, offerId, friendId: bob.userId, friendName: 'Bob Tester' },
    { type: 'presence', toUserId: ada.userId, userId: bob.userId, status: 'online' }
  ])
})

t.test('an offer the other way is settled by the acceptance', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.signOn(ada, region)
  await h.signOn(bob, region)
  const { offerId } = (await h.signed(region, 'POST', '/friendship-offers', { fromUserId: ada.userId, toUserId: bob.userId })).body
  await h.signed(region, 'POST', '/friendship-offers', { fromUserId: bob.userId, toUserId: ada.userId })
  t.equal((await h.signed(region, 'POST', `/friendship-offers/${offerId}/accept`, { userId: bob.userId })).statusCode, 200)
  t.same(await h.store.listOpenOffers(ada.userId), [])
})

t.test('acceptFriendshipOffer refusals', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  const cy = await h.user('Cy')
  await h.signOn(ada, home)
  await h.signOn(bob, away)
  await h.signOn(cy, away)
  const { offerId } = (await h.signed(home, 'POST', '/friendship-offers', { fromUserId: ada.userId, toUserId: bob.userId })).body
  const stale = (await h.signed(home, 'POST', '/friendship-offers', { fromUserId: ada.userId, toUserId: cy.userId })).body.offerId
  await h.friends(ada, cy)
  const accept = (signer: typeof home | null, id: string, body: unknown) => () => h.signed(signer, 'POST', `/friendship-offers/${id}/accept`, body)
  await expectRefusals(t, h, [
    ['schema-invalid body', accept(away, offerId, { userId: 'bob' }), 400, 'invalid-request'],
    ['unsigned', accept(null, offerId, { userId: bob.userId }), 401, 'unauthenticated'],
    ['not hosted by the signer', accept(home, offerId, { userId: bob.userId }), 403, 'not-your-agent'],
    ['GRIDIM-FRND-6: not the offeree', accept(away, offerId, { userId: cy.userId }), 403, 'forbidden'],
    ['GRIDIM-FRND-7: unknown offer', accept(away, crypto.randomUUID(), { userId: bob.userId }), 404, 'unknown-offer'],
    ['already friends', accept(away, stale, { userId: cy.userId }), 409, 'already-friends']
  ], async () => [await h.store.getOffer(offerId), await h.store.getOffer(stale), await h.store.getFriendship(ada.userId, bob.userId)])
})

t.test('two acceptances of one offer checked at once (two instances, say): one is accepted, and the offerer is told once', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.signOn(ada, home)
  await h.signOn(bob, away)
  const { offerId } = (await h.signed(home, 'POST', '/friendship-offers', { fromUserId: ada.userId, toUserId: bob.userId })).body
  await h.us.idle()
  h.clearSent()
  // Each acceptance waits after its "not yet friends" check until the other has made it too, as
  // two instances on one database may: both go on to accept.
  const getFriendship = h.store.getFriendship
  let checked = 0
  let bothChecked!: () => void
  const gate = new Promise<void>((resolve) => { bothChecked = resolve })
  h.store.getFriendship = async (a, b) => {
    const found = await getFriendship(a, b)
    if (++checked === 2) bothChecked()
    await gate
    return found
  }
  const accept = () => h.signed(away, 'POST', `/friendship-offers/${offerId}/accept`, { userId: bob.userId })
  const answers = await Promise.all([accept(), accept()])
  t.equal(checked, 2, 'both passed the check before either accepted')
  t.same(answers.map((r) => r.statusCode).sort(), [200, 409], 'one accepted, one refused')
  t.equal(answers.find((r) => r.statusCode === 409)?.body.code, 'already-friends')
  t.same(await h.store.getFriendship(ada.userId, bob.userId), { userId: ada.userId, friendId: bob.userId, rightsGranted: 1, rightsReceived: 1 })
  t.equal(noticesIn(await h.delivered()).filter((n) => n.type === 'friendshipAccepted').length, 1, 'the offerer is told once')
})

t.test('an acceptance and a decline of one offer read at once: one answer settles it, the other is refused', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.signOn(ada, home)
  await h.signOn(bob, away)
  const { offerId } = (await h.signed(home, 'POST', '/friendship-offers', { fromUserId: ada.userId, toUserId: bob.userId })).body
  await h.us.idle()
  h.clearSent()
  // Each answer waits after reading the offer until the other has read it too.
  const getOffer = h.store.getOffer
  let read = 0
  let bothRead!: () => void
  const gate = new Promise<void>((resolve) => { bothRead = resolve })
  h.store.getOffer = async (id) => {
    const found = await getOffer(id)
    if (++read === 2) bothRead()
    await gate
    return found
  }
  const answer = (verb: string) => h.signed(away, 'POST', `/friendship-offers/${offerId}/${verb}`, { userId: bob.userId })
  const [accepted, declined] = await Promise.all([answer('accept'), answer('decline')])
  t.equal(read, 2, 'both read the offer before either settled it')
  const notices = noticesIn(await h.delivered()).map((n) => n.type).filter((type) => type !== 'presence')
  const friendship = await h.store.getFriendship(ada.userId, bob.userId)
  if (accepted.statusCode === 200) {
    t.equal(declined.body?.code, 'unknown-offer', 'the decline came too late')
    t.not(friendship, null)
    t.same(notices, ['friendshipAccepted'])
  } else {
    t.equal(accepted.body?.code, 'unknown-offer', 'the acceptance came too late')
    t.equal(declined.statusCode, 204)
    t.equal(friendship, null, 'and made no friendship')
    t.same(notices, ['friendshipDeclined'])
  }
  t.same(await h.store.listOpenOffers(bob.userId), [])
})
