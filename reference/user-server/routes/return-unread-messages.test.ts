import t from 'tap'
import { GridImError } from '../../lib/errors/index.ts'
import { expectRefusals, harness, type Harness, type TestUser } from '../test-support.ts'

function message (from: TestUser, to: TestUser, body = 'left unread') {
  return { messageId: crypto.randomUUID(), fromUserId: from.userId, fromName: from.name, toUserId: to.userId, body, sentAt: '2024-11-24T14:32:05.000Z' }
}

const inbox = async (h: Harness, user: TestUser) => (await h.store.listOffline(user.userId, 100)).messages.map((m) => m.messageId)

async function setUp (t: Parameters<typeof harness>[0]) {
  const h = harness(t)
  const home = await h.region()
  const other = await h.region()
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  const session = await h.signOn(bob, home)
  // The session is ending at its region: a redelivery there finds nobody.
  h.respondWith(({ operationId }) => { if (operationId === 'deliverInstantMessage') throw new GridImError('agent-not-here') })
  return { h, home, other, ada, bob, sessionId: session.sessionId as string }
}

t.test('GRIDIM-OFFL-12: the region hosting the session returns a message; it is stored once, however often it comes', async (t) => {
  const { h, home, ada, bob, sessionId } = await setUp(t)
  const m = message(ada, bob)
  const first = await h.signed(home, 'POST', `/sessions/${sessionId}/unread-messages`, { messages: [m, m] })
  t.equal(first.statusCode, 200)
  t.same(first.body, { stored: 1 }, 'the same id twice in one request is stored once')
  const again = await h.signed(home, 'POST', `/sessions/${sessionId}/unread-messages`, { messages: [m] })
  t.same([again.statusCode, again.body], [200, { stored: 0 }])
  t.same(await inbox(h, bob), [m.messageId])
})

t.test('GRIDIM-OFFL-12: a message stored and deleted before is stored again, and redelivered while the user can be reached', async (t) => {
  const { h, home, other, ada, bob, sessionId } = await setUp(t)
  const m = message(ada, bob)
  // Stored by the sender's region, redelivered by the user server (deleted), then left unread.
  await h.signOn(ada, other)
  h.respondWith(() => undefined)
  t.equal((await h.signed(other, 'POST', '/offline-messages', m)).statusCode, 201)
  await h.delivered()
  t.same(await inbox(h, bob), [], 'redelivered and deleted')
  h.clearSent()
  h.respondWith(({ operationId }) => operationId === 'deliverInstantMessage' ? { status: 'delivered' } : undefined)
  const res = await h.signed(home, 'POST', `/sessions/${sessionId}/unread-messages`, { messages: [m] })
  t.same([res.statusCode, res.body], [200, { stored: 1 }])
  const sent = await h.delivered('deliverInstantMessage')
  t.same(sent.map((r) => r.body.messageId), [m.messageId], 'GRIDIM-OFFL-10: delivered again, not skipped as acknowledged')
})

t.test('GRIDIM-OFFL-12: a region the session moved from may still return what it left unread, also after the session ended', async (t) => {
  const { h, home, other, ada, bob, sessionId } = await setUp(t)
  t.equal((await h.signed(home, 'PUT', `/sessions/${sessionId}/location`, { regionId: other.regionId })).statusCode, 204)
  const early = message(ada, bob, 'before the move')
  t.equal((await h.signed(home, 'POST', `/sessions/${sessionId}/unread-messages`, { messages: [early] })).statusCode, 200, 'the region it left')
  t.equal((await h.signed(other, 'DELETE', `/sessions/${sessionId}`)).statusCode, 204)
  const late = message(ada, bob, 'after the move')
  t.equal((await h.signed(other, 'POST', `/sessions/${sessionId}/unread-messages`, { messages: [late] })).statusCode, 200, 'the region it ended at')
  t.same((await inbox(h, bob)).sort(), [early.messageId, late.messageId].sort())
})

t.test('GRIDIM-OFFL-12, GRIDIM-ERR-5, GRIDIM-ERR-7: refusals change nothing', async (t) => {
  const { h, home, other, ada, bob, sessionId } = await setUp(t)
  const adaSession = (await h.signOn(ada, other)).sessionId as string
  const stranger = await h.region()
  const path = (id: string) => `/sessions/${id}/unread-messages`
  await expectRefusals(t, h, [
    ['a region that never hosted the session', () => h.signed(stranger, 'POST', path(sessionId), { messages: [message(ada, bob)] }), 403, 'not-your-agent'],
    ['the session of a user hosted elsewhere', () => h.signed(home, 'POST', path(adaSession), { messages: [message(bob, ada)] }), 403, 'not-your-agent'],
    ['a message to someone else than the session\'s user', () => h.signed(home, 'POST', path(sessionId), { messages: [message(bob, bob), message(bob, ada)] }), 403, 'not-your-agent'],
    ['a session never seen', () => h.signed(home, 'POST', path(crypto.randomUUID()), { messages: [message(ada, bob)] }), 404, 'unknown-session'],
    ['a body over 1023 bytes', () => h.signed(home, 'POST', path(sessionId), { messages: [message(ada, bob, 'é'.repeat(600))] }), 400, 'message-too-long'],
    ['no messages', () => h.signed(home, 'POST', path(sessionId), { messages: [] }), 400, 'invalid-request'],
    ['unsigned', () => h.signed(null, 'POST', path(sessionId), { messages: [message(ada, bob)] }), 401, 'unauthenticated']
  ], async () => [await inbox(h, ada), await inbox(h, bob)])
})

t.test('GRIDIM-OFFL-12: placements of ended sessions are kept 7 days, then forgotten', async (t) => {
  const { h, home, ada, bob, sessionId } = await setUp(t)
  t.equal((await h.signed(home, 'DELETE', `/sessions/${sessionId}`)).statusCode, 204)
  h.clock.now += 6 * 24 * 3600_000
  await h.lease(home)
  await h.us.sweep(h.clock.now)
  t.equal((await h.signed(home, 'POST', `/sessions/${sessionId}/unread-messages`, { messages: [message(ada, bob)] })).statusCode, 200, 'after 6 days')
  h.clock.now += 2 * 24 * 3600_000
  await h.lease(home)
  await h.us.sweep(h.clock.now)
  const res = await h.signed(home, 'POST', `/sessions/${sessionId}/unread-messages`, { messages: [message(ada, bob)] })
  t.same([res.statusCode, res.body.code], [404, 'unknown-session'], 'after 8 days')
})
