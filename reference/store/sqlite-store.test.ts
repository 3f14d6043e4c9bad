import t from 'tap'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import Database from 'better-sqlite3'
import { openSqliteStore } from './sqlite-store.ts'
import { addRegion, addUser, memoryStore, tempDir } from './test-support.ts'

t.test('friendships, offline messages, groups and settings survive a restart', async (t) => {
  const path = join(tempDir(t), 'grid.db')
  const before = openSqliteStore(path)
  const ann = await addUser(before, 'Ann')
  const bob = await addUser(before, 'Bob')
  await before.createFriendship(ann, bob, 3, 1)
  const message = { messageId: randomUUID(), fromUserId: bob, fromName: 'Bob Tester', toUserId: ann, body: 'hi ✓', sentAt: 42 }
  await before.storeOffline(message)
  const groupId = randomUUID()
  await before.createGroup({ groupId, name: 'Builders', memberIds: [ann, bob] })
  const region = await addRegion(before, 'Ahern')
  await before.renewLease(region, 'http://127.0.0.1:9001', 9000)
  await before.updateSettings({ leaseSeconds: 7 })
  await before.close()

  const after = openSqliteStore(path)
  t.teardown(() => after.close())
  t.same(await after.getFriendship(ann, bob), { userId: ann, friendId: bob, rightsGranted: 3, rightsReceived: 1 })
  t.same(await after.listOffline(ann, 10), { messages: [message], more: false })
  t.equal(await after.storeOffline(message), 'duplicate', 'still de-duplicated after the restart')
  t.same(await after.getGroup(groupId), { groupId, name: 'Builders', memberIds: [ann, bob] })
  t.same((await after.listExpiredLeases(9000)).map((r) => r.regionId), [region])
  t.equal((await after.getSettings()).leaseSeconds, 7)
})

t.test('a second connection to the same file sees committed writes (WAL)', async (t) => {
  const path = join(tempDir(t), 'shared.db')
  const writer = openSqliteStore(path)
  const reader = openSqliteStore(path)
  t.teardown(async () => {
    await writer.close()
    await reader.close()
  })
  const ann = await addUser(writer, 'Ann')
  t.equal((await reader.getUser(ann))?.firstName, 'Ann')
})

t.test('calls on the store wait while a transaction is open, and do not join it', async (t) => {
  const store = memoryStore(t)
  const ann = await addUser(store, 'Ann')
  const bob = await addUser(store, 'Bob')
  let outside: Promise<boolean> | undefined
  await t.rejects(store.transaction(async (tx) => {
    await tx.createFriendship(ann, bob, 1, 1)
    // Another request's call meanwhile: it waits for the transaction to end.
    outside = store.createOffer({ offerId: randomUUID(), fromUserId: bob, toUserId: ann, message: null, createdAt: 1 }).then(() => true)
    await new Promise((resolve) => setTimeout(resolve, 10))
    throw new Error('rolled back')
  }), /rolled back/)
  t.equal(await outside, true)
  t.equal(await store.getFriendship(ann, bob), null, 'the transaction rolled back')
  t.not(await store.findOpenOffer(bob, ann), null, 'the call made outside it was not rolled back with it')
})

t.test('statements are prepared once, when the store opens', async (t) => {
  const prepare = Database.prototype.prepare
  let prepared = 0
  Database.prototype.prepare = function (this: Database.Database, ...args: Parameters<typeof prepare>) {
    prepared++
    return prepare.apply(this, args)
  } as typeof prepare
  t.teardown(() => {
    Database.prototype.prepare = prepare
  })

  const store = memoryStore(t)
  const atOpen = prepared
  t.ok(atOpen > 0)
  const ann = await addUser(store, 'Ann')
  const bob = await addUser(store, 'Bob')
  const region = await addRegion(store, 'Ahern')
  await store.createSession({ sessionId: randomUUID(), userId: ann, secretHash: 'h', regionId: region, startedAt: 1 })
  await store.listOnlineUsers([ann, bob])
  await store.transaction((tx) => tx.createFriendship(ann, bob, 1, 1))
  await store.listFriends(ann)
  await store.storeOffline({ messageId: randomUUID(), fromUserId: bob, fromName: 'B', toUserId: ann, body: 'x', sentAt: 1 })
  await store.acknowledge(ann, [randomUUID()])
  await store.listOffline(ann, 5)
  await store.updateSettings({ leaseSeconds: 3 })
  await store.endSessionsAtRegion(region)
  t.equal(prepared, atOpen)
})
