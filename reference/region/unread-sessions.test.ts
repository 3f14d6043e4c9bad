// The region's side of "delivered is durable": every way a session ends gives back what its
// client left unread (GRIDIM-OFFL-11), and a restart from the same file does too (GRIDIM-OFFL-13).
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GridImError } from '../lib/errors/index.ts'
import { Agents } from './agents.ts'
import { uuid } from './test-support.ts'
import { testRegion, type TestRegion } from './test-region.ts'
import type { InstantMessage } from '../lib/contract/types.ts'

const messageTo = (toUserId: string, body: string): InstantMessage =>
  ({ messageId: uuid(), fromUserId: uuid(), fromName: 'Cyd Carter', toUserId, body, sentAt: '2024-11-24T09:15:00Z' })

/** A user server that takes every return and sign-off, recording the returned messageIds. */
function userServer (g: TestRegion): string[] {
  const returned: string[] = []
  g.handlers.returnUnreadMessages = (call) => {
    const { messages } = call.options.body as { messages: InstantMessage[] }
    returned.push(...messages.map((m) => m.messageId))
    return { stored: messages.length }
  }
  g.handlers.signOff = () => undefined
  g.handlers.renewRegionLease = () => ({ leaseSeconds: 60, expiresAt: new Date(Date.now() + 60_000).toISOString() })
  g.handlers.endRegionLease = () => undefined
  return returned
}

/** Delivered by the user server (a redelivery), so that no sender check is needed. */
async function deliver (g: TestRegion, m: InstantMessage): Promise<string> {
  const res = await g.fromUserServer('POST', '/instant-messages', m)
  return (JSON.parse(res.payload) as { status: string, code?: string }).status ?? res.statusCode
}

async function until (done: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

t.test('GRIDIM-IM-20: a message answered delivered is already kept, with its session', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const m = messageTo(ada.userId, 'kept')
  t.equal(await deliver(g, m), 'delivered')
  t.same(g.region.context.messages.stateOf(m.messageId), { state: 'unread', sessionId: ada.sessionId })
})

t.test('GRIDIM-OFFL-14, GRIDIM-CLI-23: logout returns what was not read past, before signOff', async (t) => {
  const g = await testRegion(t)
  const returned = userServer(g)
  const ada = g.admit()
  const [read, unread] = [messageTo(ada.userId, 'read'), messageTo(ada.userId, 'unread')]
  await deliver(g, read)
  const page = JSON.parse((await g.asClient(ada.sessionSecret, 'GET', '/client/events')).payload) as { cursor: string }
  await g.asClient(ada.sessionSecret, 'GET', `/client/events?after=${page.cursor}`)
  await deliver(g, unread)
  t.equal((await g.asClient(ada.sessionSecret, 'GET', '/client/events')).statusCode, 200, 'GRIDIM-CLI-25: a read without after')
  t.equal((await g.asClient(ada.sessionSecret, 'POST', '/client/logout')).statusCode, 204)
  t.same(returned, [unread.messageId])
  const ops = g.peer.ops()
  t.ok(ops.indexOf('returnUnreadMessages') < ops.indexOf('signOff'), 'returned first')
  t.same(g.region.context.messages.returning(), [], 'deleted once confirmed')
})

t.test('GRIDIM-OFFL-11: a return the user server does not answer is kept and tried again; the logout goes on', async (t) => {
  const g = await testRegion(t, { returnRetryMs: 5 })
  const returned = userServer(g)
  let failing = true
  const take = g.handlers.returnUnreadMessages!
  g.handlers.returnUnreadMessages = (call) => { if (failing) throw new GridImError('unavailable'); return take(call) }
  const ada = g.admit()
  const m = messageTo(ada.userId, 'unread')
  await deliver(g, m)
  t.equal((await g.asClient(ada.sessionSecret, 'POST', '/client/logout')).statusCode, 204)
  t.equal(g.region.context.messages.returning().length, 1, 'nothing deleted')
  failing = false
  await until(() => returned.length === 1)
  t.same(g.region.context.messages.returning(), [])
})

t.test('a logout whose signOff fails keeps the agent, and what was returned is not returned twice', async (t) => {
  const g = await testRegion(t)
  const returned = userServer(g)
  g.handlers.signOff = () => { throw new GridImError('unavailable') }
  const ada = g.admit()
  await deliver(g, messageTo(ada.userId, 'unread'))
  t.equal((await g.asClient(ada.sessionSecret, 'POST', '/client/logout')).statusCode, 503)
  t.ok(g.region.agents.byUserId(ada.userId), 'kept, so the client can try again')
  t.equal(returned.length, 1)
  g.handlers.signOff = () => undefined
  t.equal((await g.asClient(ada.sessionSecret, 'POST', '/client/logout')).statusCode, 204)
  t.equal(returned.length, 1)
})

t.test('GRIDIM-SIGN-20: a session replaced by a newer sign-on elsewhere returns its unread', async (t) => {
  const g = await testRegion(t)
  const returned = userServer(g)
  const ada = g.admit()
  const m = messageTo(ada.userId, 'unread')
  await deliver(g, m)
  const notice = { type: 'presence', noticeId: uuid(), toUserId: ada.userId, userId: ada.userId, name: ada.name, status: 'offline' }
  t.equal((await g.fromUserServer('POST', '/notices', { notices: [notice] })).statusCode, 200)
  await until(() => returned.length === 1)
  t.same(returned, [m.messageId])
  t.equal(g.peer.callsOf('signOff').length, 0, 'the session is already over at the user server')
})

t.test('GRIDIM-SIGN-21: an idle agent\'s unread goes back before signOff', async (t) => {
  let now = Date.now()
  const g = await testRegion(t, { now: () => now })
  const returned = userServer(g)
  const ada = g.admit()
  const m = messageTo(ada.userId, 'unread')
  await deliver(g, m)
  now += 121_000
  await g.region.signOffIdle()
  t.same(returned, [m.messageId])
  const ops = g.peer.ops()
  t.ok(ops.indexOf('returnUnreadMessages') < ops.indexOf('signOff'))
  t.notOk(g.region.agents.byUserId(ada.userId))
})

t.test('GRIDIM-LEASE-11: after a lapse, the ended sessions\' unread goes back once the lease is renewed', async (t) => {
  const g = await testRegion(t)
  const returned = userServer(g)
  g.handlers.listFriends = () => { throw new GridImError('lease-expired') }
  const ada = g.admit()
  const m = messageTo(ada.userId, 'unread')
  await deliver(g, m)
  t.equal((await g.asClient(ada.sessionSecret, 'GET', '/client/friends')).statusCode, 401, 'GRIDIM-LEASE-12: the client learns its session is over')
  await until(() => returned.length === 1)
  const ops = g.peer.ops()
  t.ok(ops.indexOf('renewRegionLease') < ops.lastIndexOf('returnUnreadMessages'), 'renewed first')
})

t.test('GRIDIM-IM-21: a returning message comes back as new from the user server, but not from a sender', async (t) => {
  const g = await testRegion(t)
  userServer(g)
  g.handlers.returnUnreadMessages = () => { throw new GridImError('unavailable') }
  const ada = g.admit()
  const m = messageTo(ada.userId, 'unread')
  await deliver(g, m)
  g.region.agents.drop(ada)
  const next = g.region.agents.admit({ sessionId: uuid(), sessionSecret: 'y'.repeat(43), userId: ada.userId, name: ada.name, friends: [] })
  g.placeAt(ada.userId, 'here')
  g.placeAt(m.fromUserId, 'other')
  const fromSender = await g.fromOther('POST', '/instant-messages', m)
  t.equal(JSON.parse(fromSender.payload).status, 'duplicate', 'a sender\'s retry: it is on its way to the offline store')
  t.equal(await deliver(g, m), 'delivered', 'the user server bringing it again: new')
  t.same(g.region.context.messages.stateOf(m.messageId), { state: 'unread', sessionId: next.sessionId })
})

t.test('the session that is returning a message is not given it again by a redelivery', async (t) => {
  const g = await testRegion(t)
  userServer(g)
  const ada = g.admit()
  const m = messageTo(ada.userId, 'unread')
  await deliver(g, m)
  g.region.context.messages.endSession(ada.sessionId)
  const res = await g.fromUserServer('POST', '/instant-messages', m)
  t.equal(res.statusCode, 404, 'agent-not-here: the user server keeps it')
})

t.test('GRIDIM-CLI-24: a handed-over log returns its unread once the read window closes, unless the session came back', async (t) => {
  const ended: string[] = []
  const agents = new Agents({ departedMs: 10, onEnded: (a) => ended.push(a.sessionId) })
  const state = (sessionId: string) => ({ sessionId, sessionSecret: `${sessionId}-secret-0123456789`, userId: uuid(), name: 'Ada Lovelace', friends: [] })
  agents.depart(agents.admit(state('gone')))
  const back = agents.admit(state('back'))
  agents.depart(back)
  agents.admit(state('back'))
  await until(() => ended.length === 1)
  await new Promise((resolve) => setTimeout(resolve, 30))
  t.same(ended, ['gone'], 'only the session that did not come back')
  const stopping = new Agents({ onEnded: (a) => ended.push(a.sessionId) })
  stopping.depart(stopping.admit(state('open')))
  stopping.endDepartures()
  t.same(ended, ['gone', 'open'], 'a stop closes open windows at once')
})

t.test('GRIDIM-CLI-23: reading past an event in a handed-over log marks it read', async (t) => {
  const g = await testRegion(t)
  userServer(g)
  const ada = g.admit()
  const m = messageTo(ada.userId, 'read after leaving')
  await deliver(g, m)
  g.region.agents.depart(ada)
  const page = JSON.parse((await g.asClient(ada.sessionSecret, 'GET', '/client/events')).payload) as { cursor: string }
  t.equal((await g.asClient(ada.sessionSecret, 'GET', `/client/events?after=${page.cursor}`)).statusCode, 200)
  t.equal(g.region.context.messages.stateOf(m.messageId)?.state, 'read')
})

t.test('GRIDIM-OFFL-13: a region started again from its file returns what was left unread, and remembers what was read', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gridim-region-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const messageFile = join(dir, 'region.sqlite')
  const first = await testRegion(t, { messageFile, port: 0, host: '127.0.0.1' })
  userServer(first)
  await first.region.start()
  const ada = first.admit()
  const [read, unread] = [messageTo(ada.userId, 'read'), messageTo(ada.userId, 'unread')]
  await deliver(first, read)
  first.region.context.inbox.readThrough(ada, ada.log.head)
  await deliver(first, unread)
  await first.region.kill()
  t.equal(first.peer.callsOf('returnUnreadMessages').length, 0, 'a crash returns nothing')

  const second = await testRegion(t, { messageFile, port: 0, host: '127.0.0.1' })
  const returned = userServer(second)
  await second.region.start()
  t.same(returned, [unread.messageId], 'returned at start, once the lease is held')
  t.same(second.peer.callsOf('returnUnreadMessages')[0]!.options.params, { sessionId: ada.sessionId })
  t.same(second.peer.callsOf('signOff').map((c) => c.options.params), [{ sessionId: ada.sessionId }], 'GRIDIM-SIGN-12: the session the crash left at the user server is signed off')
  const bob = second.admit()
  t.ok(second.region.context.inbox.seen(read.messageId), 'GRIDIM-IM-21: the read one is still known')
  t.equal(await deliver(second, { ...read, toUserId: bob.userId }), 'duplicate')
  await second.region.stop()
})

t.test('GRIDIM-LEASE-11: a graceful stop returns the unread of every session before it ends the lease', async (t) => {
  const g = await testRegion(t, { port: 0, host: '127.0.0.1' })
  const returned = userServer(g)
  await g.region.start()
  const ada = g.admit()
  const m = messageTo(ada.userId, 'unread')
  await deliver(g, m)
  await g.region.stop()
  t.same(returned, [m.messageId])
  const ops = g.peer.ops()
  t.ok(ops.indexOf('returnUnreadMessages') < ops.indexOf('endRegionLease'))
})

t.test('GRIDIM-SIGN-12: a restart keeps trying to sign off what the crash left, until the user server answers', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gridim-region-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const messageFile = join(dir, 'region.sqlite')
  const first = await testRegion(t, { messageFile, port: 0, host: '127.0.0.1' })
  userServer(first)
  await first.region.start()
  const [ada, bob] = [first.admit(), first.admit('Bob Baker')]
  await first.region.kill()

  const second = await testRegion(t, { messageFile, port: 0, host: '127.0.0.1', returnRetryMs: 5 })
  userServer(second)
  let answers = 0
  second.handlers.signOff = (call) => {
    answers++
    if (answers === 1) throw new GridImError('unavailable')
    if (call.options.params?.sessionId === bob.sessionId) throw new GridImError('not-your-agent', 'moved on')
    return undefined
  }
  await second.region.start()
  await until(() => second.region.context.messages.hostedSessions().length === 0)
  const asked = second.peer.callsOf('signOff').map((c) => c.options.params?.sessionId)
  t.same(new Set(asked), new Set([ada.sessionId, bob.sessionId]))
  await second.region.kill()
})

t.test('an idle sign-off the user server cannot take keeps the agent; one it refuses for good drops it', async (t) => {
  let now = Date.now()
  const g = await testRegion(t, { now: () => now })
  userServer(g)
  const [ada, bob] = [g.admit(), g.admit('Bob Baker')]
  g.handlers.signOff = (call) => {
    throw call.options.params?.sessionId === ada.sessionId ? new GridImError('unavailable') : new GridImError('forbidden')
  }
  now += 121_000
  await g.region.signOffIdle()
  t.ok(g.region.agents.byUserId(ada.userId), 'unavailable: kept for the next round')
  t.notOk(g.region.agents.byUserId(bob.userId), 'refused: dropped')
})

t.test('the deliberate fault unread-dropped-on-logout loses what was unread (for conformance/variants only)', async (t) => {
  const g = await testRegion(t, { faults: new Set(['unread-dropped-on-logout']) })
  const returned = userServer(g)
  const ada = g.admit()
  await deliver(g, messageTo(ada.userId, 'lost'))
  t.equal((await g.asClient(ada.sessionSecret, 'POST', '/client/logout')).statusCode, 204)
  t.same(returned, [])
})
