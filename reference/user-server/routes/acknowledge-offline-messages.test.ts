import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'

t.test('GRIDIM-OFFL-7: only the listed messages stored for that user are deleted, and counted', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  const store = async (to: string) => {
    const messageId = crypto.randomUUID()
    await h.store.storeOffline({ messageId, fromUserId: ada.userId, fromName: ada.name, toUserId: to, body: 'hi', sentAt: 0 })
    return messageId
  }
  const [m1, m2, m3] = [await store(bob.userId), await store(bob.userId), await store(bob.userId)]
  const adas = await store(ada.userId)
  await h.signOn(bob, region)
  const res = await h.signed(region, 'POST', `/users/${bob.userId}/offline-messages/acknowledge`, { messageIds: [m1, m2, adas, crypto.randomUUID()] })
  t.equal(res.statusCode, 200)
  t.same(res.body, { deleted: 2 })
  t.same((await h.store.listOffline(bob.userId, 10)).messages.map((m) => m.messageId), [m3])
  t.equal((await h.store.listOffline(ada.userId, 10)).messages.length, 1, 'another user\'s message stays')
  t.same((await h.signed(region, 'POST', `/users/${bob.userId}/offline-messages/acknowledge`, { messageIds: [m1] })).body, { deleted: 0 }, 'safe to repeat')
})

t.test('acknowledgeOfflineMessages refusals', async (t) => {
  const h = harness(t)
  const [region, other] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  const messageId = crypto.randomUUID()
  await h.store.storeOffline({ messageId, fromUserId: ada.userId, fromName: ada.name, toUserId: bob.userId, body: 'hi', sentAt: 0 })
  await h.signOn(bob, region)
  const ack = (signer: typeof region | null, userId: string, body: unknown) => () => h.signed(signer, 'POST', `/users/${userId}/offline-messages/acknowledge`, body)
  await expectRefusals(t, h, [
    ['empty list', ack(region, bob.userId, { messageIds: [] }), 400, 'invalid-request'],
    ['not UUIDs', ack(region, bob.userId, { messageIds: ['x'] }), 400, 'invalid-request'],
    ['unsigned', ack(null, bob.userId, { messageIds: [messageId] }), 401, 'unauthenticated'],
    ['GRIDIM-SEC-8: not the current region', ack(other, bob.userId, { messageIds: [messageId] }), 403, 'not-your-agent'],
    ['unknown user', ack(region, crypto.randomUUID(), { messageIds: [messageId] }), 404, 'unknown-user']
  ], () => h.store.listOffline(bob.userId, 10))
})
