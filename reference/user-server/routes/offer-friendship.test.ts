import t from 'tap'
import { expectRefusals, harness, noticesIn } from '../test-support.ts'

t.test('GRIDIM-FRND-2: an offer answers 201 with a new offerId and notifies the reachable offeree', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.signOn(ada, home)
  await h.signOn(bob, away)
  h.clearSent()
  const res = await h.signed(home, 'POST', '/friendship-offers', { fromUserId: ada.userId, toUserId: bob.userId, message: 'Shall we?' })
  t.equal(res.statusCode, 201)
  const { offerId } = res.body
  t.same(await h.store.getOffer(offerId), { offerId, fromUserId: ada.userId, toUserId: bob.userId, message: 'Shall we?', createdAt: h.clock.now })
  const requests = await h.delivered()
  t.same(requests.map((r) => r.url), [away.url])
  t.match(noticesIn(requests), [{ type: 'friendshipOffer', toUserId: bob.userId, offerId, fromUserId: ada.userId, fromName: 'Ada Tester', message: 'Shall we?' }])
})

t.test('GRIDIM-FRND-4, GRIDIM-FRND-5: a repeated offer answers 200 with the pending offer; an offline offeree is told nothing now', async (t) => {
  const h = harness(t)
  const home = await h.region()
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.signOn(ada, home)
  h.clearSent()
  const first = await h.signed(home, 'POST', '/friendship-offers', { fromUserId: ada.userId, toUserId: bob.userId })
  const again = await h.signed(home, 'POST', '/friendship-offers', { fromUserId: ada.userId, toUserId: bob.userId })
  t.equal(first.statusCode, 201)
  t.equal(again.statusCode, 200)
  t.equal(again.body.offerId, first.body.offerId)
  t.same(await h.delivered(), [], 'the offeree is offline')
  t.equal((await h.store.listOpenOffers(bob.userId)).length, 1)
})

t.test('GRIDIM-FRND-4: a repeat arriving while the first offer is being made gets that offer, not another', async (t) => {
  const h = harness(t)
  const home = await h.region()
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.signOn(ada, home)
  // A store that takes its time, as one across a network does: both look for a pending offer
  // before either has made one, unless the look and the making are one transaction.
  const find = h.store.findOpenOffer.bind(h.store)
  h.store.findOpenOffer = async (...args) => {
    const found = await find(...args)
    await new Promise((resolve) => setTimeout(resolve, 20))
    return found
  }
  const body = { fromUserId: ada.userId, toUserId: bob.userId }
  const answers = await Promise.all([1, 2].map(() => h.signed(home, 'POST', '/friendship-offers', body)))
  t.same(answers.map((a) => a.statusCode).sort(), [200, 201])
  t.equal(answers[0]!.body.offerId, answers[1]!.body.offerId)
  t.equal((await h.store.listOpenOffers(bob.userId)).length, 1)
})

t.test('offerFriendship refusals', async (t) => {
  const h = harness(t)
  const [home, other] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  const cy = await h.user('Cy')
  await h.friends(ada, cy)
  await h.signOn(ada, home)
  const offer = (signer: typeof home | null, body: unknown) => () => h.signed(signer, 'POST', '/friendship-offers', body)
  await expectRefusals(t, h, [
    ['schema-invalid body', offer(home, { fromUserId: ada.userId }), 400, 'invalid-request'],
    ['GRIDIM-FRND-3: to oneself', offer(home, { fromUserId: ada.userId, toUserId: ada.userId }), 400, 'invalid-request'],
    ['GRIDIM-LIM-2: message over 1023 bytes', offer(home, { fromUserId: ada.userId, toUserId: bob.userId, message: 'é'.repeat(600) }), 400, 'message-too-long'],
    ['unsigned', offer(null, { fromUserId: ada.userId, toUserId: bob.userId }), 401, 'unauthenticated'],
    ['GRIDIM-SEC-8: not hosted by the signer', offer(other, { fromUserId: ada.userId, toUserId: bob.userId }), 403, 'not-your-agent'],
    ['unknown offeree', offer(home, { fromUserId: ada.userId, toUserId: crypto.randomUUID() }), 404, 'unknown-user'],
    ['GRIDIM-FRND-3: already friends', offer(home, { fromUserId: ada.userId, toUserId: cy.userId }), 409, 'already-friends']
  ], async () => [await h.store.listOpenOffers(bob.userId), await h.store.listOpenOffers(cy.userId), await h.store.listOpenOffers(ada.userId)])
})
