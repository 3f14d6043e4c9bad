import t from 'tap'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import Database from 'better-sqlite3'
import { openSqliteStore } from './sqlite-store.ts'
import { addRegion, addUser, memoryStore, tempDir } from './test-support.ts'

t.test('friendships, offline messages, groups and settings survive a restart', (t) => {
  const path = join(tempDir(t), 'grid.db')
  const before = openSqliteStore(path)
  const ann = addUser(before, 'Ann')
  const bob = addUser(before, 'Bob')
  before.createFriendship(ann, bob, 3, 1)
  const message = { messageId: randomUUID(), fromUserId: bob, fromName: 'Bob Tester', toUserId: ann, body: 'hi ✓', sentAt: 42 }
  before.storeOffline(message)
  const groupId = randomUUID()
  before.createGroup({ groupId, name: 'Builders', memberIds: [ann, bob] })
  const region = addRegion(before, 'Ahern')
  before.renewLease(region, 'http://127.0.0.1:9001', 9000)
  before.updateSettings({ leaseSeconds: 7 })
  before.close()

  const after = openSqliteStore(path)
  t.teardown(() => after.close())
  t.same(after.getFriendship(ann, bob), { userId: ann, friendId: bob, rightsGranted: 3, rightsReceived: 1 })
  t.same(after.listOffline(ann, 10), { messages: [message], more: false })
  t.equal(after.storeOffline(message), 'duplicate', 'still de-duplicated after the restart')
  t.same(after.getGroup(groupId), { groupId, name: 'Builders', memberIds: [ann, bob] })
  t.same(after.listExpiredLeases(9000).map((r) => r.regionId), [region])
  t.equal(after.getSettings().leaseSeconds, 7)
  t.end()
})

t.test('a second connection to the same file sees committed writes (WAL)', (t) => {
  const path = join(tempDir(t), 'shared.db')
  const writer = openSqliteStore(path)
  const reader = openSqliteStore(path)
  t.teardown(() => {
    writer.close()
    reader.close()
  })
  const ann = addUser(writer, 'Ann')
  t.equal(reader.getUser(ann)?.firstName, 'Ann')
  t.end()
})

t.test('transaction commits all of its writes or none of them', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const bob = addUser(store, 'Bob')

  t.equal(
    store.transaction(() => {
      store.createFriendship(ann, bob, 1, 1)
      return store.setRights(ann, bob, 3)
    }),
    true,
    'returns what fn returns',
  )
  t.throws(() =>
    store.transaction(() => {
      store.endFriendship(ann, bob)
      store.createOffer({ offerId: randomUUID(), fromUserId: ann, toUserId: bob, message: null, createdAt: 1 })
      throw new Error('boom')
    }),
  /boom/)
  t.match(store.getFriendship(ann, bob), { rightsGranted: 3 }, 'the friendship is still there')
  t.equal(store.findOpenOffer(ann, bob), null)
  t.end()
})

t.test('a nested transaction that fails rolls back only itself when caught', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const bob = addUser(store, 'Bob')
  store.transaction(() => {
    store.createFriendship(ann, bob, 1, 1)
    try {
      store.transaction(() => {
        store.setRights(ann, bob, 7)
        throw new Error('inner')
      })
    } catch {
      // the outer work goes on
    }
  })
  t.match(store.getFriendship(ann, bob), { rightsGranted: 1 })
  t.end()
})

t.test('statements are prepared once, when the store opens', (t) => {
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
  const ann = addUser(store, 'Ann')
  const bob = addUser(store, 'Bob')
  const region = addRegion(store, 'Ahern')
  store.createSession({ sessionId: randomUUID(), userId: ann, secretHash: 'h', regionId: region, startedAt: 1 })
  store.listOnlineUsers([ann, bob])
  store.transaction(() => store.createFriendship(ann, bob, 1, 1))
  store.listFriends(ann)
  store.storeOffline({ messageId: randomUUID(), fromUserId: bob, fromName: 'B', toUserId: ann, body: 'x', sentAt: 1 })
  store.acknowledge(ann, [randomUUID()])
  store.listOffline(ann, 5)
  store.updateSettings({ leaseSeconds: 3 })
  store.endSessionsAtRegion(region)
  t.equal(prepared, atOpen)
  t.end()
})
