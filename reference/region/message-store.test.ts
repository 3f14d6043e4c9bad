import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEDUP_MS, MessageStore } from './message-store.ts'
import { uuid } from './test-support.ts'
import type { InstantMessage } from '../lib/contract/types.ts'

const userId = uuid()
const message = (body: string): InstantMessage =>
  ({ messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId: userId, body, sentAt: '2024-11-24T09:15:00Z' })

function fileIn (t: { teardown: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'gridim-region-store-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'region.sqlite')
}

t.test('GRIDIM-IM-20: an accepted message is in the file as soon as accept returns, where another connection sees it', async (t) => {
  const file = fileIn(t)
  const store = new MessageStore(file)
  const m = message('kept')
  store.accept(m, { sessionId: 's1', userId, cursor: '10', origin: 'live' })
  // As a crash would: the first connection is never closed cleanly before the second opens.
  const after = new MessageStore(file)
  t.same(after.stateOf(m.messageId), { state: 'unread', sessionId: 's1' })
  t.same(after.unread('s1'), [m])
  store.close()
  after.close()
})

t.test('GRIDIM-CLI-23: reading past a cursor marks the messages up to it read, in that session only', async (t) => {
  const store = new MessageStore()
  const [a, b, c] = [message('a'), message('b'), message('c')]
  store.accept(a, { sessionId: 's1', userId, cursor: '10', origin: 'live' })
  store.accept(b, { sessionId: 's1', userId, cursor: '20', origin: 'live' })
  store.accept(c, { sessionId: 's2', userId, cursor: '5', origin: 'live' })
  t.equal(store.readThrough('s1', '10'), 1)
  t.same(store.unread('s1'), [b])
  t.same(store.unread('s2'), [c], 'another session is untouched')
  t.equal(store.stateOf(a.messageId)?.state, 'read')
  t.equal(store.readThrough('s1', '10'), 0, 'reading again changes nothing')
})

t.test('GRIDIM-OFFL-11: an ended session\'s unread live messages are to be returned; stored ones are forgotten', async (t) => {
  const store = new MessageStore()
  const [live, stored, read] = [message('live'), message('stored'), message('read')]
  store.accept(read, { sessionId: 's1', userId, cursor: '1', origin: 'live' })
  store.readThrough('s1', '1')
  store.accept(live, { sessionId: 's1', userId, cursor: '2', origin: 'live' })
  store.accept(stored, { sessionId: 's1', userId, cursor: '3', origin: 'offline' })
  t.equal(store.endSession('s1'), 1)
  t.same(store.returning(), [{ sessionId: 's1', userId, messages: [live] }])
  t.equal(store.stateOf(stored.messageId), undefined, 'the user server still holds it: forgotten here, so it shows again')
  t.equal(store.stateOf(read.messageId)?.state, 'read', 'a read one is still remembered')
  store.returned([live.messageId])
  t.same(store.returning(), [])
  t.equal(store.stateOf(live.messageId), undefined, 'once returned it may come back as new')
})

t.test('GRIDIM-IM-21: a returning message taken again for a new session is not deleted when the return is confirmed', async (t) => {
  const store = new MessageStore()
  const m = message('twice')
  store.accept(m, { sessionId: 's1', userId, cursor: '1', origin: 'live' })
  store.endSession('s1')
  store.accept(m, { sessionId: 's2', userId, cursor: '7', origin: 'live' })
  store.returned([m.messageId])
  t.same(store.stateOf(m.messageId), { state: 'unread', sessionId: 's2' })
})

t.test('GRIDIM-OFFL-13, GRIDIM-IM-21: a restart from the same file ends every earlier session and still knows what was read', async (t) => {
  const file = fileIn(t)
  const first = new MessageStore(file)
  const [read, unread, stored] = [message('read'), message('unread'), message('stored')]
  first.accept(read, { sessionId: 's1', userId, cursor: '1', origin: 'live' })
  first.readThrough('s1', '1')
  first.accept(unread, { sessionId: 's1', userId, cursor: '2', origin: 'live' })
  first.accept(stored, { sessionId: 's2', userId, cursor: '3', origin: 'offline' })
  first.close()
  const second = new MessageStore(file)
  t.equal(second.endAllSessions(), 1)
  t.same(second.returning(), [{ sessionId: 's1', userId, messages: [unread] }])
  t.equal(second.stateOf(read.messageId)?.state, 'read')
  t.equal(second.stateOf(stored.messageId), undefined)
  second.close()
  t.notOk(second.open)
  second.close()
})

t.test('GRIDIM-IM-14: a read messageId is forgotten after 24 hours, and old rows are purged at the next open', async (t) => {
  const file = fileIn(t)
  let now = 1_700_000_000_000
  const store = new MessageStore(file, () => now)
  const m = message('old')
  store.accept(m, { sessionId: 's1', userId, cursor: '1', origin: 'live' })
  store.readThrough('s1', '1')
  now += DEDUP_MS + 1
  t.equal(store.stateOf(m.messageId), undefined)
  store.close()
  const reopened = new MessageStore(file, () => now)
  t.same(reopened.returning(), [])
  reopened.accept(m, { sessionId: 's2', userId, cursor: '2', origin: 'live' })
  t.same(reopened.stateOf(m.messageId), { state: 'unread', sessionId: 's2' })
  reopened.close()
})

t.test('GRIDIM-SIGN-5: messages accepted while the session signs on belong to it once bound', async (t) => {
  const store = new MessageStore()
  const m = message('early')
  store.accept(m, { sessionId: '', userId, cursor: '1', origin: 'live' })
  store.endAllSessions()
  t.same(store.returning(), [], 'no session yet: nothing to return it for')
  store.accept(m, { sessionId: '', userId, cursor: '1', origin: 'live' })
  store.bind(userId, 's1')
  t.same(store.unread('s1'), [m])
})

t.test('GRIDIM-IM-22: a message handed on at once is only remembered; forget drops a session\'s unread', async (t) => {
  const store = new MessageStore()
  const handed = message('to a foreign user')
  store.handedOn(handed)
  t.equal(store.stateOf(handed.messageId)?.state, 'read')
  const m = message('dropped')
  store.accept(m, { sessionId: 's1', userId, cursor: '1', origin: 'live' })
  store.forget('s1')
  t.equal(store.endSession('s1'), 0)
  t.equal(store.stateOf(m.messageId), undefined)
})

t.test('a thousand accepts purge read rows older than a day', async (t) => {
  let now = 1_700_000_000_000
  const store = new MessageStore(':memory:', () => now)
  const old = message('old')
  store.accept(old, { sessionId: 's1', userId, cursor: '0', origin: 'live' })
  store.readThrough('s1', '0')
  now += DEDUP_MS + 1
  for (let i = 1; i < 1000; i++) store.accept(message(String(i)), { sessionId: 's1', userId, cursor: String(i), origin: 'live' })
  // A read row that old is gone: stateOf would hide it anyway, so look at what is returned.
  store.endSession('s1')
  t.equal(store.returning()[0]!.messages.length, 999)
  store.returned(store.returning()[0]!.messages.map((m) => m.messageId))
  store.accept(old, { sessionId: 's3', userId, cursor: '5', origin: 'live' })
  t.same(store.unread('s3'), [old])
})

t.test('GRIDIM-IM-20: messages accepted in one transaction are committed together when it returns, or none if it throws', async (t) => {
  const file = fileIn(t)
  const store = new MessageStore(file)
  const other = new MessageStore(file)
  t.teardown(() => { store.close(); other.close() })
  const [m1, m2, m3] = [message('one'), message('two'), message('three')]
  const n = store.transaction(() => {
    store.accept(m1, { sessionId: 's1', userId, cursor: '10', origin: 'live' })
    store.accept(m2, { sessionId: 's1', userId, cursor: '11', origin: 'live' })
    t.equal(other.stateOf(m1.messageId), undefined, 'not yet visible to another connection before the commit')
    return 2
  })
  t.equal(n, 2, 'the transaction returns what fn returns')
  t.same(other.unread('s1'), [m1, m2], 'both committed')
  t.throws(() => store.transaction(() => {
    store.accept(m3, { sessionId: 's1', userId, cursor: '12', origin: 'live' })
    throw new Error('no')
  }), /no/)
  t.equal(other.stateOf(m3.messageId), undefined, 'rolled back')
  t.equal(store.stateOf(m3.messageId), undefined)
})

const turn = async (): Promise<void> => await new Promise((resolve) => setImmediate(resolve))

t.test('GRIDIM-CLI-38: stream acks of one turn are committed together at its end, the highest cursor per session', async (t) => {
  const file = fileIn(t)
  const store = new MessageStore(file)
  const other = new MessageStore(file)
  t.teardown(() => { store.close(); other.close() })
  const [m1, m2, m3] = [message('one'), message('two'), message('three')]
  store.accept(m1, { sessionId: 's1', userId, cursor: '10', origin: 'live' })
  store.accept(m2, { sessionId: 's1', userId, cursor: '11', origin: 'live' })
  store.accept(m3, { sessionId: 's2', userId, cursor: '12', origin: 'live' })
  store.readThroughSoon('s1', '11')
  store.readThroughSoon('s1', '10')
  store.readThroughSoon('s2', '12')
  t.equal(other.unread('s1').length + other.unread('s2').length, 3, 'not committed within the turn')
  await turn()
  t.same(other.unread('s1'), [], 'the highest cursor of s1 applied, not the later lower one')
  t.same(other.unread('s2'), [])
  t.same(other.stateOf(m2.messageId), { state: 'read', sessionId: 's1' })
})

t.test('pending acks are applied before anything reads, ends or forgets unread messages, and on close', async (t) => {
  const store = new MessageStore()
  const uses: Array<[string, (s: string) => unknown]> = [
    ['unread', (s) => store.unread(s)],
    ['endSession', (s) => store.endSession(s)],
    ['forget', (s) => store.forget(s)],
    ['endAllSessions', () => store.endAllSessions()],
    ['readThrough', (s) => store.readThrough(s, '1')],
    ['transaction', () => store.transaction(() => undefined)]
  ]
  for (const [name, use] of uses) {
    const m = message(name)
    store.accept(m, { sessionId: name, userId, cursor: '20', origin: 'live' })
    store.readThroughSoon(name, '20')
    use(name)
    t.same(store.stateOf(m.messageId)?.state, 'read', `${name}: the ack applied first`)
  }
  t.equal(store.endSession('endSession'), 0, 'an acknowledged message is not returned')
  const file = fileIn(t)
  const closing = new MessageStore(file)
  const m = message('closing')
  closing.accept(m, { sessionId: 's', userId, cursor: '30', origin: 'live' })
  closing.readThroughSoon('s', '30')
  closing.close()
  await turn() // the scheduled flush finds the store closed and does nothing
  const reopened = new MessageStore(file)
  t.teardown(() => reopened.close())
  t.same(reopened.stateOf(m.messageId)?.state, 'read', 'applied when closed')
  store.close()
})
