import t from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import { Agents } from './agents.ts'
import { Inbox } from './inbox.ts'
import { LocationCache } from './location-cache.ts'
import { MessageStore } from './message-store.ts'
import { OfflineMessages } from './offline-messages.ts'
import { FakePeer, USER_SERVER_URL, silentLogger, uuid } from './test-support.ts'
import { createMetrics, userServerCaller } from './upstream.ts'

function setup (answer: FakePeer['answer']) {
  const agents = new Agents()
  const peer = new FakePeer(answer)
  const inbox = new Inbox(agents, new LocationCache(), createMetrics(), { messages: new MessageStore() })
  const offline = new OfflineMessages(inbox, userServerCaller(peer, USER_SERVER_URL), silentLogger)
  const agent = agents.admit({ sessionId: uuid(), sessionSecret: 'x'.repeat(43), userId: uuid(), name: 'Ada Lovelace', friends: [] })
  const message = (body: string) => ({ messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId: agent.userId, body, sentAt: '2024-11-24T09:15:00Z' })
  return { agent, peer, offline, inbox, message }
}

t.test('GRIDIM-OFFL-8: a failed acknowledgement is tried again at the next read, and nothing is lost', async (t) => {
  let failing = true
  const { agent, peer, offline, message } = setup((call) => {
    if (call.operationId === 'acknowledgeOfflineMessages' && failing) throw new GridImError('unavailable')
    return { deleted: 1 }
  })
  const stored = message('one')
  offline.take(agent, [stored], false)
  await offline.readThrough(agent, agent.log.head)
  t.equal(agent.unacknowledged.length, 1, 'still owed')
  failing = false
  await offline.readThrough(agent, agent.log.head)
  t.same(agent.unacknowledged, [])
  t.same(peer.callsOf('acknowledgeOfflineMessages').map((c) => c.options.body), [{ messageIds: [stored.messageId] }, { messageIds: [stored.messageId] }])
  await offline.readThrough(agent, agent.log.head)
  t.equal(peer.calls.length, 2, 'nothing more to do')
})

t.test('GRIDIM-OFFL-9: a message also delivered live is shown once but still acknowledged', async (t) => {
  const { agent, offline, inbox, message } = setup(() => ({ deleted: 1 }))
  const live = message('live and stored')
  inbox.instantMessage(live)
  offline.take(agent, [live, message('two')], false)
  t.same(agent.log.after().events.map((e) => (e.data as { body: string }).body), ['live and stored', 'two'])
  t.same(agent.unacknowledged.map((m) => m.messageId)[0], live.messageId)
})

t.test('a failed page fetch is not retried in a loop, but at the next read', async (t) => {
  let calls = 0
  const { agent, offline } = setup((call) => {
    if (call.operationId === 'listOfflineMessages' && ++calls === 1) throw new GridImError('unavailable')
    return { messages: [], more: false }
  })
  t.equal(await offline.fetch(agent), false)
  t.ok(agent.moreOffline, 'still owed a page')
  await offline.readThrough(agent, agent.log.head)
  t.equal(calls, 2)
  t.notOk(agent.moreOffline)
})

// The race the chaos run with sign-offs found: a message stored just as its recipient signs on
// comes with the sign-on's page (origin offline) and, from the user server's redelivery
// (GRIDIM-OFFL-10), again — answered duplicate, on which the user server deletes it
// (GRIDIM-OFFL-4). If the session then ends before its client read it, dropping it as "still
// held by the user server" lost it: it is the region's now, and goes back (GRIDIM-OFFL-11).
t.test('GRIDIM-OFFL-4/-11: a stored message the user server redelivered and was told duplicate is returned if left unread, not dropped', async (t) => {
  const agents = new Agents()
  const messages = new MessageStore()
  const inbox = new Inbox(agents, new LocationCache(), createMetrics(), { messages })
  const offline = new OfflineMessages(inbox, userServerCaller(new FakePeer(() => ({ deleted: 1 })), USER_SERVER_URL), silentLogger)
  const agent = agents.admit({ sessionId: uuid(), sessionSecret: 'x'.repeat(43), userId: uuid(), name: 'Ada Lovelace', friends: [] })
  const im = (body: string) => ({ messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId: agent.userId, body, sentAt: '2024-11-24T09:15:00Z' })
  const [redelivered, onlyStored] = [im('redelivered too'), im('only on the page')]
  offline.take(agent, [redelivered, onlyStored], false)
  t.equal(inbox.instantMessage(redelivered, 'user-server'), 'duplicate')
  t.equal(messages.endSession(agent.sessionId), 1, 'one message to return')
  t.same(messages.returning().flatMap((r) => r.messages.map((m) => m.body)), ['redelivered too'],
    'the redelivered one goes back; the one the user server still holds is dropped')
})

t.test('a duplicate from a region (a sender\'s retry) leaves a stored copy as the user server\'s', async (t) => {
  const agents = new Agents()
  const messages = new MessageStore()
  const inbox = new Inbox(agents, new LocationCache(), createMetrics(), { messages })
  const offline = new OfflineMessages(inbox, userServerCaller(new FakePeer(() => ({ deleted: 1 })), USER_SERVER_URL), silentLogger)
  const agent = agents.admit({ sessionId: uuid(), sessionSecret: 'x'.repeat(43), userId: uuid(), name: 'Ada Lovelace', friends: [] })
  const stored = { messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId: agent.userId, body: 'stored', sentAt: '2024-11-24T09:15:00Z' }
  offline.take(agent, [stored], false)
  t.equal(inbox.instantMessage(stored, 'region'), 'duplicate')
  t.equal(messages.endSession(agent.sessionId), 0, 'nothing to return: the user server still holds it')
})

t.test('the fault redelivered-duplicate-dropped leaves the redelivered message as the user server\'s, so it is dropped unread (breaks GRIDIM-OFFL-11)', async (t) => {
  const agents = new Agents()
  const messages = new MessageStore()
  const inbox = new Inbox(agents, new LocationCache(), createMetrics(), { messages, faults: new Set(['redelivered-duplicate-dropped']) })
  const offline = new OfflineMessages(inbox, userServerCaller(new FakePeer(() => ({ deleted: 1 })), USER_SERVER_URL), silentLogger)
  const agent = agents.admit({ sessionId: uuid(), sessionSecret: 'x'.repeat(43), userId: uuid(), name: 'Ada Lovelace', friends: [] })
  const redelivered = { messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId: agent.userId, body: 'redelivered too', sentAt: '2024-11-24T09:15:00Z' }
  offline.take(agent, [redelivered], false)
  t.equal(inbox.instantMessage(redelivered, 'user-server'), 'duplicate')
  t.equal(messages.endSession(agent.sessionId), 0, 'nothing to return: the message is lost')
  t.same(messages.returning(), [])
})
