import t from 'tap'
import { expectRefusals, harness, noticesIn } from '../test-support.ts'

t.test('seed step 12, GRIDIM-GRP-6, GRIDIM-GRP-7: a group session invites reachable members, one request per region', async (t) => {
  const h = harness(t)
  const [r1, r2, r3] = [await h.region(), await h.region(), await h.region()]
  const [a, b, c, d, e] = await Promise.all(['A', 'B', 'C', 'D', 'E'].map((n) => h.user(n)))
  const group = { groupId: crypto.randomUUID(), name: 'Analysts', memberIds: [a, b, c, d, e].map((u) => u.userId) }
  await h.store.createGroup(group)
  await h.signOn(a, r1)
  await h.signOn(b, r2)
  await h.signOn(c, r3)
  await h.signOn(d, r3)
  h.clearSent()
  const res = await h.signed(r2, 'POST', '/group-sessions', { startedBy: b.userId, groupId: group.groupId })
  t.equal(res.statusCode, 201)
  const session = res.body
  t.equal(session.name, 'Analysts')
  t.equal(session.groupId, group.groupId)
  t.same(session.members.map((m: any) => m.userId).sort(), [a, b, c, d].map((u) => u.userId).sort(), 'E is offline')
  t.same(session.regions.map((r: any) => [r.regionId, r.userIds.length]).sort(), [[r1.regionId, 1], [r2.regionId, 1], [r3.regionId, 2]].sort())
  const requests = await h.delivered()
  t.same(requests.map((r) => r.url).sort(), [r1.url, r3.url].sort(), 'the starter is not invited')
  const invitations = noticesIn(requests)
  t.same(invitations.map((n) => n.toUserId).sort(), [a, c, d].map((u) => u.userId).sort())
  t.match(invitations[0], { type: 'groupSessionInvitation', groupSessionId: session.groupSessionId, name: 'Analysts', groupId: group.groupId, startedBy: b.userId })
})

t.test('GRIDIM-GRP-1: an ad-hoc session from friends behaves like a group session', async (t) => {
  const h = harness(t)
  const [r1, r2] = [await h.region(), await h.region()]
  const ada = await h.user('Ada', 'Lovelace')
  const bob = await h.user('Bob', 'Babbage')
  const cy = await h.user('Cy', 'Curie')
  await h.friends(ada, bob)
  await h.friends(ada, cy)
  await h.signOn(ada, r1)
  await h.signOn(bob, r2)
  h.clearSent()
  const res = await h.signed(r1, 'POST', '/group-sessions', { startedBy: ada.userId, participantIds: [bob.userId, cy.userId] })
  t.equal(res.statusCode, 201)
  t.equal(res.body.name, 'Ada Lovelace, Bob Babbage, Cy Curie')
  t.notOk('groupId' in res.body)
  t.same(res.body.members.map((m: any) => m.name), ['Ada Lovelace', 'Bob Babbage'])
  t.same(noticesIn(await h.delivered()).map((n) => [n.type, n.toUserId]), [['groupSessionInvitation', bob.userId]])
  await h.signOn(cy, r2)
  const join = await h.signed(r2, 'PUT', `/group-sessions/${res.body.groupSessionId}/members/${cy.userId}`)
  t.equal(join.statusCode, 200, 'an offline participant stays eligible and may join later')
})

t.test('GRIDIM-GRP-5: starting a group whose session is open answers 200 with it, the starter a member', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((n) => h.user(n)))
  const group = { groupId: crypto.randomUUID(), name: 'G', memberIds: [a.userId, b.userId, c.userId] }
  await h.store.createGroup(group)
  await h.signOn(a, region)
  await h.signOn(b, region)
  const first = (await h.signed(region, 'POST', '/group-sessions', { startedBy: a.userId, groupId: group.groupId })).body
  await h.signOn(c, region)
  const res = await h.signed(region, 'POST', '/group-sessions', { startedBy: c.userId, groupId: group.groupId })
  t.equal(res.statusCode, 200)
  t.equal(res.body.groupSessionId, first.groupSessionId)
  t.ok(res.body.members.some((m: any) => m.userId === c.userId))
})

t.test('GRIDIM-GRP-5: two starts of a group at once make one session', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((n) => h.user(n)))
  const group = { groupId: crypto.randomUUID(), name: 'G', memberIds: [a.userId, b.userId, c.userId] }
  await h.store.createGroup(group)
  for (const user of [a, b, c]) await h.signOn(user, region)
  // A store that takes its time, as one across a network does: both look for the group's open
  // session before either has made one, unless the look and the making are one transaction.
  const list = h.store.listIdleGroupSessions.bind(h.store)
  h.store.listIdleGroupSessions = async (...args) => {
    const found = await list(...args)
    await new Promise((resolve) => setTimeout(resolve, 20))
    return found
  }
  const answers = await Promise.all([a, c].map((u) => h.signed(region, 'POST', '/group-sessions', { startedBy: u.userId, groupId: group.groupId })))
  t.same(answers.map((r) => r.statusCode).sort(), [200, 201])
  t.equal(answers[0]!.body.groupSessionId, answers[1]!.body.groupSessionId)
  t.same((answers.find((r) => r.statusCode === 200)?.body.members ?? []).map((m: any) => m.userId).sort(), [a, b, c].map((u) => u.userId).sort(), 'the second starter joined')
})

t.test('startGroupSession refusals', async (t) => {
  const h = harness(t)
  const [home, other] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  const cy = await h.user('Cy')
  await h.friends(ada, bob)
  const group = { groupId: crypto.randomUUID(), name: 'G', memberIds: [bob.userId, cy.userId] }
  await h.store.createGroup(group)
  await h.signOn(ada, home)
  const start = (signer: typeof home | null, body: unknown) => () => h.signed(signer, 'POST', '/group-sessions', body)
  await expectRefusals(t, h, [
    ['GRIDIM-GRP-2: both groupId and participantIds', start(home, { startedBy: ada.userId, groupId: group.groupId, participantIds: [bob.userId] }), 400, 'invalid-request'],
    ['GRIDIM-GRP-2: neither', start(home, { startedBy: ada.userId }), 400, 'invalid-request'],
    ['GRIDIM-LIM-5: name over 63 characters', start(home, { startedBy: ada.userId, participantIds: [bob.userId], name: 'x'.repeat(64) }), 400, 'invalid-request'],
    ['unsigned', start(null, { startedBy: ada.userId, participantIds: [bob.userId] }), 401, 'unauthenticated'],
    ['not hosted by the signer', start(other, { startedBy: ada.userId, participantIds: [bob.userId] }), 403, 'not-your-agent'],
    ['GRIDIM-GRP-3: starter not in the group', start(home, { startedBy: ada.userId, groupId: group.groupId }), 403, 'not-a-member'],
    ['unknown group', start(home, { startedBy: ada.userId, groupId: crypto.randomUUID() }), 404, 'unknown-group'],
    ['unknown participant', start(home, { startedBy: ada.userId, participantIds: [crypto.randomUUID()] }), 404, 'unknown-user'],
    ['GRIDIM-GRP-4: participant not a friend', start(home, { startedBy: ada.userId, participantIds: [bob.userId, cy.userId] }), 404, 'not-friends']
  ], () => h.store.listIdleGroupSessions(Number.MAX_SAFE_INTEGER))
})
