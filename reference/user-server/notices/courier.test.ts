import t from 'tap'
import { GridImError } from '../../lib/errors/index.ts'
import { AnsweringPeer } from '../../lib/http/answering-peer.ts'
import { createLogger } from '../../lib/http/index.ts'
import { Metrics } from '../metrics.ts'
import type { Notice } from '../../lib/contract/types.ts'
import { Courier } from './courier.ts'
import type { Target } from './routing.ts'

const r1: Target = { regionId: 'r1', url: 'http://r1' }
const r2: Target = { regionId: 'r2', url: 'http://r2' }
const notice = (toUserId: string, status: 'online' | 'offline' = 'online'): Notice =>
  ({ type: 'presence', noticeId: `${toUserId}-${status}`, toUserId, userId: 'a', name: 'A A', status })

function recorder (answer: (url: string, operationId: string, body: any) => Promise<unknown> | unknown) {
  const log: string[] = []
  const calls: Array<{ url: string, operationId: string, body: any }> = []
  const peer = new AnsweringPeer(async ({ url, operationId, options }) => {
    calls.push({ url, operationId, body: options.body })
    log.push(`start ${url}`)
    const body = await answer(url, operationId, options.body)
    log.push(`end ${url}`)
    return body
  })
  return { peer, log, calls }
}

t.test('GRIDIM-SIGN-16: requests to one region go one at a time, in order; regions proceed in parallel', async (t) => {
  const gates: Array<() => void> = []
  const { peer, log, calls } = recorder((url) => url === r1.url
    ? new Promise((resolve) => gates.push(() => resolve({ accepted: 1, notHere: [] })))
    : { accepted: 1, notHere: [] })
  const courier = new Courier(peer, new Metrics(), createLogger(), async () => new Map())
  const delivery = { groupSessionId: 'g', messageId: 'm', fromUserId: 'a', fromName: 'A A', body: 'hi', sentAt: '2024-01-01T00:00:00.000Z', toUserIds: ['b'] }
  courier.deliverNotices(r1, [notice('b')])
  courier.deliverGroupMessage(r1, delivery)
  courier.deliverNotices(r1, [notice('b', 'offline')])
  courier.deliverNotices(r2, [notice('c')])
  await new Promise((resolve) => setImmediate(resolve))
  t.same(log, ['start http://r1', 'start http://r2', 'end http://r2'], 'the second request to r1 waits; r2 does not')
  gates.shift()!()
  await new Promise((resolve) => setImmediate(resolve))
  gates.shift()!()
  await new Promise((resolve) => setImmediate(resolve))
  gates.shift()!()
  await courier.idle()
  t.same(calls.filter((c) => c.url === r1.url).map((c) => c.body.notices?.[0].status ?? c.operationId), ['online', 'deliverGroupMessage', 'offline'],
    'a notice queued after a group message is not moved before it')
})

t.test('batched links: notices queued while a request to the region is in flight go together when its turn comes', async (t) => {
  const gates: Array<() => void> = []
  const { peer, calls } = recorder((url, _op, body) => new Promise((resolve) => gates.push(() => resolve({ accepted: body.notices.length, notHere: url === r1.url ? ['c'] : [] }))))
  const where = new Map([['c', r2]])
  const courier = new Courier(peer, new Metrics(), createLogger(), async () => where)
  courier.deliverNotices(r1, [notice('b')])
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(calls.length, 1, 'the first goes at once')
  courier.deliverNotices(r1, [notice('c')])
  courier.deliverNotices(r1, [notice('d')], () => false)
  courier.deliverNotices(r1, [notice('e')])
  t.equal(calls.length, 1, 'the others wait')
  gates.shift()!()
  await new Promise((resolve) => setImmediate(resolve))
  t.same(calls.map((c) => c.body.notices.map((n: Notice) => n.toUserId)), [['b'], ['c', 'd', 'e']], 'in one request, in order')
  gates.shift()!()
  await new Promise((resolve) => setImmediate(resolve))
  gates.shift()!()
  await courier.idle()
  t.same(calls[2], { url: r2.url, operationId: 'deliverNotices', body: { notices: [notice('c')] } }, 'a notice that was not there follows its user, as before')
})

t.test('GRIDIM-LIM-6, GRIDIM-SIGN-14: notices join a waiting request only whole and within the limit', async (t) => {
  const gates: Array<() => void> = []
  const { peer, calls } = recorder((_url, _op, body) => new Promise((resolve) => gates.push(() => resolve({ accepted: body.notices.length, notHere: [] }))))
  const courier = new Courier(peer, new Metrics(), createLogger(), async () => new Map())
  courier.deliverNotices(r1, [notice('first')])
  await new Promise((resolve) => setImmediate(resolve))
  courier.deliverNotices(r1, Array.from({ length: 300 }, (_, i) => notice(`a${i}`)))
  courier.deliverNotices(r1, Array.from({ length: 300 }, (_, i) => notice(`b${i}`)))
  const settled = courier.idle()
  for (let turns = 0; turns < 100 && (gates.length > 0 || calls.length < 3); turns++) {
    gates.shift()?.()
    await new Promise((resolve) => setImmediate(resolve))
  }
  await settled
  t.same(calls.map((c) => c.body.notices.length), [1, 300, 300], 'the second change does not fit beside the first, so it goes next, whole')
})

t.test('a region that fails is logged and nothing else breaks', async (t) => {
  const lines: string[] = []
  const logger = createLogger({}, (line) => lines.push(line))
  const { peer } = recorder((url) => {
    if (url === r1.url) throw new GridImError('unavailable', 'connection refused')
    return { accepted: 1, notHere: [] }
  })
  const metrics = new Metrics()
  const courier = new Courier(peer, metrics, logger, async () => new Map())
  courier.deliverNotices(r1, [notice('b')])
  courier.deliverNotices(r2, [notice('c')])
  await courier.idle()
  t.same(metrics.sent, { deliverNotices: 2 })
  if (process.env.GRIDIM_LOG !== 'silent' && lines.length > 0) t.match(lines[0], /region did not accept a request/)
})

t.test('GRIDIM-SIGN-17, GRIDIM-GRP-18: users not here are looked up once and sent where they are now', async (t) => {
  const { peer, calls } = recorder((url, operationId, body) => {
    if (url !== r1.url) return operationId === 'deliverNotices' ? { accepted: body.notices.length, notHere: [] } : { delivered: body.toUserIds, notHere: [] }
    return operationId === 'deliverNotices' ? { accepted: 1, notHere: ['c', 'd'] } : { delivered: ['b'], notHere: ['c', 'd'] }
  })
  // c moved to r2; d is still placed at r1 (nothing to do) — and a second notHere is not chased.
  const courier = new Courier(peer, new Metrics(), createLogger(), async (ids) => new Map(ids.flatMap((id) => id === 'c' ? [[id, r2]] : id === 'd' ? [[id, r1]] : [])))
  courier.deliverNotices(r1, [notice('b'), notice('c'), notice('d')])
  courier.deliverGroupMessage(r1, { groupSessionId: 'g', messageId: 'm', fromUserId: 'a', fromName: 'A A', body: 'hi', sentAt: '2024-01-01T00:00:00.000Z', toUserIds: ['b', 'c', 'd'] })
  await courier.idle()
  t.same(calls.filter((c) => c.url === r1.url).map((c) => c.operationId), ['deliverNotices', 'deliverGroupMessage'])
  const moved = calls.filter((c) => c.url === r2.url)
  t.same(moved.map((c) => c.operationId), ['deliverNotices', 'deliverGroupMessage'], 'one retry each, in order')
  t.same(moved[0]!.body.notices.map((n: Notice) => n.toUserId), ['c'])
  t.same(moved[1]!.body.toUserIds, ['c'])
})

t.test('GRIDIM-LIM-6: a batch over the limit is split', async (t) => {
  const { peer, calls } = recorder((_url, _op, body) => ({ accepted: body.notices.length, notHere: [] }))
  const courier = new Courier(peer, new Metrics(), createLogger(), async () => new Map())
  courier.deliverNotices(r1, Array.from({ length: 501 }, (_, i) => notice(`u${i}`)))
  await courier.idle()
  t.same(calls.map((c) => c.body.notices.length), [500, 1])
})

t.test('GRIDIM-OFFL-10: an instant message redelivery reports its outcome', async (t) => {
  const message = { messageId: 'm', fromUserId: 'a', fromName: 'A A', toUserId: 'b', body: 'hi', sentAt: '2024-01-01T00:00:00.000Z' }
  const answers: Array<() => unknown> = [
    () => ({ status: 'delivered' }), () => ({ status: 'duplicate' }),
    () => { throw new GridImError('agent-not-here') }, () => { throw new GridImError('unavailable') }
  ]
  const outcomes = []
  for (const answer of answers) {
    const { peer } = recorder(answer)
    outcomes.push(await new Courier(peer, new Metrics(), createLogger(), async () => new Map()).deliverInstantMessage(r1, message))
  }
  t.same(outcomes, ['delivered', 'duplicate', 'agent-not-here', 'failed'])
})

t.test('GRIDIM-GRP-19: a group message is retried twice on a transient failure, not on a permanent one', async (t) => {
  const delivery = { groupSessionId: 'g', messageId: 'm', fromUserId: 'a', fromName: 'A A', body: 'hi', sentAt: '2024-01-01T00:00:00.000Z', toUserIds: ['b'] }
  for (const [code, expected] of [['unavailable', 3], ['forbidden', 1]] as const) {
    const { peer, calls } = recorder(() => { throw new GridImError(code) })
    const courier = new Courier(peer, new Metrics(), createLogger(), async () => new Map(), { groupRetryDelaysMs: [1, 1] })
    courier.deliverGroupMessage(r1, delivery)
    await courier.idle()
    t.equal(calls.length, expected, code)
    t.ok(calls.every((c) => c.body.messageId === 'm'), 'the same messageId')
  }
})

t.test('GRIDIM-GRP-31: the outbox rows of a request are settled once it is answered or given up on, re-routes carrying none', async (t) => {
  const message = (messageId: string, toUserIds = ['b']) => ({ groupSessionId: 'g', messageId, fromUserId: 'a', fromName: 'A A', body: 'hi', sentAt: '2024-01-01T00:00:00.000Z', toUserIds })
  const gates: Array<() => void> = []
  const { peer, calls } = recorder((url, operationId, body) => {
    if (url === r2.url) throw new GridImError('forbidden')
    const answer = operationId === 'deliverGroupMessages'
      ? { results: body.deliveries.map((d: any) => ({ groupSessionId: d.groupSessionId, messageId: d.messageId, delivered: [], notHere: d.toUserIds })) }
      : { delivered: body.toUserIds, notHere: [] }
    return new Promise((resolve) => gates.push(() => resolve(answer)))
  })
  const settled: number[][] = []
  const courier = new Courier(peer, new Metrics(), createLogger(), async () => new Map([['c', r2]]), { groupRetryDelaysMs: [1, 1], groupSettled: (ids) => settled.push(ids) })
  courier.deliverGroupMessage(r1, message('m1'), true, undefined, 11)
  await new Promise((resolve) => setImmediate(resolve))
  courier.deliverGroupMessage(r1, message('m2', ['c']), true, undefined, 12)
  courier.deliverGroupMessage(r1, message('m3'))
  courier.deliverGroupMessage(r1, message('m4', ['c']), true, undefined, 14)
  await new Promise((resolve) => setImmediate(resolve))
  t.same(settled, [], 'nothing before an answer')
  gates.shift()!()
  await new Promise((resolve) => setImmediate(resolve))
  t.same(settled, [[11]], 'the first request answered')
  gates.shift()!()
  await courier.idle()
  t.same(settled, [[11], [12, 14]], 'the batch, without the message that had no row')
  t.same(calls.filter((c) => c.url === r2.url).map((c) => c.body.deliveries?.map((d: any) => d.messageId) ?? [c.body.messageId]).flat(), ['m2', 'm4'],
    'c followed to r2, which refuses: given up on, as before, with no row to settle')
})

t.test('GRIDIM-GRP-27, -28, -29: group messages that wait for a region go in one deliverGroupMessages, each settled by its own result', async (t) => {
  const gates: Array<() => void> = []
  const groupMessage = (messageId: string, toUserIds = ['b']) => ({ groupSessionId: 'g', messageId, fromUserId: 'a', fromName: 'A A', body: 'hi', sentAt: '2024-01-01T00:00:00.000Z', toUserIds })
  let batchAnswers: Array<(body: any) => unknown> = []
  const { peer, calls } = recorder((url, op, body) => new Promise((resolve, reject) => gates.push(() => {
    try {
      if (url === r2.url || op === 'deliverGroupMessage') return resolve({ delivered: body.toUserIds, notHere: [] })
      resolve(batchAnswers.shift()!(body))
    } catch (err) { reject(err) }
  })))
  const courier = new Courier(peer, new Metrics(), createLogger(), async () => new Map([['c', r2]]), { groupRetryDelaysMs: [1, 1] })
  const drain = async (): Promise<void> => {
    const settled = courier.idle()
    let done = false
    void settled.then(() => { done = true })
    for (let turns = 0; turns < 200 && !done; turns++) {
      gates.shift()?.()
      await new Promise((resolve) => setImmediate(resolve))
    }
    await settled
  }
  batchAnswers = [
    // m2 delivered with c not here, m3 refused for now (transient), m4 refused for good, m5 answered for another message.
    (body) => ({ results: [
      { groupSessionId: 'g', messageId: 'm2', delivered: ['b'], notHere: ['c'] },
      { groupSessionId: 'g', messageId: 'm3', code: 'unavailable' },
      { groupSessionId: 'g', messageId: 'm4', code: 'forbidden' },
      { groupSessionId: 'g', messageId: 'other', delivered: ['b'], notHere: [] }
    ] }),
    (body) => ({ results: body.deliveries.map((d: any) => ({ groupSessionId: d.groupSessionId, messageId: d.messageId, delivered: d.toUserIds, notHere: [] })) })
  ]
  courier.deliverGroupMessage(r1, groupMessage('m1'))
  await new Promise((resolve) => setImmediate(resolve))
  for (const id of ['m2', 'm3', 'm4', 'm5']) courier.deliverGroupMessage(r1, groupMessage(id, id === 'm2' ? ['b', 'c'] : ['b']))
  t.equal(calls.length, 1, 'the first went at once, alone; the others wait')
  await drain()
  const toR1 = calls.filter((c) => c.url === r1.url)
  t.same(toR1.map((c) => c.operationId), ['deliverGroupMessage', 'deliverGroupMessages', 'deliverGroupMessages'])
  t.same(toR1[1]!.body.deliveries.map((d: any) => d.messageId), ['m2', 'm3', 'm4', 'm5'], 'in the order accepted')
  t.same(toR1[2]!.body.deliveries.map((d: any) => d.messageId), ['m3', 'm5'], 'only the transient refusal and the misaligned result are sent again')
  t.same(calls.filter((c) => c.url === r2.url).map((c) => [c.operationId, c.body.messageId, c.body.toUserIds]), [['deliverGroupMessage', 'm2', ['c']]], 'the member not there followed, for its own delivery only')
})

t.test('GRIDIM-GRP-30: a batch of group messages stays within 50 deliveries and 65 536 bytes; the fault group-batch-newest-first reverses one', async (t) => {
  for (const faults of [undefined, new Set(['group-batch-newest-first'] as const)]) {
    const gates: Array<() => void> = []
    const { peer, calls } = recorder((_url, op, body) => new Promise((resolve) => gates.push(() => resolve(op === 'deliverGroupMessage'
      ? { delivered: [], notHere: [] }
      : { results: body.deliveries.map((d: any) => ({ groupSessionId: d.groupSessionId, messageId: d.messageId, delivered: [], notHere: [] })) }))))
    const courier = new Courier(peer, new Metrics(), createLogger(), async () => new Map(), { faults })
    const big = 'x'.repeat(1000)
    courier.deliverGroupMessage(r1, { groupSessionId: 'g', messageId: 'first', fromUserId: 'a', fromName: 'A A', body: 'hi', sentAt: '2024-01-01T00:00:00.000Z', toUserIds: ['b'] })
    await new Promise((resolve) => setImmediate(resolve))
    for (let i = 0; i < 60; i++) courier.deliverGroupMessage(r1, { groupSessionId: 'g', messageId: `m${i}`, fromUserId: 'a', fromName: 'A A', body: i < 50 ? 'hi' : big, sentAt: '2024-01-01T00:00:00.000Z', toUserIds: ['b'] })
    const settled = courier.idle()
    let done = false
    void settled.then(() => { done = true })
    for (let turns = 0; turns < 100 && !done; turns++) {
      gates.shift()?.()
      await new Promise((resolve) => setImmediate(resolve))
    }
    await settled
    t.same(calls.slice(1).map((c) => c.body.deliveries.length), [50, 10])
    t.ok(calls.every((c) => Buffer.byteLength(JSON.stringify(c.body)) <= 65_536))
    t.equal(calls[1]!.body.deliveries[0].messageId, faults === undefined ? 'm0' : 'm49')
  }
})

t.test('GRIDIM-GRP-30: large group messages are bounded by bytes before count', async (t) => {
  const gates: Array<() => void> = []
  const { peer, calls } = recorder((_url, op, body) => new Promise((resolve) => gates.push(() => resolve(op === 'deliverGroupMessage'
    ? { delivered: [], notHere: [] }
    : { results: body.deliveries.map((d: any) => ({ groupSessionId: d.groupSessionId, messageId: d.messageId, delivered: [], notHere: [] })) }))))
  const courier = new Courier(peer, new Metrics(), createLogger(), async () => new Map())
  const members = Array.from({ length: 40 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
  const message = (messageId: string) => ({ groupSessionId: 'g', messageId, fromUserId: 'a', fromName: 'A A', body: 'x'.repeat(1000), sentAt: '2024-01-01T00:00:00.000Z', toUserIds: members })
  courier.deliverGroupMessage(r1, message('first'))
  await new Promise((resolve) => setImmediate(resolve))
  for (let i = 0; i < 60; i++) courier.deliverGroupMessage(r1, message(`m${i}`))
  const settled = courier.idle()
  let done = false
  void settled.then(() => { done = true })
  for (let turns = 0; turns < 100 && !done; turns++) {
    gates.shift()?.()
    await new Promise((resolve) => setImmediate(resolve))
  }
  await settled
  const sizes = calls.slice(1).map((c) => Buffer.byteLength(JSON.stringify(c.body)))
  t.ok(sizes.every((s) => s <= 65_536), sizes.join(', '))
  t.ok(calls.slice(1).every((c) => c.body.deliveries.length < 50))
  t.equal(calls.slice(1).reduce((n, c) => n + c.body.deliveries.length, 0), 60)
})
