import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { OfflineMessageRow } from '../store.ts'
import { addUser, memoryStore } from '../test-support.ts'

const message = (toUserId: string, sentAt: number, body = `sent at ${sentAt}`): OfflineMessageRow => ({
  messageId: randomUUID(),
  fromUserId: randomUUID(),
  fromName: 'Some One',
  toUserId,
  body,
  sentAt,
})

t.test('storing a message is idempotent by messageId (GRIDIM-OFFL)', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const m = message(ann, 1)
  t.equal(store.storeOffline(m), 'stored')
  t.equal(store.storeOffline(m), 'duplicate')
  t.equal(store.storeOffline({ ...m, body: 'changed on retry' }), 'duplicate')
  t.same(store.listOffline(ann, 10), { messages: [m], more: false })
  t.end()
})

t.test('messages list by sentAt, then in the order stored, a page at a time', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const stored = [message(ann, 30, 'c'), message(ann, 10, 'a'), message(ann, 20, 'b1'), message(ann, 20, 'b2')]
  for (const m of stored) store.storeOffline(m)
  store.storeOffline(message(addUser(store, 'Bob'), 0, 'not for ann'))

  const pages: [number, string[], boolean][] = [
    [1, ['a'], true],
    [3, ['a', 'b1', 'b2'], true],
    [4, ['a', 'b1', 'b2', 'c'], false],
    [25, ['a', 'b1', 'b2', 'c'], false],
  ]
  for (const [limit, bodies, more] of pages) {
    const page = store.listOffline(ann, limit)
    t.same({ bodies: page.messages.map((m) => m.body), more: page.more }, { bodies, more }, `limit ${limit}`)
  }
  t.same(store.listOffline(ann, 4).messages, store.listOffline(ann, 4).messages, 'listing deletes nothing')
  t.end()
})

t.test('acknowledge deletes only the owner\'s listed messages', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const bob = addUser(store, 'Bob')
  const [a1, a2, a3] = [1, 2, 3].map((at) => message(ann, at)) as [OfflineMessageRow, OfflineMessageRow, OfflineMessageRow]
  const b1 = message(bob, 1)
  for (const m of [a1, a2, a3, b1]) store.storeOffline(m)

  t.equal(store.acknowledge(bob, [a1.messageId]), 0, 'bob cannot delete ann\'s message')
  t.equal(store.acknowledge(ann, [a1.messageId, a3.messageId, b1.messageId, randomUUID()]), 2)
  t.equal(store.acknowledge(ann, [a1.messageId]), 0, 'acknowledging again deletes nothing')
  t.equal(store.acknowledge(ann, []), 0)
  t.same(store.listOffline(ann, 10).messages, [a2])
  t.same(store.listOffline(bob, 10).messages, [b1])
  t.end()
})

t.test('an acknowledged messageId stays a duplicate only while stored', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const m = message(ann, 1)
  store.storeOffline(m)
  store.acknowledge(ann, [m.messageId])
  t.equal(store.storeOffline(m), 'stored', 'the store holds undelivered messages, not a delivery log')
  t.end()
})

t.test('a message for an unknown user is refused', (t) => {
  const store = memoryStore(t)
  t.throws(() => store.storeOffline(message(randomUUID(), 1)))
  t.end()
})
