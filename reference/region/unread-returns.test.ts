import t from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import { MessageStore } from './message-store.ts'
import { FakePeer, USER_SERVER_URL, silentLogger, uuid } from './test-support.ts'
import type { InstantMessage } from '../lib/contract/types.ts'
import { RETURN_BATCH, UnreadReturns } from './unread-returns.ts'
import { userServerCaller } from './upstream.ts'

const userId = uuid()
const message = (body: string): InstantMessage =>
  ({ messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId: userId, body, sentAt: '2024-11-24T09:15:00Z' })

function setup (answer: FakePeer['answer'], firstRetryMs = 5) {
  const store = new MessageStore()
  const peer = new FakePeer(answer)
  const returns = new UnreadReturns({ store, userServer: userServerCaller(peer, USER_SERVER_URL), logger: silentLogger, firstRetryMs })
  const keep = (sessionId: string, ...messages: InstantMessage[]): void => {
    messages.forEach((m, i) => { store.accept(m, { sessionId, userId, cursor: String(i + 1), origin: 'live' }) })
  }
  return { store, peer, returns, keep }
}

/** Resolves once `done` holds, checking on every turn of the event loop; bounded. */
async function until (done: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((resolve) => setImmediate(resolve))
  }
}

t.test('GRIDIM-OFFL-11: an ended session\'s unread messages go back, and are deleted once the user server answers', async (t) => {
  const { store, peer, returns, keep } = setup(() => ({ stored: 1 }))
  const m = message('unread')
  keep('s1', m)
  returns.ended('s1')
  await until(() => peer.calls.length === 1)
  await returns.flush()
  t.same(peer.calls[0]!.options, { params: { sessionId: 's1' }, body: { messages: [m] } })
  t.equal(peer.calls[0]!.operationId, 'returnUnreadMessages')
  t.same(store.returning(), [])
  returns.ended('s-none')
  t.equal(await returns.flush(), true, 'nothing to return: no request')
  t.equal(peer.calls.length, 1)
})

t.test('GRIDIM-OFFL-11: while the user server cannot be reached nothing is deleted, and the return is tried again', async (t) => {
  let failing = true
  const { store, peer, returns, keep } = setup(() => { if (failing) throw new GridImError('unavailable'); return { stored: 1 } })
  const m = message('unread')
  keep('s1', m)
  store.endSession('s1')
  t.equal(await returns.flush(), false)
  t.same(store.returning(), [{ sessionId: 's1', userId, messages: [m] }], 'kept')
  failing = false
  await until(() => store.returning().length === 0)
  t.equal(peer.callsOf('returnUnreadMessages').length, 2, 'retried by itself')
})

t.test('a refusal no retry can change drops the messages, logged, and goes on with the next session', async (t) => {
  const { store, peer, returns, keep } = setup((call) => {
    if (call.options.params?.sessionId === 's1') throw new GridImError('not-your-agent')
    return { stored: 1 }
  })
  keep('s1', message('refused'))
  keep('s2', message('fine'))
  store.endAllSessions()
  t.equal(await returns.flush(), true)
  t.same(store.returning(), [])
  t.equal(peer.calls.length, 2)
})

t.test('returns go in batches of at most 100 messages', async (t) => {
  const { store, peer, returns, keep } = setup(() => ({ stored: 1 }))
  keep('s1', ...Array.from({ length: RETURN_BATCH + 1 }, (_, i) => message(String(i))))
  store.endSession('s1')
  await returns.flush()
  t.same(peer.calls.map((c) => (c.options.body as { messages: unknown[] }).messages.length), [RETURN_BATCH, 1])
})

t.test('concurrent flushes send each message once', async (t) => {
  const { store, peer, returns, keep } = setup(async () => { await new Promise((resolve) => setImmediate(resolve)); return { stored: 1 } })
  keep('s1', message('one'))
  store.endSession('s1')
  const both = await Promise.all([returns.flush(), returns.flush()])
  t.same(both, [true, true])
  t.equal(peer.calls.length, 1)
})

t.test('stopped (the region stops or crashes), it sends nothing and leaves the messages in the store', async (t) => {
  const { store, peer, returns, keep } = setup(() => { throw new GridImError('unavailable') })
  keep('s1', message('kept'))
  store.endSession('s1')
  t.equal(await returns.flush(), false, 'the first attempt fails and a retry is scheduled')
  returns.stop()
  returns.ended('s1')
  t.equal(await returns.flush(), false)
  t.equal(peer.calls.length, 1)
  t.equal(store.returning().length, 1)
  store.close()
  returns.ended('s1')
})
