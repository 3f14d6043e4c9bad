// The client stream (GRIDIM-CLI-33..45) over real WebSockets on 127.0.0.1: hello, events,
// acknowledgement, and sending with the semantics of the HTTP operations.
import t from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import { eventually, openStream } from './client-stream-test-client.ts'
import { uuid } from './test-support.ts'
import { testRegion } from './test-region.ts'

const presence = (name: string) => ({ noticeId: uuid(), userId: uuid(), name, status: 'online' as const })
const friend = (userId: string) => ({ userId, name: 'Cyd Carter', rightsGranted: 1, rightsReceived: 1 })

async function started (t: { teardown: (fn: () => unknown) => void }, options: Parameters<typeof testRegion>[1] = {}) {
  const g = await testRegion(t, { port: 0, host: '127.0.0.1', ...options })
  await g.region.server.start()
  return { ...g, base: g.region.server.info.uri }
}

t.test('GRIDIM-CLI-34, -35, -37: hello, then ready, then the retained events after `after`, then each new one', async (t) => {
  const g = await started(t)
  const ada = g.admit()
  const [a, b, c] = ['Bea One', 'Bea Two', 'Bea Three'].map((name) => ada.log.append('presence', presence(name)))
  const s = await openStream(g.base)
  s.send({ type: 'hello', sessionSecret: ada.sessionSecret, after: a!.id })
  t.same(await s.next(), { type: 'ready', userId: ada.userId, keepAliveSeconds: 1 })
  t.same([await s.next(), await s.next()], [{ type: 'event', event: b }, { type: 'event', event: c }], 'the same ids and order as the log')
  const d = ada.log.append('presence', presence('Bea Four'))
  t.same(await s.next(), { type: 'event', event: d }, 'a new event is pushed as it is appended')
  t.equal(ada.streams, 1, 'GRIDIM-CLI-41: an open stream counts like an open event stream')

  const all = await openStream(g.base)
  all.send({ type: 'hello', sessionSecret: ada.sessionSecret })
  const frames = await all.until((f) => f.type === 'event' && f.event.id === d.id)
  t.same(frames.map((f) => f.type === 'event' ? f.event.id : f.type), ['ready', a!.id, b!.id, c!.id, d.id], 'without after: every retained event')
  all.ws.close()
  s.ws.close()
  t.ok(await eventually(() => ada.streams === 0), 'closing the streams releases them')
})

t.test('GRIDIM-CLI-35, -36: an unknown session, a bad after or a first frame other than hello closes with a problem', async (t) => {
  const g = await started(t)
  const ada = g.admit()
  const cases: Array<[string, object | string, string, number]> = [
    ['unknown secret', { type: 'hello', sessionSecret: 'no-such-secret' }, 'unauthenticated', 4401],
    ['after this log never issued', { type: 'hello', sessionSecret: ada.sessionSecret, after: '999999999' }, 'invalid-request', 4400],
    ['a request before hello', { type: 'ack', cursor: '1' }, 'invalid-request', 4400],
    ['a malformed frame before hello, even with a ref', { type: 'sendChatState', ref: 'r1' }, 'invalid-request', 4400],
    ['not JSON', 'hello?', 'invalid-request', 4400]
  ]
  for (const [name, frame, code, closeCode] of cases) {
    const s = await openStream(g.base)
    s.send(frame)
    const problem = await s.next()
    t.match(problem, { type: 'problem', problem: { code } }, name)
    t.notOk('ref' in problem, `${name}: no ref, the stream closes`)
    t.equal((await s.closed).code, closeCode, name)
  }
  t.equal(ada.streams, 0)

  g.region.agents.drop(ada)
  const ended = await openStream(g.base)
  ended.send({ type: 'hello', sessionSecret: ada.sessionSecret })
  t.match(await ended.next(), { type: 'problem', problem: { code: 'unauthenticated' } }, 'an ended session')
  t.equal((await ended.closed).code, 4401)
})

t.test('GRIDIM-CLI-34: no hello within keepAliveSeconds closes the stream', async (t) => {
  const g = await started(t, { heartbeatSeconds: 0.3 })
  const s = await openStream(g.base)
  t.match(await s.next(), { type: 'problem', problem: { code: 'invalid-request', detail: /no hello within/ } })
  t.equal((await s.closed).code, 4400)
})

t.test('GRIDIM-CLI-38, -25: ack acknowledges like after; a hello without after acknowledges nothing', async (t) => {
  const g = await started(t)
  g.handlers.acknowledgeOfflineMessages = () => ({ deleted: 1 })
  const ada = g.admit()
  const stored = { messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId: ada.userId, body: 'while you were out', sentAt: '2026-12-02T08:00:00Z' }
  g.region.context.offline.take(ada, [stored], false)
  const later = ada.log.append('presence', presence('Bea One'))
  const s = await openStream(g.base)
  s.send({ type: 'hello', sessionSecret: ada.sessionSecret })
  const [, first, second] = await s.until((f) => f.type === 'event' && f.event.id === later.id)
  t.match(first, { type: 'event', event: { type: 'instantMessage', data: { messageId: stored.messageId } } })
  t.equal(g.peer.callsOf('acknowledgeOfflineMessages').length, 0, 'GRIDIM-CLI-25: reading acknowledges nothing')
  const cursor = first!.type === 'event' ? first.event.id : ''
  s.send({ type: 'ack', cursor })
  t.ok(await eventually(() => g.peer.callsOf('acknowledgeOfflineMessages').length === 1), 'GRIDIM-CLI-10: the ack acknowledges the stored message')
  t.same(g.peer.callsOf('acknowledgeOfflineMessages')[0]!.options.body, { messageIds: [stored.messageId] })

  const again = await openStream(g.base)
  again.send({ type: 'hello', sessionSecret: ada.sessionSecret, after: cursor })
  t.same((await again.until((f) => f.type === 'event')).map((f) => f.type === 'event' ? f.event.id : f.type), ['ready', second!.type === 'event' ? second.event.id : ''], 'reopened after the ack: nothing up to it again')

  s.send({ type: 'ack', cursor: 'nonsense' })
  t.match(await s.next(), { type: 'problem', problem: { code: 'invalid-request', detail: /ack cursor/ } }, 'GRIDIM-CLI-12: an unknown cursor')
  t.equal((await s.closed).code, 4400, 'an ack has no ref: the stream closes')
})

t.test('GRIDIM-CLI-39: sendInstantMessage is clientSendInstantMessage — outcomes, de-duplication, refusals', async (t) => {
  const g = await started(t)
  const cyd = g.admit('Cyd Carter')
  const ada = g.admit('Ada Lovelace', [friend(cyd.userId)])
  const remote = uuid()
  g.placeAt(remote, 'other')
  g.handlers.deliverInstantMessage = () => ({ status: 'delivered' })
  g.handlers.storeOfflineMessage = () => ({ stored: true })
  const s = await openStream(g.base)
  s.send({ type: 'hello', sessionSecret: ada.sessionSecret })
  t.match(await s.next(), { type: 'ready' })

  s.send({ type: 'sendInstantMessage', ref: 'local', message: { toUserId: cyd.userId, body: 'Tea?' } })
  const local = await s.next()
  t.match(local, { type: 'result', ref: 'local', result: { outcome: 'delivered' } })
  t.match(cyd.log.after().events, [{ type: 'instantMessage', data: { body: 'Tea?', fromUserId: ada.userId } }])

  const messageId = uuid()
  s.send({ type: 'sendInstantMessage', ref: 'remote', message: { toUserId: remote, body: 'Notes?', messageId } })
  t.same(await s.next(), { type: 'result', ref: 'remote', result: { messageId, outcome: 'delivered' } })
  s.send({ type: 'sendInstantMessage', ref: 'again', message: { toUserId: remote, body: 'Notes?', messageId } })
  t.same(await s.next(), { type: 'result', ref: 'again', result: { messageId, outcome: 'delivered' } }, 'GRIDIM-CLI-17: the first outcome')
  t.equal(g.peer.callsOf('deliverInstantMessage').length, 1, 'and nothing sent again')
  const http = await g.asClient(ada.sessionSecret, 'POST', '/client/instant-messages', { toUserId: remote, body: 'Notes?', messageId })
  t.same(JSON.parse(http.payload), { messageId, outcome: 'delivered' }, 'the same session over HTTP knows the messageId too')
  t.equal(g.peer.callsOf('deliverInstantMessage').length, 1)

  const offline = uuid()
  s.send({ type: 'sendInstantMessage', ref: 'stored', message: { toUserId: offline, body: 'later' } })
  t.match(await s.next(), { type: 'result', ref: 'stored', result: { outcome: 'stored' } })

  s.send({ type: 'sendInstantMessage', ref: 'self', message: { toUserId: ada.userId, body: 'me' } })
  t.match(await s.next(), { type: 'problem', ref: 'self', problem: { code: 'invalid-request', status: 400 } }, 'GRIDIM-IM-2')
  s.send({ type: 'sendInstantMessage', ref: 'long', message: { toUserId: cyd.userId, body: 'é'.repeat(600) } })
  t.match(await s.next(), { type: 'problem', ref: 'long', problem: { code: 'message-too-long' } }, 'GRIDIM-LIM-1: bytes, not characters')
  g.handlers.locateUser = () => { throw new GridImError('unknown-user') }
  s.send({ type: 'sendInstantMessage', ref: 'nobody', message: { toUserId: uuid(), body: 'hi' } })
  t.match(await s.next(), { type: 'problem', ref: 'nobody', problem: { code: 'unknown-user' } }, 'GRIDIM-CLI-28')
  t.same(s.pending(), [], 'no deliveryFailed for a refusal')
  t.equal(ada.log.size, 0)
})

t.test('GRIDIM-CLI-18: a message neither delivered nor stored gets a problem and a deliveryFailed event', async (t) => {
  const g = await started(t)
  const ada = g.admit()
  const offline = uuid()
  g.handlers.storeOfflineMessage = () => { throw new GridImError('unavailable') }
  const s = await openStream(g.base)
  s.send({ type: 'hello', sessionSecret: ada.sessionSecret })
  t.match(await s.next(), { type: 'ready' })
  const messageId = uuid()
  s.send({ type: 'sendInstantMessage', ref: 'lost', message: { toUserId: offline, body: 'hello?', messageId } })
  const frames = [await s.next(), await s.next()]
  const problem = frames.find((f) => f.type === 'problem')
  const event = frames.find((f) => f.type === 'event')
  t.match(problem, { ref: 'lost', problem: { code: 'unavailable', status: 503 } })
  t.match(event, { event: { type: 'deliveryFailed', data: { messageId, toUserId: offline, code: 'unavailable' } } })
})

t.test('GRIDIM-CLI-39: sendChatState answers a result without result, whether or not it was delivered', async (t) => {
  const g = await started(t)
  const cyd = g.admit('Cyd Carter')
  const ada = g.admit('Ada Lovelace', [friend(cyd.userId)])
  const s = await openStream(g.base)
  s.send({ type: 'hello', sessionSecret: ada.sessionSecret })
  t.match(await s.next(), { type: 'ready' })
  s.send({ type: 'sendChatState', ref: 'typing', chatState: { toUserId: cyd.userId, state: 'composing' } })
  t.same(await s.next(), { type: 'result', ref: 'typing' })
  t.match(cyd.log.after().events, [{ type: 'chatState', data: { fromUserId: ada.userId, state: 'composing' } }])
  s.send({ type: 'sendChatState', ref: 'nobody', chatState: { toUserId: uuid(), state: 'paused' } })
  t.same(await s.next(), { type: 'result', ref: 'nobody' }, 'GRIDIM-CLI-19: the same answer for an offline recipient')
})

t.test('GRIDIM-CLI-39: answers may come in any order, each once, by ref', async (t) => {
  const g = await started(t)
  const ada = g.admit()
  const slow = uuid()
  const fast = uuid()
  g.placeAt(slow, 'other')
  // fast is offline (stored at the user server): a second message to the same region would wait
  // behind the held one, since a region keeps one delivery request in flight per destination (GRIDIM-IM-30).
  g.handlers.storeOfflineMessage = () => ({ stored: true })
  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  g.handlers.deliverInstantMessage = async (call) => {
    if ((call.options.body as { toUserId: string }).toUserId === slow) await held
    return { status: 'delivered' }
  }
  const s = await openStream(g.base)
  s.send({ type: 'hello', sessionSecret: ada.sessionSecret })
  t.match(await s.next(), { type: 'ready' })
  s.send({ type: 'sendInstantMessage', ref: 'slow', message: { toUserId: slow, body: 'one' } })
  s.send({ type: 'sendInstantMessage', ref: 'fast', message: { toUserId: fast, body: 'two' } })
  t.match(await s.next(), { type: 'result', ref: 'fast' }, 'the second answer first')
  release()
  t.match(await s.next(), { type: 'result', ref: 'slow' })
})

t.test('GRIDIM-CLI-40: the end of the session closes the stream with a problem', async (t) => {
  const g = await started(t)
  const ada = g.admit()
  const s = await openStream(g.base)
  s.send({ type: 'hello', sessionSecret: ada.sessionSecret })
  t.match(await s.next(), { type: 'ready' })
  g.region.agents.drop(ada)
  t.match(await s.next(), { type: 'problem', problem: { code: 'unauthenticated' } })
  t.equal((await s.closed).code, 4401)
  t.equal(ada.streams, 0)
})
