import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'

t.test('an operator inspects the offline store, oldest first, deleting nothing', async (t) => {
  const h = harness(t)
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  for (const [i, sentAt] of [2000, 1000].entries()) {
    await h.store.storeOffline({ messageId: crypto.randomUUID(), fromUserId: ada.userId, fromName: ada.name, toUserId: bob.userId, body: `m${i}`, sentAt })
  }
  const res = await h.admin('GET', `/admin/users/${bob.userId}/offline-messages`)
  t.equal(res.statusCode, 200)
  t.same(res.body.messages.map((m: any) => m.body), ['m1', 'm0'])
  t.equal(res.body.more, false)
  t.equal((await h.store.listOffline(bob.userId, 10)).messages.length, 2)
})

t.test('GRIDIM-LIM-10: a page holds at most 50 messages', async (t) => {
  const h = harness(t)
  const ada = await h.user('Ada')
  for (let i = 0; i < 51; i++) {
    await h.store.storeOffline({ messageId: crypto.randomUUID(), fromUserId: ada.userId, fromName: ada.name, toUserId: ada.userId, body: 'x', sentAt: i })
  }
  const res = await h.admin('GET', `/admin/users/${ada.userId}/offline-messages`)
  t.equal(res.statusCode, 200)
  t.equal(res.body.messages.length, 50)
  t.equal(res.body.more, true)
})

t.test('adminListOfflineMessages refusals', async (t) => {
  const h = harness(t)
  const bob = await h.user('Bob')
  await expectRefusals(t, h, [
    ['not a UUID', () => h.admin('GET', '/admin/users/x/offline-messages'), 400, 'invalid-request'],
    ['unknown user', () => h.admin('GET', `/admin/users/${crypto.randomUUID()}/offline-messages`), 404, 'unknown-user'],
    ['no token', () => h.admin('GET', `/admin/users/${bob.userId}/offline-messages`, undefined, null), 401, 'unauthenticated']
  ])
})
