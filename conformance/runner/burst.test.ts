import t from 'tap'
import { burst, burstShape, MAX_BURST, type BurstAnswer } from './burst.ts'

t.test('a burst is bounded: a count of 1 to MAX_BURST, a rate above 0 and at most 1000 a second', async (t) => {
  t.same(burstShape({ count: 10, perSecond: 10 }), { count: 10, perSecond: 10 })
  t.throws(() => burstShape({ count: 0, perSecond: 10 }), /count of 1 to/)
  t.throws(() => burstShape({ count: MAX_BURST + 1, perSecond: 10 }), /count of 1 to/)
  t.throws(() => burstShape({ count: 1.5, perSecond: 10 }), /count of 1 to/)
  t.throws(() => burstShape({ count: 5, perSecond: 0 }), /perSecond above 0/)
  t.throws(() => burstShape({ count: 5, perSecond: 'fast' }), /perSecond above 0/)
  t.throws(() => burstShape({ count: 5, perSecond: 5000 }), /at most 1000/)
})

t.test('a burst sends at the pace asked, not after each answer, and counts the refusals', async (t) => {
  let n = 0
  const result = await burst(6, 50, async () => {
    const i = n++
    // The first answers slowly: the next requests go out on their own schedule all the same.
    if (i === 0) await new Promise((resolve) => setTimeout(resolve, 300))
    if (i === 3) return { status: 429, body: { code: 'rate-limited' }, retryAfter: '2' }
    if (i === 4) return { status: 429, body: { code: 'rate-limited' } }
    if (i === 5) return { status: 503, body: { code: 'rate-limited' }, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' }
    return { status: 200, body: {} }
  })
  const body = result.body as BurstAnswer
  t.equal(result.status, 200)
  t.same(body.statuses, { 200: 3, 429: 2, 503: 1 })
  t.equal(body.rateLimited, 3)
  t.equal(body.rateLimitedWithoutRetryAfter, 2, 'no header, or a date instead of seconds')
  t.ok(body.spreadMs >= 90 && body.spreadMs < 290, `sent over about 100 ms, not after the slow first answer (${body.spreadMs} ms)`)
})

t.test('a request of the burst that fails while later ones are still due fails the burst, not the runner', async (t) => {
  const unhandled: unknown[] = []
  const note = (reason: unknown): void => { unhandled.push(reason) }
  process.on('unhandledRejection', note)
  t.teardown(() => { process.off('unhandledRejection', note) })
  let n = 0
  // The first is refused at once (the target went down); the others are due 50 ms apart.
  await t.rejects(burst(3, 20, async () => { if (n++ === 0) throw new Error('connect ECONNREFUSED'); return { status: 200, body: {} } }), /ECONNREFUSED/)
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.same(unhandled, [], 'no rejection left unhandled meanwhile')
})
