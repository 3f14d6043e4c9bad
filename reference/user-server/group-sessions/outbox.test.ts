// GRIDIM-GRP-31: a group message answered is forwarded even if the user server dies before the
// regions took it. A "dead" instance here is one whose requests to regions never end and whose
// sweeper never runs again; a second instance on the same store (or the same one restarted)
// sends its rows once their claim lapsed.
import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import { GridImError } from '../../lib/errors/index.ts'
import type { Fault } from '../../lib/faults.ts'
import type { Store } from '../../store/index.ts'
import { postgresStore, skipPostgres } from '../../store/test-support.ts'
import { harness, type Harness, type SentRequest } from '../test-support.ts'
import { createLogger } from '../../lib/http/index.ts'
import { GROUP_OUTBOX_LEASE_MS, GroupOutbox } from './outbox.ts'

const never = new Promise<never>(() => {})

// messageIds are UUIDs; the test names them m1, m2, …
const ids = new Map<string, string>()
const names = new Map<string, string>()
function mid (name: string): string {
  if (!ids.has(name)) {
    const id = randomUUID()
    ids.set(name, id)
    names.set(id, name)
  }
  return ids.get(name)!
}
const nameOf = (id: string): string => names.get(id) ?? id

/** Answers a deliverGroupMessages as a region hosting everyone would. */
function batchAnswer ({ operationId, body }: SentRequest): unknown {
  if (operationId !== 'deliverGroupMessages') return undefined
  return { results: body.deliveries.map((d: any) => ({ groupSessionId: d.groupSessionId, messageId: d.messageId, delivered: d.toUserIds, notHere: [] })) }
}

/** Two regions, a member signed on at each, a session of the three; nothing sent yet. */
async function session (t: Test, options: { faults?: ReadonlySet<Fault>, store?: Store } = {}) {
  const h = harness(t, options)
  const [r1, r2] = [await h.region(), await h.region()]
  const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((n) => h.user(n)))
  await h.friends(a, b)
  await h.friends(a, c)
  await h.signOn(a, r1)
  await h.signOn(b, r1)
  await h.signOn(c, r2)
  const { groupSessionId } = (await h.signed(r1, 'POST', '/group-sessions', { startedBy: a.userId, participantIds: [b.userId, c.userId] })).body
  await h.us.idle()
  h.clearSent()
  const send = async (messageId: string, from = a) =>
    await h.signed(from === c ? r2 : r1, 'POST', `/group-sessions/${groupSessionId}/messages`, { fromUserId: from.userId, messageId: mid(messageId), body: `text of ${messageId}` })
  return { h, r1, r2, a, b, c, groupSessionId, send }
}

/** The rows in the outbox. */
const outbox = async (store: Store) => await store.listGroupOutbox(1000)

/** The deliveries of group messages in the requests, as `regionUrl messageId`. */
const deliveries = (sent: readonly SentRequest[]): string[] =>
  sent.flatMap((r) => r.operationId === 'deliverGroupMessage' ? [`${r.url} ${nameOf(r.body.messageId)}`] : r.operationId === 'deliverGroupMessages' ? r.body.deliveries.map((d: any) => `${r.url} ${nameOf(d.messageId)}`) : [])

t.test('a row per destination region is stored before the answer and deleted once the region answered', async (t) => {
  const { h, r1, r2, send } = await session(t)
  const gates: Array<() => void> = []
  h.respondWith((r) => r.operationId === 'deliverGroupMessage' ? new Promise((resolve) => gates.push(() => resolve(undefined))).then(() => ({ delivered: r.body.toUserIds, notHere: [] })) : undefined)
  t.same((await send('m1')).body, { messageId: mid('m1'), destinations: 2 })
  const rows = await outbox(h.store)
  t.same(rows.map((r) => [r.url, nameOf(JSON.parse(r.delivery).messageId), r.owner === h.us.groupOutbox.owner, r.claimedUntil]).sort(),
    [[r1.url, 'm1', true, h.clock.now + GROUP_OUTBOX_LEASE_MS], [r2.url, 'm1', true, h.clock.now + GROUP_OUTBOX_LEASE_MS]].sort(),
    'stored when answered, held by this instance for the lease')
  t.same(JSON.parse(rows.find((r) => r.url === r1.url)!.delivery), h.sent.find((r) => r.url === r1.url)!.body, 'the delivery as sent')
  for (const open of gates.splice(0)) open()
  await h.us.idle()
  t.same(await outbox(h.store), [], 'both deleted once delivered')
})

t.test('the rows of a dead instance are sent by another once their claim lapsed, once, in the order accepted', async (t) => {
  const { h, r1, r2, send } = await session(t)
  // The first instance's requests never end: it "died" with the messages answered.
  h.respondWith((r) => r.operationId.startsWith('deliverGroupMessage') ? never : undefined)
  for (const id of ['m1', 'm2', 'm3']) t.equal((await send(id)).statusCode, 200)
  t.same(deliveries(h.sent), [`${r1.url} m1`, `${r2.url} m1`], 'only the first went, and hangs')

  const second = harness(t, { store: h.store })
  second.respondWith(batchAnswer)
  second.clock.now = h.clock.now + GROUP_OUTBOX_LEASE_MS - 1
  await second.us.sweep()
  t.same(await second.delivered(), [], 'nothing before the claim lapsed')
  second.clock.now += 1
  await second.us.sweep()
  await second.us.sweep()
  const sent = await second.delivered()
  const to = (url: string) => deliveries(sent).filter((d) => d.startsWith(url + ' '))
  t.same(to(r1.url), [`${r1.url} m1`, `${r1.url} m2`, `${r1.url} m3`], 'r1: each once, in the order accepted')
  t.same(to(r2.url), [`${r2.url} m1`, `${r2.url} m2`, `${r2.url} m3`], 'r2: likewise')
  const firstToR1 = sent.find((r) => r.url === r1.url)!
  t.same(firstToR1.body.deliveries?.[0] ?? firstToR1.body, h.sent.find((r) => r.url === r1.url)!.body, 'the delivery as it was accepted')
  t.same(await outbox(h.store), [], 'deleted once delivered')
  second.clock.now += 2 * GROUP_OUTBOX_LEASE_MS
  await second.us.sweep()
  t.same(await second.delivered(), sent, 'nothing sent a second time')
})

t.test('a dead instance\'s row goes to where its region is now', async (t) => {
  const { h, r2, send } = await session(t)
  h.respondWith((r) => r.operationId.startsWith('deliverGroupMessage') ? never : undefined)
  await send('m1')
  // r2 restarted elsewhere and renewed its lease from there.
  const moved = { ...r2, url: 'http://region-2-restarted.test' }
  await h.lease(moved)
  const second = harness(t, { store: h.store })
  second.clock.now = h.clock.now + GROUP_OUTBOX_LEASE_MS
  await second.us.sweep()
  t.same(deliveries(await second.delivered()).sort(), [`${h.sent[0]!.url} m1`, `${moved.url} m1`].sort())
})

t.test('the instance that delivers renews its rows: a slow region is not sent the same message by a sweep', async (t) => {
  const { h, send } = await session(t)
  const gates: Array<() => void> = []
  h.respondWith((r) => r.operationId === 'deliverGroupMessage' ? new Promise((resolve) => gates.push(() => resolve(undefined))).then(() => ({ delivered: r.body.toUserIds, notHere: [] })) : undefined)
  await send('m1')
  for (let i = 0; i < 3; i++) {
    h.clock.now += GROUP_OUTBOX_LEASE_MS
    await h.us.sweep()
  }
  t.equal(deliveries(h.sent).length, 2, 'still the two first requests')
  const other = harness(t, { store: h.store })
  other.clock.now = h.clock.now + GROUP_OUTBOX_LEASE_MS - 1
  await other.us.sweep()
  t.same(await other.delivered(), [], 'another instance leaves them alone while they are renewed')
  for (const open of gates.splice(0)) open()
  await h.us.idle()
})

t.test('GRIDIM-GRP-19 as before: a message the courier gives up on is not kept', async (t) => {
  for (const [name, failure] of [['refused', new GridImError('invalid-request', 'no')], ['unavailable through every retry', new GridImError('unavailable', 'down')]] as const) {
    const { h, r1, send } = await session(t)
    h.respondWith((r) => { if (r.operationId === 'deliverGroupMessage' && r.url === r1.url) throw failure })
    await send('m1')
    await h.us.idle()
    t.same((await outbox(h.store)).map((r) => r.url), [], `${name}: given up, and deleted`)
  }
})

t.test('GRIDIM-GRP-15: a repeat gets the first answer and stores nothing more', async (t) => {
  const { h, send } = await session(t)
  h.respondWith((r) => r.operationId.startsWith('deliverGroupMessage') ? never : undefined)
  await send('m1')
  t.equal((await send('m1')).statusCode, 200)
  t.equal((await outbox(h.store)).length, 2, 'two rows, not four')
})

t.test('the fault group-forward-not-durable: a dead instance\'s message is lost (what this file catches)', async (t) => {
  const { h, send } = await session(t, { faults: new Set(['group-forward-not-durable']) })
  h.respondWith((r) => r.operationId.startsWith('deliverGroupMessage') ? never : undefined)
  t.same((await send('m1')).body, { messageId: mid('m1'), destinations: 2 }, 'answered as before')
  const second = harness(t, { store: h.store })
  second.clock.now = h.clock.now + GROUP_OUTBOX_LEASE_MS
  await second.us.sweep()
  t.same(await second.delivered(), [], 'nothing stored, nothing sent again')
})

t.test('PostgreSQL: the claim of the answer and the rows commit together; another instance sends a dead one\'s rows', skipPostgres ? { skip: 'GRIDIM_SKIP_POSTGRES=1' } : {}, async (t) => {
  const store = await postgresStore(t)
  const { h, r1, r2, a, groupSessionId, send } = await session(t, { store })
  h.respondWith((r) => r.operationId.startsWith('deliverGroupMessage') ? never : undefined)
  t.same((await send('m1')).body, { messageId: mid('m1'), destinations: 2 })
  t.same((await send('m2')).body, { messageId: mid('m2'), destinations: 2 })
  const second: Harness = harness(t, { store })
  second.respondWith(batchAnswer)
  // The repeat goes to the second instance: the first answer, nothing stored or sent.
  second.clock.now = h.clock.now
  t.equal((await outbox(store)).length, 4, 'two rows a message')
  const again = await second.signed(r1, 'POST', `/group-sessions/${groupSessionId}/messages`, { fromUserId: a.userId, messageId: mid('m1'), body: 'text of m1' })
  t.same(again.body, { messageId: mid('m1'), destinations: 2 }, 'the repeat meets the first answer')
  t.same(await second.delivered(), [], 'and forwards nothing')
  t.equal((await outbox(store)).length, 4, 'nor stores anything')
  second.clock.now = h.clock.now + 2 * GROUP_OUTBOX_LEASE_MS
  await second.us.sweep()
  const sent = deliveries(await second.delivered())
  t.same(sent.filter((d) => d.startsWith(r1.url)), [`${r1.url} m1`, `${r1.url} m2`], 'r1: once each, in order')
  t.same(sent.filter((d) => d.startsWith(r2.url)), [`${r2.url} m1`, `${r2.url} m2`], 'r2: likewise')
  t.same(await outbox(store), [], 'deleted once delivered')
})

t.test('rows settled close together are deleted in one statement, and held until then', async (t) => {
  const h = harness(t)
  const calls: number[][] = []
  const store = { ...h.store, deleteGroupOutbox: async (ids: readonly number[]) => { calls.push([...ids]); return await h.store.deleteGroupOutbox(ids) } } as Store
  const box = new GroupOutbox(store, createLogger())
  const ids = await h.store.addGroupOutbox([1, 2, 3].map((i) => ({ regionId: `r${i}`, url: `http://r${i}`, delivery: '{}' })), 'dead', 10)
  const resent: number[] = []
  t.equal(await box.sweep({ deliverGroupMessage: (...args) => { resent.push(args[4]!) } }, 20), 3, 'a dead process\'s rows, taken over')
  t.same(resent, ids, 'in order, each with its row')
  box.settled([ids[0]!])
  box.settled([ids[1]!, ids[2]!])
  t.same(calls, [], 'not at once')
  await box.sweep({ deliverGroupMessage: () => t.fail('none is sent again') }, 1000)
  t.same((await h.store.listGroupOutbox(10)).map((r) => r.claimedUntil), [1000 + box.leaseMs, 1000 + box.leaseMs, 1000 + box.leaseMs], 'renewed while waiting to be deleted')
  await box.flushed()
  t.same(calls, [ids], 'one delete for the three')
  t.same(await h.store.listGroupOutbox(10), [])
})
