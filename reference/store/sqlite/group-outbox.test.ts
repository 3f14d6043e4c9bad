import t from 'tap'
import { eachStore } from '../test-support.ts'
import type { NewGroupOutboxRow } from '../store.ts'

const row = (regionId: string, messageId: string): NewGroupOutboxRow =>
  ({ regionId, url: `http://${regionId}`, delivery: JSON.stringify({ messageId, toUserIds: ['u'] }) })

eachStore(t, (t, fresh) => {
  t.test('rows are stored with their owner and claim, in the order given, and deleted once', async (t) => {
    const store = await fresh(t)
    const ids = await store.addGroupOutbox([row('r1', 'm1'), row('r2', 'm1')], 'p1', 1000)
    t.equal(ids.length, 2)
    t.ok(ids[0]! < ids[1]!, 'ids grow in the order given')
    const later = await store.addGroupOutbox([row('r1', 'm2')], 'p1', 1000)
    t.ok(later[0]! > ids[1]!, 'a later message has a later id')
    t.same(await store.addGroupOutbox([], 'p1', 1000), [], 'nothing to store')
    t.same(await store.claimGroupOutbox('p2', 999, 100, 10), [], 'nothing lapsed before claimedUntil')
    t.equal(await store.deleteGroupOutbox([ids[0]!, 12345]), 1, 'only the rows that exist')
    t.equal(await store.deleteGroupOutbox([ids[0]!]), 0, 'deleted once')
    t.equal(await store.deleteGroupOutbox([]), 0)
    t.same((await store.listGroupOutbox(10)).map((r) => [r.outboxId, r.regionId, r.owner, r.claimedUntil]), [[ids[1], 'r2', 'p1', 1000], [later[0], 'r1', 'p1', 1000]], 'listed oldest first')
    t.equal((await store.listGroupOutbox(1)).length, 1, 'at most limit')
    const claimed = await store.claimGroupOutbox('p2', 1000, 100, 10)
    t.same(claimed, [
      { outboxId: ids[1], regionId: 'r2', url: 'http://r2', delivery: row('r2', 'm1').delivery, owner: 'p2', claimedUntil: 1100 },
      { outboxId: later[0], regionId: 'r1', url: 'http://r1', delivery: row('r1', 'm2').delivery, owner: 'p2', claimedUntil: 1100 },
    ], 'lapsed at claimedUntil: claimed for p2 until now + leaseMs, oldest first')
  })

  t.test('a claim takes at most limit rows, oldest first, and each row once per lapse', async (t) => {
    const store = await fresh(t)
    const ids: number[] = []
    for (let i = 0; i < 5; i++) ids.push(...await store.addGroupOutbox([row('r1', `m${i}`)], 'dead', 10))
    t.same((await store.claimGroupOutbox('p', 20, 100, 3)).map((r) => r.outboxId), ids.slice(0, 3))
    t.same((await store.claimGroupOutbox('p', 20, 100, 3)).map((r) => r.outboxId), ids.slice(3), 'the rest; the claimed ones are held')
    t.same(await store.claimGroupOutbox('q', 119, 100, 10), [], 'held until 120')
    t.same((await store.claimGroupOutbox('q', 120, 100, 10)).map((r) => r.outboxId), ids, 'lapsed again: claimed again')
  })

  t.test('a renewal extends only the rows the owner still holds', async (t) => {
    const store = await fresh(t)
    const [a, b] = await store.addGroupOutbox([row('r1', 'm1'), row('r2', 'm1')], 'p1', 100)
    // p1 was too slow: b lapsed and p2 took it.
    t.same((await store.claimGroupOutbox('p2', 100, 1000, 1)).map((r) => r.outboxId), [a], 'p2 takes the oldest')
    t.equal(await store.renewGroupOutbox('p1', [a!, b!], 500), 1, 'p1 renews b only')
    t.equal(await store.renewGroupOutbox('p1', [], 500), 0)
    t.same(await store.claimGroupOutbox('p3', 499, 10, 10), [], 'b held until 500, a until 1100')
    t.same((await store.claimGroupOutbox('p3', 500, 10, 10)).map((r) => [r.outboxId, r.owner]), [[b, 'p3']])
  })

  t.test('stored inside a transaction that rolls back, nothing is stored', async (t) => {
    const store = await fresh(t)
    await t.rejects(store.transaction(async (tx) => {
      t.equal(await tx.claimRecent('group-reply', 'g m', '{}', 100, 0), null)
      await tx.addGroupOutbox([row('r1', 'm')], 'p', 10)
      throw new Error('the answer could not be sent')
    }), /could not be sent/)
    t.same(await store.claimGroupOutbox('p', 1000, 10, 10), [], 'no row')
    t.equal(await store.getRecent('group-reply', 'g m', 0), null, 'no claim either')
  })
})

t.test('SQLite: the outbox does not move version(), which group destinations are cached by', async (t) => {
  const { openSqliteStore } = await import('../sqlite-store.ts')
  const store = openSqliteStore(':memory:')
  t.teardown(() => store.close())
  const before = store.version()
  const [id] = await store.addGroupOutbox([row('r1', 'm')], 'p', 10)
  await store.renewGroupOutbox('p', [id!], 20)
  await store.claimGroupOutbox('q', 30, 10, 10)
  await store.deleteGroupOutbox([id!])
  t.equal(store.version(), before)
})
