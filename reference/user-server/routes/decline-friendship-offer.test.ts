import t from 'tap'
import { expectRefusals, harness, noticesIn } from '../test-support.ts'

t.test('GRIDIM-FRND-9: a decline deletes the offer, answers 204 and tells the offerer', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.signOn(ada, home)
  await h.signOn(bob, away)
  const { offerId } = (await h.signed(home, 'POST', '/friendship-offers', { fromUserId: ada.userId, toUserId: bob.userId })).body
  await h.us.idle()
  h.clearSent()
  const res = await h.signed(away, 'POST', `/friendship-offers/${offerId}/decline`, { userId: bob.userId })
  t.equal(res.statusCode, 204)
  t.equal(await h.store.getOffer(offerId), null)
  t.equal(await h.store.getFriendship(ada.userId, bob.userId), null)
  const requests = await h.delivered()
  t.same(requests.map((r) => r.url), [home.url])
  t.match(noticesIn(requests), [{ type: 'friendshipDeclined', toUserId: ada.userId, offerId, byUserId: bob.userId }])
  t.equal((await h.signed(away, 'POST', `/friendship-offers/${offerId}/decline`, { userId: bob.userId })).body.code, 'unknown-offer', 'GRIDIM-FRND-7: no longer pending')
})

t.test('declineFriendshipOffer refusals', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.signOn(ada, home)
  await h.signOn(bob, away)
  const { offerId } = (await h.signed(home, 'POST', '/friendship-offers', { fromUserId: ada.userId, toUserId: bob.userId })).body
  const decline = (signer: typeof home | null, id: string, body: unknown) => () => h.signed(signer, 'POST', `/friendship-offers/${id}/decline`, body)
  await expectRefusals(t, h, [
    ['schema-invalid body', decline(away, offerId, {}), 400, 'invalid-request'],
    ['offerId not a UUID', decline(away, 'x', { userId: bob.userId }), 400, 'invalid-request'],
    ['unsigned', decline(null, offerId, { userId: bob.userId }), 401, 'unauthenticated'],
    ['not hosted by the signer', decline(home, offerId, { userId: bob.userId }), 403, 'not-your-agent'],
    ['GRIDIM-FRND-6: the offerer cannot decline', decline(home, offerId, { userId: ada.userId }), 403, 'forbidden'],
    ['unknown offer', decline(away, crypto.randomUUID(), { userId: bob.userId }), 404, 'unknown-offer']
  ], () => h.store.getOffer(offerId))
})

t.test('two declines of one offer read at once (two instances, say): one is refused, and the offerer is told once', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.signOn(ada, home)
  await h.signOn(bob, away)
  const { offerId } = (await h.signed(home, 'POST', '/friendship-offers', { fromUserId: ada.userId, toUserId: bob.userId })).body
  await h.us.idle()
  h.clearSent()
  // Each decline waits after reading the offer until the other has read it too.
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
  const decline = () => h.signed(away, 'POST', `/friendship-offers/${offerId}/decline`, { userId: bob.userId })
  const answers = await Promise.all([decline(), decline()])
  t.equal(read, 2, 'both read the offer before either deleted it')
  t.same(answers.map((r) => r.statusCode).sort(), [204, 404], 'one declined, one refused')
  t.equal(answers.find((r) => r.statusCode === 404)?.body.code, 'unknown-offer')
  t.equal(noticesIn(await h.delivered()).filter((n) => n.type === 'friendshipDeclined').length, 1, 'the offerer is told once')
})
