/**
 * What only the PostgreSQL store has: several processes on one database (here two stores, each
 * with its own pool, as two user-server processes have), its migrations, its number parsing.
 * The behaviour it shares with SQLite is tested on both, under sqlite/ and transactions.test.ts.
 */
import t, { type Test } from 'tap'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { openPostgresStore } from './postgres-store.ts'
import { migratePostgres, postgresMigrations } from './postgres/migrations.ts'
import type { Migration } from './migrations.ts'
import type { SessionRow, Store } from './store.ts'
import { addRegion, addUser, addUsers, freshSchemaUrl, skipPostgres, testPostgres } from './test-support.ts'

if (skipPostgres) {
  t.test('PostgreSQL store', { skip: 'GRIDIM_SKIP_POSTGRES=1' }, async () => {})
} else {
  /** Two "processes" on one fresh schema, closed when t ends. */
  const twoProcesses = async (t: Test): Promise<[Store, Store, string]> => {
    const url = await freshSchemaUrl((await testPostgres()).url)
    const a = await openPostgresStore(url, { poolSize: 8 })
    const b = await openPostgresStore(url, { poolSize: 8 })
    t.teardown(async () => {
      await a.close()
      await b.close()
    })
    return [a, b, url]
  }

  const query = async <R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      return (await client.query<R>(text, values)).rows
    } finally {
      await client.end()
    }
  }

  t.test('a fresh database migrated by several processes starting at once is migrated exactly once', async (t) => {
    const url = await freshSchemaUrl((await testPostgres()).url)
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(url, { poolSize: 2 })))
    t.teardown(() => Promise.all(stores.map((s) => s.close())))
    const applied = await query<{ version: number; name: string }>(url, 'SELECT version, name FROM gridim_migrations ORDER BY version')
    t.same(applied, postgresMigrations.map((m, i) => ({ version: i + 1, name: m.name })), 'one row per step')
    const ann = await addUser(stores[0]!, 'Ann')
    t.equal((await stores[2]!.getUser(ann))?.firstName, 'Ann', 'all on the one schema')
    const again = await openPostgresStore(url)
    await again.close()
    t.equal((await query(url, 'SELECT 1 FROM gridim_migrations')).length, postgresMigrations.length, 'reopening applies nothing')
  })

  t.test('migrations: later steps apply on top, a failing one rolls back whole and names itself, a newer schema is refused', async (t) => {
    const url = await freshSchemaUrl((await testPostgres()).url)
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    t.teardown(() => client.end())
    const steps: Migration[] = [
      { name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
      { name: 'two', sql: 'ALTER TABLE a ADD COLUMN y INTEGER' },
      { name: 'broken', sql: 'CREATE TABLE b (x INTEGER); CREATE TABLE a (x INTEGER)' },
    ]
    t.same(await migratePostgres(client, steps.slice(0, 1)), { from: 0, to: 1 })
    t.same(await migratePostgres(client, steps.slice(0, 2)), { from: 1, to: 2 })
    await t.rejects(migratePostgres(client, steps), /migration 3 \(broken\) failed/)
    const tables = await client.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`)
    t.same(tables.rows.map((r) => r.t), ['a', 'gridim_migrations'], 'b was rolled back')
    await t.rejects(migratePostgres(client, steps.slice(0, 1)), /newer than this server knows/)
    // The lock was released on each failure: another connection can still migrate.
    t.same(await migratePostgres(client, steps.slice(0, 2)), { from: 2, to: 2 })
  })

  t.test('epoch-ms times are numbers (BIGINT parsed on this pool only)', async (t) => {
    const [store] = await twoProcesses(t)
    const userId = randomUUID()
    const createdAt = 1_764_000_000_123
    await store.createUser({ userId, firstName: 'Ann', lastName: 'Lee', passwordHash: 'h', passwordSalt: 's', createdAt })
    t.strictSame((await store.getUser(userId))?.createdAt, createdAt)
    const region = await addRegion(store, 'Ahern')
    t.strictSame((await store.renewLease(region, 'http://r', createdAt + 60_000))?.leaseExpiresAt, createdAt + 60_000)
    t.equal(typeof (await store.purgePlacements(0)), 'number')
    t.equal(pg.types.getTypeParser(20, 'text')('5'), '5', 'the process-wide parser is left alone')
  })

  t.test('what was stored is there when the store is opened again', async (t) => {
    const url = await freshSchemaUrl((await testPostgres()).url)
    const before = await openPostgresStore(url)
    const [ann, bob] = await addUsers(before, 'Ann', 'Bob') as [string, string]
    await before.createFriendship(ann, bob, 3, 1)
    await before.updateSettings({ leaseSeconds: 7 })
    await before.close()
    await before.close()
    const after = await openPostgresStore(url)
    t.teardown(() => after.close())
    t.same(await after.getFriendship(ann, bob), { userId: ann, friendId: bob, rightsGranted: 3, rightsReceived: 1 })
    t.equal((await after.getSettings()).leaseSeconds, 7)
  })

  t.test('two sign-ons of one user on two processes at once end with one session, the other replaced', async (t) => {
    const [a, b] = await twoProcesses(t)
    const region = await addRegion(a, 'Ahern')
    const users = await addUsers(a, ...Array.from({ length: 20 }, (_, i) => `U${i}`))
    const session = (userId: string): SessionRow => ({ sessionId: randomUUID(), userId, secretHash: 'h', regionId: region, startedAt: 1 })
    await Promise.all(users.map(async (userId) => {
      const [first, second] = [session(userId), session(userId)]
      const [r1, r2] = await Promise.all([a.createSession(first), b.createSession(second)])
      const current = await a.getSessionByUser(userId)
      // Whichever went second replaced the other's session.
      const expected = current?.sessionId === first.sessionId ? [second, null] : [null, first]
      t.ok(current?.sessionId === first.sessionId || current?.sessionId === second.sessionId, 'one of the two is current')
      t.same([r1, r2], expected, 'the other was returned as replaced')
    }))
    t.equal((await a.listOnlineUsers(users)).length, users.length, 'one session per user')
  })

  t.test('racing processes: exactly one ends a lease, a session, a group session, a membership, or acknowledges a message', async (t) => {
    const [a, b] = await twoProcesses(t)
    const rounds = 10
    const wins = { endLease: 0, endSession: 0, endSessionsAtRegion: 0, closeGroupSession: 0, removeMember: 0, acknowledge: 0, storeOffline: 0 }
    const ann = await addUser(a, 'Ann')
    for (let round = 0; round < rounds; round++) {
      const region = await addRegion(a, `R${round}`)
      await a.renewLease(region, 'http://r', 1000)
      const [u1, u2] = await addUsers(a, `A${round}`, `B${round}`) as [string, string]
      const s1 = { sessionId: randomUUID(), userId: u1, secretHash: 'h', regionId: region, startedAt: 1 }
      await a.createSession(s1)
      await a.createSession({ sessionId: randomUUID(), userId: u2, secretHash: 'h', regionId: region, startedAt: 1 })
      const groupSessionId = randomUUID()
      await a.createGroupSession({ groupSessionId, name: 'g', groupId: null, startedBy: u1, memberIds: [u1, u2], createdAt: 1 })
      const message = { messageId: randomUUID(), fromUserId: u2, fromName: 'B', toUserId: ann, body: 'x', sentAt: 1 }

      const both = async <R>(fn: (s: Store) => Promise<R>): Promise<[R, R]> => Promise.all([fn(a), fn(b)]) as Promise<[R, R]>
      const [leases, sessions, groups, members, stored] = await Promise.all([
        both((s) => s.endLease(region)),
        both((s) => s.endSession(s1.sessionId)),
        both((s) => s.closeGroupSession(groupSessionId, 'idle', 5)),
        both((s) => s.removeMember(groupSessionId, u2)),
        both((s) => s.storeOffline(message)),
      ])
      const [atRegion, acknowledged] = await Promise.all([
        both((s) => s.endSessionsAtRegion(region)),
        both((s) => s.acknowledge(ann, [message.messageId])),
      ])
      wins.endLease += leases.filter((x) => x).length
      wins.endSession += sessions.filter((x) => x !== null).length
      wins.closeGroupSession += groups.filter((x) => x).length
      wins.removeMember += members.filter((x) => x).length
      wins.storeOffline += stored.filter((x) => x === 'stored').length
      wins.endSessionsAtRegion += atRegion.reduce((n, ended) => n + ended.length, 0)
      wins.acknowledge += acknowledged.reduce((n, count) => n + count, 0)
    }
    t.same(wins, { endLease: rounds, endSession: rounds, endSessionsAtRegion: rounds, closeGroupSession: rounds, removeMember: rounds, acknowledge: rounds, storeOffline: rounds })
  })

  t.test('racing processes: of two claims of one recent fact exactly one wins, and both see its value', async (t) => {
    const [a, b] = await twoProcesses(t)
    for (let round = 0; round < 20; round++) {
      const key = randomUUID()
      const [fromA, fromB] = await Promise.all([a.claimRecent('group-reply', key, 'a', 1000, 1), b.claimRecent('group-reply', key, 'b', 1000, 1)])
      const winners = [fromA, fromB].filter((held) => held === null).length
      t.equal(winners, 1, `round ${round}: one claim wins`)
      const value = fromA === null ? 'a' : 'b'
      t.equal(fromA === null ? fromB : fromA, value, 'the loser answers the winner\'s value')
      const [takenA, takenB] = await Promise.all([a.takeRecent('group-reply', key, 2), b.takeRecent('group-reply', key, 2)])
      t.equal([takenA, takenB].filter((v) => v === value).length, 1, 'one take gets it')
    }
  })

  t.test('racing processes: lapsed group outbox rows are claimed by one process each, none left out, while rows are added', async (t) => {
    const [a, b] = await twoProcesses(t)
    const delivery = (i: number) => ({ regionId: `r${i % 3}`, url: 'http://r', delivery: `{"messageId":"m${i}"}` })
    const ids: number[] = []
    for (let i = 0; i < 200; i += 4) ids.push(...await a.addGroupOutbox([0, 1, 2, 3].map((k) => delivery(i + k)), 'dead', 10))
    const got: Record<string, number[]> = { a: [], b: [] }
    // Both sweep in small bites at once while a third owner keeps adding rows that are held.
    const sweeper = async (store: Store, owner: string) => {
      for (;;) {
        const rows = await store.claimGroupOutbox(owner, 100, 1000, 7)
        if (rows.length === 0) return
        got[owner]!.push(...rows.map((r) => r.outboxId))
        t.ok(rows.every((r) => r.owner === owner && r.claimedUntil === 1100), 'claimed for this owner')
      }
    }
    await Promise.all([sweeper(a, 'a'), sweeper(b, 'b'), (async () => { for (let i = 0; i < 20; i++) await b.addGroupOutbox([delivery(1000 + i)], 'alive', 5000) })()])
    t.ok(got.a!.length > 0 && got.b!.length > 0, `both took some (a ${got.a!.length}, b ${got.b!.length})`)
    t.same([...got.a!, ...got.b!].sort((x, y) => x - y), ids, 'every lapsed row exactly once, none of the held ones')
    t.same(await a.claimGroupOutbox('c', 1099, 1000, 1000), [], 'all held now')
  })

  t.test('a group session\'s or a group\'s row lock holds another process\'s transaction until the first ends', async (t) => {
    const [a, b] = await twoProcesses(t)
    const [u1, u2] = await addUsers(a, 'Lou', 'Lea') as [string, string]
    const groupSessionId = randomUUID()
    await a.createGroupSession({ groupSessionId, name: 'g', groupId: null, startedBy: u1, memberIds: [u1, u2], createdAt: 1 })
    const groupId = randomUUID()
    await a.createGroup({ groupId, name: 'G', memberIds: [u1, u2] })
    for (const [what, lock] of [['group session', (s: Store) => s.lockGroupSession(groupSessionId)], ['group', (s: Store) => s.lockGroup(groupId)]] as const) {
      const order: string[] = []
      let locked!: () => void
      const firstLocked = new Promise<void>((resolve) => { locked = resolve })
      const first = a.transaction(async (tx) => {
        await lock(tx)
        order.push('first locked')
        locked()
        await new Promise((resolve) => setTimeout(resolve, 150))
        order.push('first ends')
      })
      await firstLocked
      const second = b.transaction(async (tx) => {
        await lock(tx)
        order.push('second locked')
      })
      await Promise.all([first, second])
      t.same(order, ['first locked', 'first ends', 'second locked'], what)
    }
  })

  t.test('racing processes: one friendship and one open offer, whichever way round, without deadlock', async (t) => {
    const [a, b] = await twoProcesses(t)
    for (let round = 0; round < 10; round++) {
      const [x, y] = await addUsers(a, `X${round}`, `Y${round}`) as [string, string]
      const friends = await Promise.all([a.createFriendship(x, y, 1, 2), b.createFriendship(y, x, 2, 1)])
      t.same(friends.filter((f) => f).length, 1, 'one of them befriended')
      t.ok(await a.getFriendship(x, y))
      const offers = await Promise.all([1, 2].map((n) => (n === 1 ? a : b).createOffer({ offerId: randomUUID(), fromUserId: x, toUserId: y, message: null, createdAt: n })))
      t.equal(offers[0]!.offerId, offers[1]!.offerId, 'both answered with the one open offer')
    }
  })

  t.test('a transaction holds one connection; the store itself goes on meanwhile', async (t) => {
    const [store] = await twoProcesses(t)
    const [ann, bob] = await addUsers(store, 'Ann', 'Bob') as [string, string]
    await t.rejects(store.transaction(async (tx) => {
      await tx.createFriendship(ann, bob, 1, 1)
      // Another request meanwhile, on another connection: not part of the transaction.
      t.equal(await store.getFriendship(ann, bob), null, 'uncommitted work is not seen outside')
      await store.createOffer({ offerId: randomUUID(), fromUserId: bob, toUserId: ann, message: null, createdAt: 1 })
      throw new Error('rolled back')
    }), /rolled back/)
    t.equal(await store.getFriendship(ann, bob), null)
    t.not(await store.findOpenOffer(bob, ann), null, 'the call made outside it stays')
  })

  t.test('a database that cannot be reached rejects the open, naming the cause', async (t) => {
    await t.rejects(openPostgresStore('postgres://postgres@127.0.0.1:1/none'), /ECONNREFUSED/)
  })
}
