import t from 'tap'
import { GridImError } from '../../lib/errors/index.ts'
import { harness } from '../test-support.ts'
import { retryDelay } from './redelivery.ts'

t.test('GRIDIM-OFFL-10: retries grow to at most 5 minutes', async (t) => {
  t.same([0, 1, 2, 3, 8, 9, 20].map(retryDelay), [1000, 2000, 4000, 8000, 256_000, 300_000, 300_000])
})

t.test('GRIDIM-OFFL-10: a failed redelivery is retried while the recipient can be reached', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region()]
  const [ada, bob] = [await h.user('Ada'), await h.user('Bob')]
  await h.signOn(ada, home)
  await h.signOn(bob, away)
  let failures = 1
  h.respondWith(({ operationId }) => {
    if (operationId === 'deliverInstantMessage' && failures-- > 0) throw new GridImError('unavailable')
  })
  const messageId = crypto.randomUUID()
  await h.signed(home, 'POST', '/offline-messages', { messageId, fromUserId: ada.userId, fromName: ada.name, toUserId: bob.userId, body: 'hi', sentAt: '2024-01-01T00:00:00Z' })
  for (let i = 0; i < 40 && (await h.store.listOffline(bob.userId, 10)).messages.length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100))
  t.same((await h.store.listOffline(bob.userId, 10)).messages, [], 'delivered on the retry, then deleted')
  t.equal((await h.delivered('deliverInstantMessage')).length, 2)
})

t.test('no redelivery once the recipient is offline: the next sign-on brings the message', async (t) => {
  const h = harness(t)
  const home = await h.region()
  const [ada, bob] = [await h.user('Ada'), await h.user('Bob')]
  await h.signOn(ada, home)
  await h.signed(home, 'POST', '/offline-messages', { messageId: crypto.randomUUID(), fromUserId: ada.userId, fromName: ada.name, toUserId: bob.userId, body: 'hi', sentAt: '2024-01-01T00:00:00Z' })
  t.same(await h.delivered('deliverInstantMessage'), [])
  t.equal((await h.signOn(bob, home)).offlineMessages.length, 1)
})

t.test('a redelivery answered after the user server stopped leaves the store alone (it may be closed)', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region()]
  const [ada, bob] = [await h.user('Ada'), await h.user('Bob')]
  await h.signOn(ada, home)
  await h.signOn(bob, away)
  let stopping: Promise<void> | undefined
  h.respondWith(({ operationId }) => {
    // The user server stops while this delivery is in flight; the answer comes after.
    if (operationId === 'deliverInstantMessage') stopping ??= h.us.stop()
  })
  const messageId = crypto.randomUUID()
  await h.signed(home, 'POST', '/offline-messages', { messageId, fromUserId: ada.userId, fromName: ada.name, toUserId: bob.userId, body: 'hi', sentAt: '2024-01-01T00:00:00Z' })
  await h.delivered('deliverInstantMessage')
  await stopping
  t.ok(stopping, 'the delivery was attempted')
  t.equal((await h.store.listOffline(bob.userId, 10)).messages.length, 1, 'still stored: nothing is acknowledged after stop')
})
