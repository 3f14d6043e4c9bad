// A region the runner plays answers as a flow scripts it (runner action region-answers), then as
// usual again; a script that is not one refuses to start.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import { readAnswers } from './scripted-answers.ts'
import { startSimulatedRegion } from './simulated-region.ts'
import { spoilBearer } from './spoil-bearer.ts'

/** A Signature-Input naming `keyId` and `nonce`: a played region reads them, and verifies no signature. */
const signatureInput = (keyId: string, nonce: string): string => `gridim=("@method" "@target-uri" "content-digest");created=${Math.floor(Date.now() / 1000)};keyid="${keyId}";nonce="${nonce}";alg="ed25519"`

/** Waits (bounded: 5 s) until `done` holds: a played region records an exchange once its answer has gone. */
async function until (done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
}

t.test('a script that is not a list of {status, code} is refused before any request', async (t) => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['deliverInstantMessage', [], /non-empty list/],
    ['deliverInstantMessage', 'unavailable', /non-empty list/],
    ['deliverInstantMessage', [{ status: '503', code: 'unavailable' }], /HTTP status/],
    ['deliverInstantMessage', [{ status: 99 }], /HTTP status/],
    ['deliverInstantMessage', [null], /HTTP status/],
    ['deliverInstantMessage', [{ status: 503 }], /needs a problem code/],
    ['deliverNotices', [{ status: 200 }], /only defined for deliverInstantMessage/],
    ['deliverInstantMessage', [{ status: 503, code: 'unavailable', retryAfter: '1' }], /whole number of seconds/],
    ['deliverInstantMessage', [{ status: 503, code: 'unavailable', retryAfter: 31 }], /whole number of seconds/],
    ['deliverInstantMessage', [{ status: 503, code: 'unavailable', retryAfter: -1 }], /whole number of seconds/],
    ['deliverInstantMessage', [{ status: 200, retryAfter: 1 }], /on an error answer/]
  ]
  for (const [op, raw, message] of cases) t.throws(() => readAnswers(op, raw), message, JSON.stringify(raw))
  t.same(readAnswers('deliverInstantMessage', [{ status: 503, code: 'unavailable', extra: 1 }, { status: 200, code: 'ignored' }]),
    [{ status: 503, code: 'unavailable' }, { status: 200 }])
  t.same(readAnswers('deliverInstantMessage', [{ status: 429, code: 'rate-limited', retryAfter: 1 }]), [{ status: 429, code: 'rate-limited', retryAfter: 1 }])
})

t.test('a scripted Retry-After goes out as the header field', async (t) => {
  const sim = await startSimulatedRegion('RX')
  t.teardown(sim.stop)
  sim.script.set('deliverInstantMessage', readAnswers('deliverInstantMessage', [{ status: 503, code: 'unavailable', retryAfter: 2 }, { status: 503, code: 'unavailable' }]))
  const im = { messageId: randomUUID(), fromUserId: randomUUID(), fromName: 'Ada Lovelace', toUserId: randomUUID(), body: 'hello', sentAt: '2025-01-01T00:00:00Z' }
  const send = async (): Promise<string | null> => {
    const res = await fetch(new URL('/instant-messages', sim.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(im) })
    await res.body?.cancel()
    return res.headers.get('retry-after')
  }
  t.equal(await send(), '2')
  t.equal(await send(), null, 'none unless scripted')
})

t.test('the scripted answers come first, in order; then the region answers as usual', async (t) => {
  const sim = await startSimulatedRegion('RX')
  t.teardown(sim.stop)
  sim.script.set('deliverInstantMessage', readAnswers('deliverInstantMessage', [{ status: 503, code: 'unavailable' }, { status: 422, code: 'quota-exceeded' }, { status: 200 }]))
  const im = { messageId: randomUUID(), fromUserId: randomUUID(), fromName: 'Ada Lovelace', toUserId: randomUUID(), body: 'hello', sentAt: '2025-01-01T00:00:00Z' }
  const send = async (): Promise<{ status: number, type: string | null, body: { code?: string, status?: unknown } }> => {
    const res = await fetch(new URL('/instant-messages', sim.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(im) })
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json() as { code?: string } }
  }
  const first = await send()
  t.equal(first.status, 503)
  t.match(first.type, /^application\/problem\+json/)
  t.equal(first.body.code, 'unavailable')
  const second = await send()
  t.same([second.status, second.body.code, second.body.status], [422, 'quota-exceeded', 422], 'a code the spec does not define, as a newer peer might send')
  const third = await send()
  t.same([third.status, third.body], [200, { status: 'delivered' }])
  const fourth = await send()
  t.same([fourth.status, fourth.body.code], [404, 'agent-not-here'], 'the script used up, it hosts nobody again')
  t.equal(sim.received.length, 1, 'only the unscripted request reached its handler')
})

t.test('a spoilt bearer secret is a wrong one of the right form', async (t) => {
  t.equal(spoilBearer('truncated', 'abcdef'), 'abcde')
  t.equal(spoilBearer('altered', 'abcdef'), 'abcdeA')
  t.equal(spoilBearer('altered', 'abcdeA'), 'abcdeB')
  t.throws(() => spoilBearer('truncated', 'a'), /fewer than 2/)
})

t.test('a played region that keeps its lease renews a third of the granted time later, until it stops', async (t) => {
  const sim = await startSimulatedRegion('RX')
  const calls: number[] = []
  let granted: number | undefined = 1
  const first = await sim.keepLease(async () => { calls.push(Date.now()); return { status: granted === undefined ? 503 : 200, ...(granted === undefined ? {} : { leaseSeconds: granted }) } })
  t.same(first, { status: 200, leaseSeconds: 1 }, 'the first answer comes back')
  const until = async (n: number): Promise<void> => {
    for (let i = 0; i < 100 && calls.length < n; i++) await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await until(2)
  t.ok(calls[1]! - calls[0]! >= 300, `renewed after about a third of 1 s (${calls[1]! - calls[0]!} ms)`)
  granted = undefined
  await until(4)
  t.ok(calls.length >= 4, 'a refused renewal is tried again a second later')
  await sim.stop()
  const stoppedAt = calls.length
  await new Promise((resolve) => setTimeout(resolve, 1200))
  t.ok(calls.length <= stoppedAt + 1, 'no renewal is scheduled once stopped')
})

t.test('a scripted batch answer gives each message its result by messageId, in the request\'s order, after delayMs', async (t) => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['deliverInstantMessages', [{ status: 200, delayMs: 0 }], /delayMs/],
    ['deliverInstantMessages', [{ status: 200, delayMs: 6000 }], /delayMs/],
    ['deliverInstantMessage', [{ status: 200, results: [] }], /only on a success of deliverInstantMessages/],
    ['deliverInstantMessages', [{ status: 503, code: 'unavailable', results: [] }], /only on a success/],
    ['deliverInstantMessages', [{ status: 200, results: 'all' }], /must be a list/],
    ['deliverInstantMessages', [{ status: 200, results: [{ status: 'delivered' }] }], /needs its messageId/],
    ['deliverInstantMessages', [{ status: 200, results: [{ messageId: 'x', status: 'lost' }] }], /is \{messageId/]
  ]
  for (const [op, raw, message] of cases) t.throws(() => readAnswers(op, raw), message, JSON.stringify(raw))
  const sim = await startSimulatedRegion('RX')
  t.teardown(sim.stop)
  const im = (): Record<string, string> => ({ messageId: randomUUID(), fromUserId: randomUUID(), fromName: 'Ada Lovelace', toUserId: randomUUID(), body: 'hello', sentAt: '2025-01-01T00:00:00Z' })
  const [a, b, c] = [im(), im(), im()]
  sim.script.set('deliverInstantMessages', readAnswers('deliverInstantMessages', [{ status: 200, delayMs: 200, results: [{ messageId: b!.messageId, code: 'not-your-agent' }, { messageId: a!.messageId, status: 'duplicate' }] }]))
  const started = Date.now()
  const res = await fetch(new URL('/instant-message-batches', sim.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [a, b, c] }) })
  t.ok(Date.now() - started >= 190, 'answered after the delay')
  t.same(await res.json(), { results: [{ messageId: a!.messageId, status: 'duplicate' }, { messageId: b!.messageId, code: 'not-your-agent' }, { messageId: c!.messageId, code: 'agent-not-here' }] })
  const usual = await fetch(new URL('/instant-message-batches', sim.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [a] }) })
  t.match(await usual.json(), { results: [{ messageId: a!.messageId, code: 'agent-not-here' }] }, 'unscripted: a region hosting nobody')
  t.equal(sim.received.at(-1)?.operationId, 'deliverInstantMessages')
})

t.test('whenDelaying tells when a delayed answer is being held, and gives up after its timeout', async (t) => {
  const sim = await startSimulatedRegion('RX')
  t.teardown(sim.stop)
  t.equal(await sim.script.whenDelaying(1, 50), false, 'nothing held')
  sim.script.set('deliverInstantMessage', readAnswers('deliverInstantMessage', [{ status: 200, delayMs: 300 }]))
  const im = { messageId: randomUUID(), fromUserId: randomUUID(), fromName: 'Ada Lovelace', toUserId: randomUUID(), body: 'hello', sentAt: '2025-01-01T00:00:00Z' }
  const answer = fetch(new URL('/instant-messages', sim.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(im) })
  t.equal(await sim.script.whenDelaying(1, 5000), true)
  t.equal(sim.script.delaying, 1)
  t.equal(await sim.script.whenDelaying(1, 10), true, 'at once while held')
  t.same(await (await answer).json(), { status: 'delivered' })
  t.equal(sim.script.delaying, 0)
})

t.test('a scripted cut reads the request and closes the connection unanswered; the request counts as received', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [[{ cut: 'yes' }], /cut is true/],
    [[{ cut: false }], /cut is true/],
    [[{ cut: true, status: 200 }], /takes no status/],
    [[{ cut: true, status: 503, code: 'unavailable', retryAfter: 1 }], /takes no status, code, retryAfter/],
    [[{ cut: true, delayMs: 0 }], /delayMs/]
  ]
  for (const [raw, message] of cases) t.throws(() => readAnswers('deliverInstantMessage', raw), message, JSON.stringify(raw))
  t.same(readAnswers('deliverNotices', [{ cut: true }, { cut: true, delayMs: 10 }]), [{ cut: true }, { cut: true, delayMs: 10 }], 'any operation may be cut')
  const seen: ObservedExchange[] = []
  const sim = await startSimulatedRegion('RX', 'region', (x) => seen.push(x))
  t.teardown(sim.stop)
  sim.script.set('deliverInstantMessage', readAnswers('deliverInstantMessage', [{ cut: true }, { status: 200 }]))
  const im = { messageId: randomUUID(), fromUserId: randomUUID(), fromName: 'Ada Lovelace', toUserId: randomUUID(), body: 'hello', sentAt: '2025-01-01T00:00:00Z' }
  const send = async (nonce: string): Promise<Response> => await fetch(new URL('/instant-messages', sim.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'signature-input': signatureInput('r1', nonce) },
    body: JSON.stringify(im)
  })
  await t.rejects(send('first-nonce-of-r1-xxxx'), 'no answer: the connection closed')
  t.match(sim.received, [{ operationId: 'deliverInstantMessage', keyId: 'r1', nonce: 'first-nonce-of-r1-xxxx', body: im, cut: true }], 'received all the same, with its nonce')
  const answered = await send('second-nonce-of-r1-xxx')
  t.same([answered.status, await answered.json()], [200, { status: 'delivered' }], 'the next scripted answer is the next request\'s')
  await until(() => seen.length >= 2)
  t.same(seen.map((x) => x.status), [0, 200], 'the cut exchange is recorded with status 0: no answer')
})

t.test('like any region, a played one refuses a nonce it has received from the same keyid with 401 replayed-request, before any scripted answer', async (t) => {
  const seen: ObservedExchange[] = []
  const sim = await startSimulatedRegion('RX', 'region', (x) => seen.push(x))
  t.teardown(sim.stop)
  sim.script.set('deliverInstantMessage', readAnswers('deliverInstantMessage', [{ status: 200 }]))
  const im = { messageId: randomUUID(), fromUserId: randomUUID(), fromName: 'Ada Lovelace', toUserId: randomUUID(), body: 'hello', sentAt: '2025-01-01T00:00:00Z' }
  const send = async (keyId: string | undefined, nonce: string | undefined): Promise<{ status: number, type: string | null, body: { code?: string, status?: unknown } }> => {
    const res = await fetch(new URL('/instant-messages', sim.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(keyId === undefined || nonce === undefined ? {} : { 'signature-input': signatureInput(keyId, nonce) }) },
      body: JSON.stringify(im)
    })
    return { status: res.status, type: res.headers.get('content-type'), body: await res.json() as { code?: string } }
  }
  t.same((await send('r1', 'nonce-one-of-r1-xxxxxx')).body, { status: 'delivered' }, 'a nonce the first time: the scripted answer')
  const replay = await send('r1', 'nonce-one-of-r1-xxxxxx')
  t.same([replay.status, replay.body.code, replay.body.status], [401, 'replayed-request', 401], 'the same nonce from the same keyid again')
  t.match(replay.type, /^application\/problem\+json/)
  t.equal((await send('r2', 'nonce-one-of-r1-xxxxxx')).body.code, 'agent-not-here', 'another keyid\'s nonce is its own; the script is used up')
  t.equal((await send(undefined, undefined)).body.code, 'agent-not-here', 'an unsigned request has no nonce to spend')
  t.equal((await send(undefined, undefined)).body.code, 'agent-not-here', 'nor has a second one')
  t.same(sim.received.map((r) => [r.keyId, r.nonce]), [['r2', 'nonce-one-of-r1-xxxxxx'], [undefined, undefined], [undefined, undefined]], 'the handler\'s records carry the nonce')
  await until(() => sim.refusals.since(0).some((r) => r.code === 'replayed-request'))
  t.match(sim.refusals.since(0).find((r) => r.code === 'replayed-request'), { by: 'RX', keyId: 'r1', status: 401 }, 'logged as a refusal')
})
