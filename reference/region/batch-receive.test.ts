import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import type { Fault } from '../lib/faults.ts'
import { MessageStore } from './message-store.ts'
import { uuid } from './test-support.ts'
import { testRegion } from './test-region.ts'

const im = (toUserId: string, fromUserId: string, body = 'Hello from the gardens') => ({
  messageId: uuid(), fromUserId, fromName: 'Cyd Carter', toUserId, body, sentAt: '2024-11-24T14:30:00Z'
})
/** 600 two-byte characters: within the schema's maxLength, over 1023 bytes (GRIDIM-LIM-1). */
const TOO_LONG = 'é'.repeat(600)

t.test('GRIDIM-IM-26: one result per message, in order, each as deliverInstantMessage would answer it alone', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const sender = uuid()
  const stranger = uuid()
  g.placeAt(sender, 'other')
  g.placeAt(stranger, 'here')
  const messages = [im(uuid(), sender), im(ada.userId, sender), im(ada.userId, stranger), im(ada.userId, sender, TOO_LONG)]
  const res = await g.fromOther('POST', '/instant-message-batches', { messages })
  t.equal(res.statusCode, 200)
  const results = (res.result as { results: Array<Record<string, unknown>> }).results
  t.same(results.map((r) => r.messageId), messages.map((m) => m.messageId), 'aligned')
  t.same(results.map((r) => r.status ?? r.code), ['agent-not-here', 'delivered', 'not-your-agent', 'message-too-long'])
  t.match(results[0], { detail: /not on this region/ }, 'a 4xx result keeps its detail')
  t.same(ada.log.after().events.map((e) => e.data), [messages[1]], 'only the message that passed is shown')
})

t.test('GRIDIM-IM-31: a messageId delivered alone is a duplicate in a batch, and the reverse', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const sender = uuid()
  g.placeAt(sender, 'other')
  const alone = im(ada.userId, sender)
  const batched = im(ada.userId, sender)
  await g.fromOther('POST', '/instant-messages', alone)
  const res = await g.fromOther('POST', '/instant-message-batches', { messages: [alone, batched] })
  t.same(res.result, { results: [{ messageId: alone.messageId, status: 'duplicate' }, { messageId: batched.messageId, status: 'delivered' }] })
  const again = await g.fromOther('POST', '/instant-messages', batched)
  t.same(again.result, { status: 'duplicate' })
  t.equal(ada.log.size, 2)
})

t.test('GRIDIM-IM-27: after a refused message, the later ones of its pair are answered unavailable and not shown; other pairs go on', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const sender = uuid()
  const other = uuid()
  g.placeAt(sender, 'other')
  g.placeAt(other, 'other')
  const messages = [im(ada.userId, sender, TOO_LONG), im(ada.userId, sender, 'second'), im(ada.userId, other, 'from another')]
  const res = await g.fromOther('POST', '/instant-message-batches', { messages })
  const results = (res.result as { results: Array<Record<string, unknown>> }).results
  t.same(results.map((r) => r.status ?? r.code), ['message-too-long', 'unavailable', 'delivered'])
  t.same(ada.log.after().events.map((e) => (e.data as { body: string }).body), ['from another'])
})

t.test('GRIDIM-IM-28, GRIDIM-LIM-29: a batch refused as a whole delivers nothing', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const sender = uuid()
  g.placeAt(sender, 'other')
  const one = im(ada.userId, sender)
  const tooMany = await g.fromOther('POST', '/instant-message-batches', { messages: Array.from({ length: 51 }, () => one) })
  t.equal(tooMany.statusCode, 400)
  t.equal(JSON.parse(tooMany.payload).code, 'invalid-request')
  const empty = await g.fromOther('POST', '/instant-message-batches', { messages: [] })
  t.equal(empty.statusCode, 400)
  t.equal(ada.log.size, 0)
})

t.test('the batch faults bend exactly their rule', async (t) => {
  const run = async (fault: Fault) => {
    const g = await testRegion(t, { faults: new Set([fault]) })
    const ada = g.admit()
    const sender = uuid()
    const another = uuid()
    g.placeAt(sender, 'other')
    g.placeAt(another, 'other')
    const messages = [im(ada.userId, sender, TOO_LONG), im(ada.userId, sender, 'second'), im(ada.userId, another, 'third')]
    const res = await g.fromOther('POST', '/instant-message-batches', { messages })
    const results = (res.result as { results: Array<Record<string, unknown>> }).results
    return { messages, results, shown: ada.log.after().events.map((e) => (e.data as { body: string }).body) }
  }
  const misaligned = await run('batch-results-misaligned')
  t.same(misaligned.results.map((r) => r.code), [undefined, 'message-too-long', 'unavailable'], 'results no longer in order')
  const continued = await run('batch-continues-after-pair-failure')
  t.same(continued.shown, ['second', 'third'])
  const reordered = await run('batch-reordered')
  t.same(reordered.shown, ['third', 'second'], 'worked off from the end')
  t.same(reordered.results.map((r) => r.messageId), reordered.messages.map((m) => m.messageId), 'its results still aligned')
})

t.test('an unexpected error of one message is its `internal` result, without detail', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const sender = uuid()
  g.handlers.locateUser = () => { throw new Error('socket hang up') }
  const message = im(ada.userId, sender)
  const res = await g.fromOther('POST', '/instant-message-batches', { messages: [message] })
  t.same(res.result, { results: [{ messageId: message.messageId, code: 'internal' }] })
  t.equal(ada.log.size, 0)
})

t.test('GRIDIM-GRP-26: a batch of group messages from the user server, one aligned result per delivery; from a region, forbidden', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const groupSessionId = uuid()
  const delivery = (body: string, toUserIds: string[]) => ({ groupSessionId, messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', body, sentAt: '2024-11-24T14:30:00Z', toUserIds })
  const gone = uuid()
  const deliveries = [delivery('first', [ada.userId, gone]), delivery(TOO_LONG, [ada.userId]), delivery('second', [ada.userId])]
  const forbidden = await g.fromOther('POST', '/group-message-batches', { deliveries })
  t.equal(forbidden.statusCode, 403)
  t.equal(JSON.parse(forbidden.payload).code, 'forbidden')
  t.equal(ada.log.size, 0, 'nothing delivered')
  const res = await g.fromUserServer('POST', '/group-message-batches', { deliveries })
  t.equal(res.statusCode, 200)
  t.same((res.result as { results: unknown[] }).results, [
    { groupSessionId, messageId: deliveries[0]!.messageId, delivered: [ada.userId], notHere: [gone] },
    { groupSessionId, messageId: deliveries[1]!.messageId, code: 'message-too-long', detail: (res.result as { results: Array<{ detail?: string }> }).results[1]!.detail },
    { groupSessionId, messageId: deliveries[2]!.messageId, delivered: [ada.userId], notHere: [] }
  ])
  t.same(ada.log.after().events.map((e) => (e.data as { body: string }).body), ['first', 'second'])
  const tooMany = await g.fromUserServer('POST', '/group-message-batches', { deliveries: Array.from({ length: 51 }, () => deliveries[0]) })
  t.equal(tooMany.statusCode, 400)
  t.equal(JSON.parse(tooMany.payload).code, 'invalid-request')
})

t.test('a 5xx refusal of one message is its result without detail (GRIDIM-ERR-6)', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  g.handlers.locateUser = () => { throw new GridImError('unavailable', 'user server at 10.0.0.7 refused the connection') }
  const message = im(ada.userId, uuid())
  const res = await g.fromOther('POST', '/instant-message-batches', { messages: [message] })
  t.same(res.result, { results: [{ messageId: message.messageId, code: 'unavailable' }] })
})

t.test('GRIDIM-IM-20: a batch is committed at once, before any client hears of its messages; a repeat within it is a duplicate', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gridim-batch-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const messageFile = join(dir, 'region.sqlite')
  const g = await testRegion(t, { messageFile })
  const outside = new MessageStore(messageFile)
  t.teardown(() => outside.close())
  const ada = g.admit()
  const sender = uuid()
  g.placeAt(sender, 'other')
  const [first, second] = [im(ada.userId, sender, 'first'), im(ada.userId, sender, 'second')]
  /** What another connection to the file (as after a crash) saw of each message when its event was heard. */
  const keptWhenHeard: unknown[] = []
  ada.log.subscribe((event) => {
    const data = event?.data as { messageId: string }
    keptWhenHeard.push(outside.stateOf(data.messageId)?.state)
  })
  const res = await g.fromOther('POST', '/instant-message-batches', { messages: [first, second, first] })
  t.same(res.result, { results: [{ messageId: first.messageId, status: 'delivered' }, { messageId: second.messageId, status: 'delivered' }, { messageId: first.messageId, status: 'duplicate' }] })
  t.same(keptWhenHeard, ['unread', 'unread'], 'both were committed when the client heard of the first')
  t.same(ada.log.after().events.map((e) => (e.data as { body: string }).body), ['first', 'second'])
})

t.test('GRIDIM-IM-27: a recipient gone between the checks and the commit: its message is refused there, the pair\'s later ones wait, others go on', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const bob = g.admit('Bob Babbage')
  const sender = uuid()
  const slow = uuid()
  g.placeAt(sender, 'other')
  g.placeAt(slow, 'other')
  const locate = g.handlers.locateUser!
  // Ada logs out while the third message's sender is being checked: after hers passed theirs.
  g.handlers.locateUser = (call) => {
    if (call.options.params?.userId === slow) g.region.agents.drop(ada)
    return locate(call)
  }
  const messages = [im(ada.userId, sender, 'one'), im(ada.userId, sender, 'two'), im(bob.userId, slow, 'to bob')]
  const res = await g.fromOther('POST', '/instant-message-batches', { messages })
  const results = (res.result as { results: Array<Record<string, unknown>> }).results
  t.same(results.map((r) => r.status ?? r.code), ['agent-not-here', 'unavailable', 'delivered'])
  t.equal(ada.log.size, 0, 'nothing shown to the session that left')
  t.same(bob.log.after().events.map((e) => (e.data as { body: string }).body), ['to bob'])
  t.notOk(g.region.context.inbox.seen(messages[0]!.messageId), 'nothing kept for the pair refused')
})

t.test('GRIDIM-IM-20: deliveries together that fail keep nothing and show nothing', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const message = im(ada.userId, uuid())
  const inbox = g.region.context.inbox
  t.throws(() => inbox.together(() => {
    t.equal(inbox.instantMessage(message), 'delivered')
    throw new Error('commit failed')
  }), /commit failed/)
  t.equal(ada.log.size, 0)
  t.notOk(inbox.seen(message.messageId))
})
