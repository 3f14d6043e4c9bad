import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { OfflineMessageRow } from '../store.ts'
import { addUser, eachStore } from '../test-support.ts'

const message = (toUserId: string, sentAt: number, body = `sent at ${sentAt}`): OfflineMessageRow => ({
  messageId: randomUUID(),
  fromUserId: randomUUID(),
  fromName: 'Some One',
  toUserId,
  body,
  sentAt,
})

eachStore(t, (t, fresh) => {
  t.test('storing a message is idempotent by messageId (GRIDIM-OFFL)', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const m = message(ann, 1)
    t.equal(await store.storeOffline(m), 'stored')
    t.equal(await store.storeOffline(m), 'duplicate')
    t.equal(await store.storeOffline({ ...m, body: 'changed on retry' }), 'duplicate')
    t.same(await store.listOffline(ann, 10), { messages: [m], more: false })
  })

  t.test('messages list by sentAt, then in the order stored, a page at a time', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const stored = [message(ann, 30, 'c'), message(ann, 10, 'a'), message(ann, 20, 'b1'), message(ann, 20, 'b2')]
    for (const m of stored) await store.storeOffline(m)
    await store.storeOffline(message(await addUser(store, 'Bob'), 0, 'not for ann'))

    const pages: [number, string[], boolean][] = [
      [1, ['a'], true],
      [3, ['a', 'b1', 'b2'], true],
      [4, ['a', 'b1', 'b2', 'c'], false],
      [25, ['a', 'b1', 'b2', 'c'], false],
    ]
    for (const [limit, bodies, more] of pages) {
      const page = await store.listOffline(ann, limit)
      t.same({ bodies: page.messages.map((m) => m.body), more: page.more }, { bodies, more }, `limit ${limit}`)
    }
    t.same((await store.listOffline(ann, 4)).messages, (await store.listOffline(ann, 4)).messages, 'listing deletes nothing')
  })

  t.test('acknowledge deletes only the owner\'s listed messages', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const bob = await addUser(store, 'Bob')
    const [a1, a2, a3] = [1, 2, 3].map((at) => message(ann, at)) as [OfflineMessageRow, OfflineMessageRow, OfflineMessageRow]
    const b1 = message(bob, 1)
    for (const m of [a1, a2, a3, b1]) await store.storeOffline(m)

    t.equal(await store.acknowledge(bob, [a1.messageId]), 0, 'bob cannot delete ann\'s message')
    t.equal(await store.acknowledge(ann, [a1.messageId, a3.messageId, b1.messageId, randomUUID()]), 2)
    t.equal(await store.acknowledge(ann, [a1.messageId]), 0, 'acknowledging again deletes nothing')
    t.equal(await store.acknowledge(ann, []), 0)
    t.same((await store.listOffline(ann, 10)).messages, [a2])
    t.same((await store.listOffline(bob, 10)).messages, [b1])
  })

  t.test('an acknowledged messageId stays a duplicate only while stored', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const m = message(ann, 1)
    await store.storeOffline(m)
    await store.acknowledge(ann, [m.messageId])
    t.equal(await store.storeOffline(m), 'stored', 'the store holds undelivered messages, not a delivery log')
  })

  t.test('a message for an unknown user is refused', async (t) => {
    const store = await fresh(t)
    await t.rejects(store.storeOffline(message(randomUUID(), 1)))
  })
})
