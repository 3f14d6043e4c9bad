import t from 'tap'
import { expectRefusals, harness, noticesIn } from '../test-support.ts'

t.test('GRIDIM-GRP-9, GRIDIM-GRP-11: leaving tells the rest; below two members the session ends', async (t) => {
  const h = harness(t)
  const [r1, r2] = [await h.region(), await h.region()]
  const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((n) => h.user(n)))
  await h.friends(a, b)
  await h.friends(a, c)
  await h.signOn(a, r1)
  await h.signOn(b, r2)
  await h.signOn(c, r2)
  const { groupSessionId } = (await h.signed(r1, 'POST', '/group-sessions', { startedBy: a.userId, participantIds: [b.userId, c.userId] })).body
  await h.us.idle()
  h.clearSent()
  t.equal((await h.signed(r2, 'DELETE', `/group-sessions/${groupSessionId}/members/${c.userId}`)).statusCode, 204)
  let requests = await h.delivered()
  t.same(requests.map((r) => r.url).sort(), [r1.url, r2.url].sort())
  t.same(noticesIn(requests).map((n) => [n.type, n.toUserId, n.userId]).sort(), [
    ['groupSessionMemberLeft', a.userId, c.userId], ['groupSessionMemberLeft', b.userId, c.userId]
  ].sort())
  h.clearSent()
  t.equal((await h.signed(r2, 'DELETE', `/group-sessions/${groupSessionId}/members/${b.userId}`)).statusCode, 204)
  requests = await h.delivered()
  t.same(noticesIn(requests).map((n) => [n.type, n.toUserId]), [['groupSessionMemberLeft', a.userId], ['groupSessionClosed', a.userId]])
  t.equal(requests.length, 1, 'one change, one request')
  t.equal((await h.store.getGroupSession(groupSessionId))!.closeReason, 'ended')
})

t.test('GRIDIM-GRP-10: a member who signs off leaves every group session', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((n) => h.user(n)))
  await h.friends(a, b)
  await h.friends(a, c)
  await h.signOn(a, region)
  await h.signOn(b, region)
  await h.signOn(c, region)
  const { groupSessionId } = (await h.signed(region, 'POST', '/group-sessions', { startedBy: a.userId, participantIds: [b.userId, c.userId] })).body
  const session = (await h.store.getSessionByUser(c.userId))!
  await h.us.idle()
  h.clearSent()
  await h.signed(region, 'DELETE', `/sessions/${session.sessionId}`)
  t.same((await h.store.listMembers(groupSessionId)).members, [a.userId, b.userId])
  const requests = await h.delivered()
  t.equal(requests.length, 1, 'presence and group notices of one sign-off in one request')
  t.same(noticesIn(requests).map((n) => n.type).sort(), ['groupSessionMemberLeft', 'groupSessionMemberLeft', 'presence'])
})

t.test('leaveGroupSession refusals', async (t) => {
  const h = harness(t)
  const [r1, r2] = [await h.region(), await h.region()]
  const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((n) => h.user(n)))
  await h.friends(a, b)
  await h.signOn(a, r1)
  await h.signOn(b, r1)
  await h.signOn(c, r2)
  const { groupSessionId } = (await h.signed(r1, 'POST', '/group-sessions', { startedBy: a.userId, participantIds: [b.userId] })).body
  const leave = (signer: typeof r1 | null, id: string, userId: string) => () => h.signed(signer, 'DELETE', `/group-sessions/${id}/members/${userId}`)
  await expectRefusals(t, h, [
    ['not a UUID', leave(r1, groupSessionId, 'a'), 400, 'invalid-request'],
    ['unsigned', leave(null, groupSessionId, a.userId), 401, 'unauthenticated'],
    ['not hosted by the signer', leave(r2, groupSessionId, a.userId), 403, 'not-your-agent'],
    ['not a member', leave(r2, groupSessionId, c.userId), 403, 'not-a-member'],
    ['unknown session', leave(r1, crypto.randomUUID(), a.userId), 404, 'unknown-group-session']
  ], () => h.store.listMembers(groupSessionId))
  await h.signed(r1, 'DELETE', `/group-sessions/${groupSessionId}/members/${b.userId}`)
  t.equal((await leave(r1, groupSessionId, a.userId)()).body.code, 'group-session-closed', 'GRIDIM-GRP-11: ended below two members')
})
