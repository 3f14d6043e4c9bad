import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'

t.test('GRIDIM-GRP-8: an eligible user joins (idempotently) and gets the session', async (t) => {
  const h = harness(t)
  const [r1, r2] = [await h.region(), await h.region()]
  const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((n) => h.user(n)))
  const group = { groupId: crypto.randomUUID(), name: 'G', memberIds: [a.userId, b.userId, c.userId] }
  await h.store.createGroup(group)
  await h.signOn(a, r1)
  await h.signOn(b, r1)
  const { groupSessionId } = (await h.signed(r1, 'POST', '/group-sessions', { startedBy: a.userId, groupId: group.groupId })).body
  await h.signOn(c, r2)
  h.clock.now += 1000
  const res = await h.signed(r2, 'PUT', `/group-sessions/${groupSessionId}/members/${c.userId}`)
  t.equal(res.statusCode, 200)
  t.same(res.body.members.map((m: any) => m.userId), [a.userId, b.userId, c.userId])
  t.same(res.body.regions, [{ regionId: r1.regionId, userIds: [a.userId, b.userId] }, { regionId: r2.regionId, userIds: [c.userId] }])
  t.equal((await h.store.getGroupSession(groupSessionId))!.lastActivityAt, h.clock.now, 'GRIDIM-GRP-22: a join is activity')
  t.same((await h.signed(r2, 'PUT', `/group-sessions/${groupSessionId}/members/${c.userId}`)).body, res.body, 'idempotent')
})

t.test('joinGroupSession refusals', async (t) => {
  const h = harness(t)
  const [r1, r2] = [await h.region(), await h.region()]
  const [a, b, outsider] = await Promise.all(['A', 'B', 'Out'].map((n) => h.user(n)))
  await h.friends(a, b)
  await h.signOn(a, r1)
  await h.signOn(b, r1)
  await h.signOn(outsider, r2)
  const { groupSessionId } = (await h.signed(r1, 'POST', '/group-sessions', { startedBy: a.userId, participantIds: [b.userId] })).body
  const closed = crypto.randomUUID()
  await h.store.createGroupSession({ groupSessionId: closed, name: 'x', groupId: null, startedBy: a.userId, memberIds: [a.userId], createdAt: 0 })
  await h.store.closeGroupSession(closed, 'ended', 1)
  const join = (signer: typeof r1 | null, id: string, userId: string) => () => h.signed(signer, 'PUT', `/group-sessions/${id}/members/${userId}`)
  await expectRefusals(t, h, [
    ['not a UUID', join(r1, 'abc', a.userId), 400, 'invalid-request'],
    ['unsigned', join(null, groupSessionId, a.userId), 401, 'unauthenticated'],
    ['not hosted by the signer', join(r2, groupSessionId, a.userId), 403, 'not-your-agent'],
    ['GRIDIM-GRP-8: not eligible', join(r2, groupSessionId, outsider.userId), 403, 'not-a-member'],
    ['unknown session', join(r1, crypto.randomUUID(), a.userId), 404, 'unknown-group-session'],
    ['GRIDIM-GRP-23: closed', join(r1, closed, a.userId), 410, 'group-session-closed']
  ], () => h.store.listMembers(groupSessionId))
})
