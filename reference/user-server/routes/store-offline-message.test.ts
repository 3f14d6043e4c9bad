import t from 'tap'
import { GridImError } from '../../lib/errors/index.ts'
import { expectRefusals, harness, type Harness, type TestUser } from '../test-support.ts'

function message (from: TestUser, to: TestUser, body = 'hello') {
  return { messageId: crypto.randomUUID(), fromUserId: from.userId, fromName: from.name, toUserId: to.userId, body, sentAt: '2024-11-24T14:32:05.000Z' }
}

async function setUp (t: Parameters<typeof harness>[0]) {
  const h = harness(t)
  const home = await h.region()
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.signOn(ada, home)
  return { h, home, ada, bob }
}

const inbox = async (h: Harness, user: TestUser) => (await h.store.listOffline(user.userId, 100)).messages

t.test('GRIDIM-OFFL-1, GRIDIM-OFFL-3: a message for an offline stranger is stored, 201', async (t) => {
  const { h, home, ada, bob } = await setUp(t)
  const m = message(ada, bob)
  const res = await h.signed(home, 'POST', '/offline-messages', m)
  t.equal(res.statusCode, 201)
  t.same(res.body, { stored: true })
  t.same(await inbox(h, bob), [{ ...m, sentAt: Date.parse(m.sentAt) }])
  t.same(await h.delivered(), [], 'the recipient cannot be reached: nothing sent')
})

t.test('GRIDIM-OFFL-2: a repeat, or a message acknowledged within 24 hours, answers 200 and stores nothing', async (t) => {
  const { h, home, ada, bob } = await setUp(t)
  const away = await h.region()
  const m = message(ada, bob)
  await h.signed(home, 'POST', '/offline-messages', m)
  const again = await h.signed(home, 'POST', '/offline-messages', m)
  t.equal(again.statusCode, 200)
  t.same(again.body, { stored: true })
  t.equal((await inbox(h, bob)).length, 1)
  await h.signOn(bob, away)
  await h.signed(away, 'POST', `/users/${bob.userId}/offline-messages/acknowledge`, { messageIds: [m.messageId] })
  t.equal((await h.signed(home, 'POST', '/offline-messages', m)).statusCode, 200)
  t.same(await inbox(h, bob), [], 'not stored again after acknowledgement')
})

t.test('GRIDIM-OFFL-10: a message for a reachable recipient is delivered by the user server and then deleted', async (t) => {
  const { h, home, ada, bob } = await setUp(t)
  const away = await h.region()
  await h.signOn(bob, away)
  h.clearSent()
  const m = message(ada, bob)
  t.equal((await h.signed(home, 'POST', '/offline-messages', m)).statusCode, 201)
  const sent = await h.delivered('deliverInstantMessage')
  t.same(sent, [{ url: away.url, operationId: 'deliverInstantMessage', body: m }])
  t.same(await inbox(h, bob), [], 'GRIDIM-OFFL-4: deleted once delivered')
  t.equal((await h.signed(home, 'POST', '/offline-messages', m)).statusCode, 200, 'a late retry is still a repeat')
})

t.test('GRIDIM-OFFL-10: a redelivery answered agent-not-here keeps the message', async (t) => {
  const { h, home, ada, bob } = await setUp(t)
  const away = await h.region()
  await h.signOn(bob, away)
  h.respondWith(({ operationId }) => { if (operationId === 'deliverInstantMessage') throw new GridImError('agent-not-here') })
  await h.signed(home, 'POST', '/offline-messages', message(ada, bob))
  await h.delivered()
  t.equal((await inbox(h, bob)).length, 1)
})

t.test('storeOfflineMessage refusals', async (t) => {
  const { h, home, ada, bob } = await setUp(t)
  const other = await h.region()
  const m = message(ada, bob)
  await expectRefusals(t, h, [
    ['schema-invalid body', () => h.signed(home, 'POST', '/offline-messages', { ...m, sentAt: 'yesterday' }), 400, 'invalid-request'],
    ['GRIDIM-LIM-1: empty body', () => h.signed(home, 'POST', '/offline-messages', { ...m, body: '' }), 400, 'invalid-request'],
    ['GRIDIM-LIM-1: over 1023 bytes', () => h.signed(home, 'POST', '/offline-messages', { ...m, body: '€'.repeat(400) }), 400, 'message-too-long'],
    ['unsigned', () => h.signed(null, 'POST', '/offline-messages', m), 401, 'unauthenticated'],
    ['GRIDIM-SEC-8: sender not hosted by the signer', () => h.signed(other, 'POST', '/offline-messages', m), 403, 'not-your-agent'],
    ['unknown recipient', () => h.signed(home, 'POST', '/offline-messages', { ...m, toUserId: crypto.randomUUID() }), 404, 'unknown-user']
  ], () => inbox(h, bob))
})
