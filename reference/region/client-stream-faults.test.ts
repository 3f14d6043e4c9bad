// The client stream's deliberate faults (reference/lib/faults.ts): with each one on, the region
// misbehaves exactly as the fault says, and without it, it does not.
import t from 'tap'
import type { Fault } from '../lib/faults.ts'
import { eventually, openStream, type StreamClient } from './client-stream-test-client.ts'
import { uuid } from './test-support.ts'
import { testRegion } from './test-region.ts'

async function started (t: { teardown: (fn: () => unknown) => void }, fault?: Fault) {
  const g = await testRegion(t, { port: 0, host: '127.0.0.1', ...(fault === undefined ? {} : { faults: new Set([fault]) }) })
  await g.region.server.start()
  return { ...g, base: g.region.server.info.uri }
}

async function ready (base: string, secret: string, after?: string): Promise<StreamClient> {
  const s = await openStream(base)
  s.send({ type: 'hello', sessionSecret: secret, ...(after === undefined ? {} : { after }) })
  const first = await s.next()
  if (first.type !== 'ready') throw new Error(`expected ready, got ${JSON.stringify(first)}`)
  return s
}

const presence = (name: string) => ({ noticeId: uuid(), userId: uuid(), name, status: 'online' as const })

t.test('stream-ack-ignored: an ack acknowledges nothing (GRIDIM-CLI-38)', async (t) => {
  for (const fault of [undefined, 'stream-ack-ignored'] as const) {
    const g = await started(t, fault)
    g.handlers.acknowledgeOfflineMessages = () => ({ deleted: 1 })
    const ada = g.admit()
    g.region.context.offline.take(ada, [{ messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId: ada.userId, body: 'hi', sentAt: '2026-12-02T08:00:00Z' }], false)
    const s = await ready(g.base, ada.sessionSecret)
    const event = await s.next()
    s.send({ type: 'ack', cursor: event.type === 'event' ? event.event.id : '' })
    // A later request is answered: the ack before it has been taken.
    s.send({ type: 'sendChatState', ref: 'after-ack', chatState: { toUserId: uuid(), state: 'active' } })
    t.match(await s.next(), { type: 'result', ref: 'after-ack' })
    const acknowledged = await eventually(() => g.peer.callsOf('acknowledgeOfflineMessages').length > 0, 500)
    t.equal(acknowledged, fault === undefined, `${fault ?? 'no fault'}: acknowledged ${String(acknowledged)}`)
  }
})

t.test('stream-dedupe-per-connection: a messageId resent on a new stream goes out again (GRIDIM-CLI-39)', async (t) => {
  for (const fault of [undefined, 'stream-dedupe-per-connection'] as const) {
    const g = await started(t, fault)
    const cyd = uuid()
    g.placeAt(cyd, 'other')
    g.handlers.deliverInstantMessage = () => ({ status: 'delivered' })
    const ada = g.admit()
    const message = { toUserId: cyd, body: 'once', messageId: uuid() }
    const first = await ready(g.base, ada.sessionSecret)
    first.send({ type: 'sendInstantMessage', ref: 'a', message })
    t.match(await first.next(), { type: 'result', ref: 'a', result: { messageId: message.messageId } })
    first.send({ type: 'sendInstantMessage', ref: 'b', message })
    t.match(await first.next(), { type: 'result', ref: 'b' }, 'the same stream remembers either way')
    first.ws.close()
    const second = await ready(g.base, ada.sessionSecret)
    second.send({ type: 'sendInstantMessage', ref: 'c', message })
    t.match(await second.next(), { type: 'result', ref: 'c', result: { messageId: message.messageId } })
    t.equal(g.peer.callsOf('deliverInstantMessage').length, fault === undefined ? 1 : 2, `${fault ?? 'no fault'}: deliveries to the recipient's region`)
  }
})

t.test('stream-result-wrong-ref: answers carry the latest request\'s ref (GRIDIM-CLI-39)', async (t) => {
  for (const fault of [undefined, 'stream-result-wrong-ref'] as const) {
    const g = await started(t, fault)
    const [x, y] = [uuid(), uuid()]
    g.placeAt(x, 'other')
    g.placeAt(y, 'other')
    g.handlers.deliverInstantMessage = () => ({ status: 'delivered' })
    const ada = g.admit()
    const s = await ready(g.base, ada.sessionSecret)
    s.send({ type: 'sendInstantMessage', ref: 'to-x', message: { toUserId: x, body: 'one' } })
    s.send({ type: 'sendInstantMessage', ref: 'to-y', message: { toUserId: y, body: 'two' } })
    const refs = [await s.next(), await s.next()].map((f) => f.type === 'result' ? f.ref : '').sort()
    t.same(refs, fault === undefined ? ['to-x', 'to-y'] : ['to-y', 'to-y'], fault ?? 'no fault')
  }
})

t.test('stream-hello-after-ignored: every stream starts with all retained events (GRIDIM-CLI-37)', async (t) => {
  for (const fault of [undefined, 'stream-hello-after-ignored'] as const) {
    const g = await started(t, fault)
    const ada = g.admit()
    const [a, b] = ['Bea One', 'Bea Two'].map((name) => ada.log.append('presence', presence(name)))
    const s = await ready(g.base, ada.sessionSecret, a!.id)
    const first = await s.next()
    t.equal(first.type === 'event' ? first.event.id : '', fault === undefined ? b!.id : a!.id, fault ?? 'no fault')
  }
})

t.test('stream-session-end-leaves-open: the stream outlives its session (GRIDIM-CLI-40)', async (t) => {
  for (const fault of [undefined, 'stream-session-end-leaves-open'] as const) {
    const g = await started(t, fault)
    const ada = g.admit()
    const s = await ready(g.base, ada.sessionSecret)
    g.region.agents.drop(ada)
    if (fault === undefined) {
      t.match(await s.next(), { type: 'problem', problem: { code: 'unauthenticated' } })
      t.equal((await s.closed).code, 4401)
    } else {
      await t.rejects(s.next(500), /no frame within/, 'no problem frame')
      t.equal(s.ws.readyState, s.ws.OPEN, 'and still open')
      s.ws.close()
    }
  }
})
