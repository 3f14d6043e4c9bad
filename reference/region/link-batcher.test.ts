import t from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import type { InstantMessage } from '../lib/contract/types.ts'
import { LinkBatcher, MAX_BATCH_MESSAGES } from './link-batcher.ts'
import { FakePeer, uuid, type Call } from './test-support.ts'

const URL = 'http://other.test'
const im = (body = 'Hello', toUserId = uuid()): InstantMessage =>
  ({ messageId: uuid(), fromUserId: uuid(), fromName: 'Ada Lovelace', toUserId, body, sentAt: '2024-11-24T14:30:00Z' })

/** A peer whose answers wait until the test releases them, one call at a time. */
function gatedPeer (answer: (call: Call) => unknown) {
  const gates: Array<() => void> = []
  const peer = new FakePeer(async (call) => {
    await new Promise<void>((resolve) => gates.push(resolve))
    return answer(call)
  })
  const release = async (): Promise<void> => {
    while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve))
    gates.shift()!()
  }
  /** Releases answers until `settled` settles. */
  const drain = async (settled: Promise<unknown>): Promise<void> => {
    let done = false
    void settled.finally(() => { done = true })
    while (!done) {
      if (gates.length > 0) gates.shift()!()
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  return { peer, release, drain }
}

const messagesOf = (call: Call): InstantMessage[] => (call.options.body as { messages: InstantMessage[] }).messages
const allDelivered = (call: Call) => call.operationId === 'deliverInstantMessage'
  ? { status: 'delivered' }
  : { results: messagesOf(call).map((m) => ({ messageId: m.messageId, status: 'delivered' })) }

t.test('GRIDIM-IM-32: a message alone goes at once, as deliverInstantMessage; what waits meanwhile goes in one batch, in order', async (t) => {
  const { peer, release } = gatedPeer(allDelivered)
  const link = new LinkBatcher({ peer })
  const first = im('first')
  const later = [im('second'), im('third'), im('fourth')]
  const answers = [first, ...later].map((m) => link.deliver(URL, m))
  t.same(peer.ops(), ['deliverInstantMessage'], 'the first went alone, at once')
  t.equal(link.waiting(URL), 3)
  await release()
  await release()
  t.same(await Promise.all(answers), ['delivered', 'delivered', 'delivered', 'delivered'])
  t.same(peer.ops(), ['deliverInstantMessage', 'deliverInstantMessages'])
  t.same(messagesOf(peer.calls[1]!).map((m) => m.body), ['second', 'third', 'fourth'], 'in the order they came')
  t.equal(link.waiting(URL), 0)
  // Idle again: the next message goes at once, alone.
  const next = link.deliver(URL, im('later'))
  t.equal(peer.calls.length, 3)
  t.equal(peer.calls[2]!.operationId, 'deliverInstantMessage')
  await release()
  t.equal(await next, 'delivered')
})

t.test('destinations are independent: a request in flight to one holds back nothing for another', async (t) => {
  const { peer, release } = gatedPeer(allDelivered)
  const link = new LinkBatcher({ peer })
  const a = link.deliver(URL, im())
  const b = link.deliver('http://third.test', im())
  t.same(peer.calls.map((c) => c.baseUrl), [URL, 'http://third.test'])
  await release()
  await release()
  t.same(await Promise.all([a, b]), ['delivered', 'delivered'])
})

t.test('GRIDIM-IM-30: each message is settled by its own result', async (t) => {
  const { peer, release } = gatedPeer((call) => {
    if (call.operationId === 'deliverInstantMessage') return { status: 'delivered' }
    const [a, b, c, d, e] = messagesOf(call)
    return {
      results: [
        { messageId: a!.messageId, status: 'duplicate' },
        { messageId: b!.messageId, code: 'agent-not-here', detail: 'not here' },
        { messageId: c!.messageId, code: 'not-your-agent' },
        { messageId: d!.messageId, code: 'quota-exceeded' },
        { messageId: e!.messageId, status: 'delivered' }
      ]
    }
  })
  const link = new LinkBatcher({ peer })
  const first = link.deliver(URL, im())
  const rest = [im(), im(), im(), im(), im()].map(async (m) => await link.deliver(URL, m).then((r) => r, (err: GridImError) => err))
  await release()
  await release()
  t.equal(await first, 'delivered')
  const [dup, notHere, refused, unknown, delivered] = await Promise.all(rest)
  t.equal(dup, 'delivered', 'a duplicate is delivered to the sender')
  t.match(notHere, { code: 'agent-not-here', message: 'not here' })
  t.match(refused, { code: 'not-your-agent' })
  t.match(unknown, { code: 'internal', peerAnswer: { code: 'quota-exceeded', status: 500 } }, 'an unknown code counts as transient (GRIDIM-ERR-3)')
  t.equal(delivered, 'delivered')
})

t.test('GRIDIM-IM-30: a failed request, or results that do not match, fail every message of the batch', async (t) => {
  let answer: (call: Call) => unknown = () => { throw new GridImError('unavailable', 'down') }
  const { peer, release } = gatedPeer((call) => call.operationId === 'deliverInstantMessage' ? { status: 'delivered' } : answer(call))
  const link = new LinkBatcher({ peer })
  const run = async (): Promise<unknown[]> => {
    const first = link.deliver(URL, im())
    const rest = [im(), im()].map(async (m) => await link.deliver(URL, m).then((r) => r, (err: GridImError) => err))
    await release()
    await release()
    await first
    return await Promise.all(rest)
  }
  t.match(await run(), [{ code: 'unavailable', message: 'down' }, { code: 'unavailable', message: 'down' }])
  answer = (call) => ({ results: messagesOf(call).reverse().map((m) => ({ messageId: m.messageId, status: 'delivered' })) })
  t.match(await run(), [{ code: 'unavailable', message: /do not match/ }, { code: 'unavailable' }], 'results out of order')
  answer = (call) => ({ results: messagesOf(call).slice(1).map((m) => ({ messageId: m.messageId, status: 'delivered' })) })
  t.match(await run(), [{ code: 'unavailable', message: /do not match/ }, { code: 'unavailable' }], 'a result missing')
})

t.test('a single delivery that fails rejects with its error, and the link goes on', async (t) => {
  const { peer, release } = gatedPeer(() => { throw new GridImError('agent-not-here') })
  const link = new LinkBatcher({ peer })
  const one = link.deliver(URL, im()).catch((err: GridImError) => err.code)
  await release()
  t.equal(await one, 'agent-not-here')
  t.equal(link.waiting(URL), 0)
})

t.test('GRIDIM-LIM-28: at most 50 messages and 65 536 bytes a request; the rest waits for the next', async (t) => {
  const { peer, release, drain } = gatedPeer(allDelivered)
  const link = new LinkBatcher({ peer })
  const first = link.deliver(URL, im())
  const many = Array.from({ length: MAX_BATCH_MESSAGES + 5 }, () => link.deliver(URL, im()))
  await release()
  await release()
  await release()
  await Promise.all([first, ...many])
  t.same(peer.calls.slice(1).map((c) => messagesOf(c).length), [50, 5])

  // Quotes are escaped: each body takes 2000 bytes of JSON, so fewer than 50 fit.
  const big = '"'.repeat(1000)
  const head = link.deliver(URL, im())
  const large = Array.from({ length: 70 }, () => link.deliver(URL, im(big)))
  await drain(Promise.all([head, ...large]))
  const sizes = peer.calls.slice(4).map((c) => Buffer.byteLength(JSON.stringify(c.options.body)))
  t.ok(sizes.every((s) => s <= 65_536), `each body within the limit: ${sizes.join(', ')}`)
  t.same(peer.calls.slice(4).map((c) => messagesOf(c).length).reduce((a, b) => a + b, 0), 70, 'all sent')
  t.ok(peer.calls.slice(4).every((c) => messagesOf(c).length < 50), 'bounded by bytes, not count')
})

t.test('the fault batch-partial-failure-stored-twice stores every message of a batch with a final refusal', async (t) => {
  const { peer, release } = gatedPeer((call) => {
    if (call.operationId === 'deliverInstantMessage') return { status: 'delivered' }
    const [a, b] = messagesOf(call)
    return { results: [{ messageId: a!.messageId, status: 'delivered' }, { messageId: b!.messageId, code: 'not-your-agent' }] }
  })
  const link = new LinkBatcher({ peer, faults: new Set(['batch-partial-failure-stored-twice']) })
  const first = link.deliver(URL, im())
  const rest = [link.deliver(URL, im()), link.deliver(URL, im())]
  await release()
  await release()
  await first
  t.same(await Promise.all(rest), ['store', 'store'])
})
