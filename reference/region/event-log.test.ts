import t from 'tap'
import { EventLog, holdingEvents, searchSeq, type LoggedEvent } from './event-log.ts'

function clock (start = 1_700_000_000_000) {
  let ms = start
  return { now: () => ms, advance: (d: number) => { ms += d } }
}

t.test('GRIDIM-CLI-7, GRIDIM-CLI-8: events are read after a cursor, oldest first, and reading deletes nothing', async (t) => {
  const log = new EventLog<LoggedEvent>({ now: clock().now })
  const a = log.append('instantMessage', { n: 1 })
  const b = log.append('presence', { n: 2 })
  const c = log.append('chatState', { n: 3 })
  t.same(log.after().events.map((e) => e.id), [a.id, b.id, c.id])
  t.same(log.after(a.id).events.map((e) => e.data), [{ n: 2 }, { n: 3 }])
  t.same(log.after(a.id).events.map((e) => e.data), [{ n: 2 }, { n: 3 }], 'the same read again returns the same events')
  t.equal(log.after(a.id).cursor, c.id, 'the cursor is the last event returned')
  t.same(log.after(c.id), { events: [], cursor: c.id }, 'nothing after the head')
})

t.test('GRIDIM-CLI-6: cursors increase strictly even when events share a clock tick, and carry an RFC 3339 time', async (t) => {
  const log = new EventLog<LoggedEvent>({ now: clock().now })
  const ids = [1, 2, 3].map((n) => Number(log.append('x', n).id))
  t.ok(ids[0]! < ids[1]! && ids[1]! < ids[2]!)
  t.match(log.after().events[0]!.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
  t.equal(new EventLog<LoggedEvent>().head, '0', 'an empty log has cursor 0')
  t.same(new EventLog<LoggedEvent>().after(), { events: [], cursor: '0' })
})

t.test('the fault event-ids-share-a-tick gives two events of one millisecond one id', async (t) => {
  const log = new EventLog<LoggedEvent>({ now: clock().now, sameTickSameId: true })
  const a = log.append('x', 1)
  const b = log.append('x', 2)
  t.equal(a.id, b.id)
  t.same(log.after(a.id).events, [], 'reading after the first skips the second')
})

t.test('a client resumes from its cursor and gets exactly what it missed', async (t) => {
  const c = clock()
  const log = new EventLog<LoggedEvent>({ now: c.now })
  log.append('a', 1)
  const seen = log.after().cursor
  c.advance(5000)
  log.append('b', 2)
  log.append('c', 3)
  t.same(log.after(seen).events.map((e) => e.type), ['b', 'c'])
  t.same(log.after(seen, 1).events.map((e) => e.type), ['b'], 'a page limit returns the oldest first')
})

t.test('GRIDIM-CLI-12: a cursor the log never issued, or has discarded, is refused', async (t) => {
  const c = clock()
  const log = new EventLog<LoggedEvent>({ retention: 2, maxAgeMs: 60_000, now: c.now })
  const first = log.append('a', 1).id
  t.ok(log.knows('0'), "'0' is the start of a log that has lost nothing")
  t.same(log.after('0').events.map((e) => e.type), ['a'])
  const foreign = new EventLog<LoggedEvent>({ now: clock(1_800_000_000_000).now }).append('x', 0).id
  for (const bad of [foreign, String(Number(first) + 1), '', 'abc', '-1', '1.5']) {
    t.throws(() => log.after(bad), RangeError, `refuses ${JSON.stringify(bad)}`)
  }
  c.advance(61_000)
  log.append('b', 2)
  log.append('c', 3)
  t.notOk(log.knows(first), 'the discarded event is no longer a valid cursor')
  t.notOk(log.knows('0'), 'nor is the start, since something was lost')
  t.throws(() => log.after(first), RangeError)
})

t.test('GRIDIM-CLI-11: an event is discarded only when older than the limit and not among the newest', async (t) => {
  const c = clock()
  const log = new EventLog<LoggedEvent>({ retention: 3, maxAgeMs: 10 * 60_000, now: c.now })
  for (let i = 0; i < 5; i++) log.append('n', i)
  t.equal(log.size, 5, 'young events are all kept, beyond the count')
  c.advance(10 * 60_000 + 1)
  log.append('n', 5)
  t.same(log.after().events.map((e) => e.data), [3, 4, 5], 'old events beyond the newest three go')
  t.throws(() => new EventLog<LoggedEvent>({ retention: 0 }), RangeError)
})

t.test('GRIDIM-CLI-9, GRIDIM-CLI-16: a long poll wakes on the next event, on close, or after its time', async (t) => {
  const log = new EventLog<LoggedEvent>()
  const head = log.head
  const woken = log.waitAfter(head, 5000)
  log.append('x', 1)
  await woken
  t.equal(log.after(head).events.length, 1)

  const start = Date.now()
  await log.waitAfter(log.head, 30)
  t.ok(Date.now() - start >= 25, 'times out when nothing comes')
  await log.waitAfter(undefined, 5000)
  t.pass('returns at once when events are already there')

  const closing = log.waitAfter(log.head, 5000)
  log.close()
  await closing
  t.ok(log.closed)
  t.throws(() => log.append('y', 2), /closed/)
})

t.test('subscribers see each new event, and null when the log closes', async (t) => {
  const log = new EventLog<LoggedEvent>()
  const got: Array<string | null> = []
  const unsubscribe = log.subscribe((e) => got.push(e?.type ?? null))
  log.append('a', 1)
  unsubscribe()
  log.append('b', 2)
  const again: Array<string | null> = []
  log.subscribe((e) => again.push(e?.type ?? null))
  log.close()
  log.subscribe((e) => again.push(e?.type ?? null))
  t.same(got, ['a'])
  t.same(again, [null, null])
})

t.test('GRIDIM-IM-20: what append is asked to keep is kept before any listener hears of the event; a failure appends nothing', async (t) => {
  const log = new EventLog<LoggedEvent>()
  const order: string[] = []
  log.subscribe((event) => { order.push(`heard ${event?.id}`) })
  const event = log.append('instantMessage', { n: 1 }, (e) => { order.push(`kept ${e.id}`) })
  t.same(order, [`kept ${event.id}`, `heard ${event.id}`])
  t.throws(() => log.append('instantMessage', { n: 2 }, () => { throw new Error('disk full') }), /disk full/)
  t.equal(log.size, 1)
  t.equal(log.head, event.id)
})

t.test('GRIDIM-IM-20: events appended while held are neither readable nor heard until the hold ends, then in order', async (t) => {
  const a = new EventLog<LoggedEvent>()
  const b = new EventLog<LoggedEvent>()
  const heard: string[] = []
  a.subscribe((event) => { heard.push(`a ${event?.id}`) })
  b.subscribe((event) => { heard.push(`b ${event?.id}`) })
  const ids = holdingEvents(() => {
    const first = a.append('instantMessage', { n: 1 })
    const second = b.append('instantMessage', { n: 2 })
    // Nested: joins the outer hold.
    const third = holdingEvents(() => a.append('instantMessage', { n: 3 }))
    t.equal(a.size + b.size, 0, 'nothing readable inside the hold')
    t.same(heard, [], 'nobody told inside the hold')
    t.ok(Number(third.id) > Number(first.id), 'ids still grow within a log')
    return [first.id, second.id, third.id]
  })
  t.same(heard, [`a ${ids[0]}`, `b ${ids[1]}`, `a ${ids[2]}`], 'published in the order appended, once the hold ended')
  t.same(a.after().events.map((e) => e.data), [{ n: 1 }, { n: 3 }])
  t.equal(a.head, ids[2])
})

t.test('a hold that throws publishes nothing, and the ids it used are not used again', async (t) => {
  const log = new EventLog<LoggedEvent>()
  const heard: unknown[] = []
  log.subscribe((event) => heard.push(event))
  let lost = ''
  t.throws(() => holdingEvents(() => {
    lost = log.append('instantMessage', { n: 1 }).id
    throw new Error('commit failed')
  }), /commit failed/)
  t.equal(log.size, 0)
  t.same(heard, [])
  t.notOk(log.knows(lost), 'the unpublished id is unknown')
  const next = log.append('instantMessage', { n: 2 })
  t.ok(Number(next.id) > Number(lost), 'a later event gets a later id')
  t.equal(heard.length, 1, 'events outside a hold are heard at once again')
})

t.test('a cursor is found by binary search: O(log n) entries read, however long the session has run', async (t) => {
  // Every stream ack checks its cursor (GRIDIM-CLI-12, -38) against a log that keeps 10 minutes
  // of events; a scan made each ack cost in proportion to all the session had received.
  const n = 100_000
  const seqs = Array.from({ length: n }, (_, i) => ({ seq: 1000 + 2 * i }))
  let reads = 0
  const counted = new Proxy(seqs, { get: (target, key, receiver) => { if (typeof key === 'string' && /^\d+$/.test(key)) reads++; return Reflect.get(target, key, receiver) } })
  const bound = Math.ceil(Math.log2(n)) + 1
  for (const [seq, strictly, from, want] of [
    [1000 + 2 * (n - 1), false, 0, n - 1], // the newest, what an ack names
    [1000, false, 0, 0], [1000, true, 0, 1], [999, false, 0, 0], [1001, false, 0, 1],
    [1000 + 2 * n, false, 0, n], [1000 + 2 * 500, false, 700, 700], [1000 + 2 * 800, true, 700, 801]
  ] as const) {
    reads = 0
    t.equal(searchSeq(counted, seq, strictly, from), want, `seq ${seq}${strictly ? ', strictly after' : ''} from ${from}`)
    t.ok(reads <= bound, `${reads} entries read, at most ${bound}`)
  }
  t.equal(searchSeq([{ seq: 5 }, { seq: 5 }, { seq: 6 }], 5, false), 0, 'equal seqs (the fault event-ids-share-a-tick): the first')
  t.equal(searchSeq([{ seq: 5 }, { seq: 5 }, { seq: 6 }], 5, true), 2, 'strictly after equal seqs: past all of them')
})

t.test('GRIDIM-CLI-11, -12: discarding over a long run keeps cursors and reads exact', async (t) => {
  const c = clock()
  const log = new EventLog<LoggedEvent>({ retention: 10, maxAgeMs: 1000, now: c.now })
  const ids: string[] = []
  for (let i = 0; i < 5000; i++) {
    ids.push(log.append('n', i).id)
    c.advance(1)
  }
  // Events older than 1000 ms beyond the 10 newest are gone: 1001 remain (ages 0..1000 ms), and
  // the 3999 discarded ones have been cut off the array in batches on the way.
  t.equal(log.size, 1001, 'retained: those within the age limit')
  t.notOk(log.knows(ids[3998]!), 'an event past the limit is no cursor')
  t.notOk(log.knows(ids[0]!), 'nor one discarded long ago (cut off the array)')
  t.ok(log.knows(ids[3999]!), 'the oldest within it is')
  t.ok(log.knows(ids.at(-1)!), 'the newest is')
  t.same(log.after(ids[4997]).events.map((e) => e.data), [4998, 4999])
  t.same(log.after(undefined, 2).events.map((e) => e.data), [3999, 4000], 'reading from the start begins at the oldest retained')
  t.equal(log.after(ids[4500], 3).cursor, ids[4503], 'a page ends at its last event')
  for (const spelling of [`0${ids[4500]!}`, `${ids[4500]!}.0`, ` ${ids[4500]!}`]) t.notOk(log.knows(spelling), `${JSON.stringify(spelling)} is not an id this log issued`)
})
