import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'

async function session (t: Parameters<typeof harness>[0]) {
  const h = harness(t)
  const [r1, r2, r3] = [await h.region(), await h.region(), await h.region({ kind: 'gateway' })]
  const [a, b, c, d, e] = await Promise.all(['A', 'B', 'C', 'D', 'E'].map((n) => h.user(n)))
  const group = { groupId: crypto.randomUUID(), name: 'Analysts', memberIds: [a, b, c, d, e].map((u) => u.userId) }
  await h.store.createGroup(group)
  await h.signOn(a, r1)
  await h.signOn(b, r2)
  await h.signOn(c, r3)
  await h.signOn(d, r3)
  const { groupSessionId } = (await h.signed(r2, 'POST', '/group-sessions', { startedBy: b.userId, groupId: group.groupId })).body
  await h.us.idle()
  h.clearSent()
  return { h, r1, r2, r3, a, b, c, d, e, groupSessionId }
}

t.test('seed step 13, GRIDIM-GRP-13, GRIDIM-GRP-14: a message goes once to each region hosting members', async (t) => {
  const { h, r1, r2, r3, a, b, c, d, groupSessionId } = await session(t)
  const messageId = crypto.randomUUID()
  const before = (await h.store.getGroupSession(groupSessionId))!.lastActivityAt
  h.clock.now += 5000
  const res = await h.signed(r3, 'POST', `/group-sessions/${groupSessionId}/messages`, { fromUserId: d.userId, messageId, body: 'Hello all' })
  t.equal(res.statusCode, 200)
  t.same(res.body, { messageId, destinations: 3 })
  const sent = await h.delivered('deliverGroupMessage')
  t.equal(sent.length, 3, 'one request per destination region, the gateway being one')
  const to = Object.fromEntries(sent.map((r) => [r.url, r.body.toUserIds]))
  t.same(to, { [r1.url]: [a.userId], [r2.url]: [b.userId], [r3.url]: [c.userId, d.userId] }, 'the sender included')
  t.match(sent[0]!.body, { groupSessionId, messageId, fromUserId: d.userId, fromName: 'D Tester', body: 'Hello all', sentAt: new Date(h.clock.now).toISOString() })
  t.ok((await h.store.getGroupSession(groupSessionId))!.lastActivityAt > before, 'GRIDIM-GRP-22: activity resets the idle timer')
  t.same(h.us.metrics.sent.deliverGroupMessage, 3)
})

t.test('GRIDIM-GRP-15: a repeated messageId gets the first answer and is not forwarded again', async (t) => {
  const { h, r2, b, groupSessionId } = await session(t)
  const body = { fromUserId: b.userId, messageId: crypto.randomUUID(), body: 'once' }
  const first = await h.signed(r2, 'POST', `/group-sessions/${groupSessionId}/messages`, body)
  const again = await h.signed(r2, 'POST', `/group-sessions/${groupSessionId}/messages`, body)
  t.same(again.body, first.body)
  t.equal((await h.delivered('deliverGroupMessage')).length, 3)
})

t.test('GRIDIM-GRP-15: a repeat arriving while the first is still being forwarded gets its answer and forwards nothing', async (t) => {
  const { h, r2, b, groupSessionId } = await session(t)
  // A store that takes its time, as one across a network does: the first is still being
  // accepted (its idle timer reset) when the repeat is checked.
  const touch = h.store.touch.bind(h.store)
  h.store.touch = async (...args) => {
    await new Promise((resolve) => setTimeout(resolve, 20))
    return await touch(...args)
  }
  const body = { fromUserId: b.userId, messageId: crypto.randomUUID(), body: 'once' }
  const [first, again] = await Promise.all([1, 2].map(() => h.signed(r2, 'POST', `/group-sessions/${groupSessionId}/messages`, body)))
  t.same(first.body, { messageId: body.messageId, destinations: 3 })
  t.same(again.body, first.body)
  t.equal((await h.delivered('deliverGroupMessage')).length, 3)
})

t.test('GRIDIM-GRP-17: members who left get nothing more', async (t) => {
  const { h, r1, r2, a, b, groupSessionId } = await session(t)
  await h.signed(r1, 'DELETE', `/group-sessions/${groupSessionId}/members/${a.userId}`)
  h.clearSent()
  const res = await h.signed(r2, 'POST', `/group-sessions/${groupSessionId}/messages`, { fromUserId: b.userId, messageId: crypto.randomUUID(), body: 'hi' })
  t.equal(res.body.destinations, 2)
  t.notOk((await h.delivered('deliverGroupMessage')).some((r) => r.url === r1.url))
})

t.test('sendGroupMessage refusals', async (t) => {
  const { h, r1, r2, a, b, e, groupSessionId } = await session(t)
  const outsider = await h.region()
  const send = (signer: typeof r1 | null, id: string, body: unknown) => () => h.signed(signer, 'POST', `/group-sessions/${id}/messages`, body)
  const ok = { fromUserId: b.userId, messageId: crypto.randomUUID(), body: 'hi' }
  await h.signOn(e, outsider)
  const closed = crypto.randomUUID()
  await h.store.createGroupSession({ groupSessionId: closed, name: 'x', groupId: null, startedBy: b.userId, memberIds: [b.userId], createdAt: 0 })
  await h.store.closeGroupSession(closed, 'idle', 1)
  await expectRefusals(t, h, [
    ['schema-invalid body', send(r2, groupSessionId, { ...ok, messageId: 'x' }), 400, 'invalid-request'],
    ['GRIDIM-LIM-1: empty body', send(r2, groupSessionId, { ...ok, body: '' }), 400, 'invalid-request'],
    ['GRIDIM-LIM-1: over 1023 bytes', send(r2, groupSessionId, { ...ok, body: '😀'.repeat(300) }), 400, 'message-too-long'],
    ['unsigned', send(null, groupSessionId, ok), 401, 'unauthenticated'],
    ['not hosted by the signer', send(r1, groupSessionId, ok), 403, 'not-your-agent'],
    ['GRIDIM-GRP-12: not a member', send(outsider, groupSessionId, { ...ok, fromUserId: e.userId }), 403, 'not-a-member'],
    ['unknown session', send(r2, crypto.randomUUID(), ok), 404, 'unknown-group-session'],
    ['GRIDIM-GRP-23: closed session', send(r2, closed, ok), 410, 'group-session-closed']
  ], () => h.store.getGroupSession(groupSessionId))
  t.ok(a)
})

t.test('GRIDIM-GRP-12: each message goes where the members are when it is accepted — a move, a sign-off, a sign-on between two', async (t) => {
  const { h, r1, r2, r3, a, b, c, d, groupSessionId } = await session(t)
  const send = async () => {
    h.clearSent()
    await h.signed(r2, 'POST', `/group-sessions/${groupSessionId}/messages`, { fromUserId: b.userId, messageId: crypto.randomUUID(), body: 'hi' })
    return Object.fromEntries((await h.delivered('deliverGroupMessage')).map((r) => [r.url, r.body.toUserIds]))
  }
  t.same(await send(), { [r1.url]: [a.userId], [r2.url]: [b.userId], [r3.url]: [c.userId, d.userId] })
  await h.store.moveSession((await h.store.getSessionByUser(a.userId))!.sessionId, r2.regionId)
  t.same(await send(), { [r2.url]: [a.userId, b.userId], [r3.url]: [c.userId, d.userId] }, 'a member moved')
  await h.store.endSession((await h.store.getSessionByUser(c.userId))!.sessionId)
  t.same(await send(), { [r2.url]: [a.userId, b.userId], [r3.url]: [d.userId] }, 'a member signed off')
  await h.signOn(c, r1)
  t.same(await send(), { [r1.url]: [c.userId], [r2.url]: [a.userId, b.userId], [r3.url]: [d.userId] }, 'a member signed on again')
})
