// The proposal's thirteen flows, as far as they concern the user server (regions and the gateway
// are stand-ins that record what they are sent). A, B, C are grid users on three regions; D is a
// foreign user of an outside Jabber server, located at the gateway. A is friends with B, C and
// D; B and C are not friends; all four are in one group.
import t from 'tap'
import { harness, noticesIn } from './test-support.ts'

t.test('the thirteen flows of the seed, seen from the user server', async (t) => {
  const h = harness(t)
  const [ra, rb, rc] = [await h.region({ name: 'A' }), await h.region({ name: 'B' }), await h.region({ name: 'C' })]
  const gateway = await h.region({ kind: 'gateway', name: 'Gateway' })
  const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((n) => h.user(n, 'Seed')))
  const d = (await h.signed(gateway, 'GET', '/users?jid=dana%40jabber.example')).body
  await h.friends(a, b)
  await h.friends(a, c)
  await h.store.createFriendship(a.userId, d.userId, 1, 1)
  const group = { groupId: crypto.randomUUID(), name: 'Seed group', memberIds: [a.userId, b.userId, c.userId, d.userId] }
  await h.store.createGroup(group)
  const step = async () => {
    const requests = await h.delivered()
    h.clearSent()
    return requests
  }

  // Flow 1: A signs on. No grid friend is online; D's server (via the gateway) learns of A.
  await h.signOn(a, ra)
  t.same((await step()).map((r) => r.url), [gateway.url], 'flow 1: only the gateway, for D')

  // Flow 2: B signs on; A learns of B, and B learns of A from the sign-on answer.
  const bSession = await h.signOn(b, rb)
  t.same(bSession.friends.map((f: any) => [f.userId, f.online]), [[a.userId, true]])
  t.same(noticesIn(await step()).map((n) => [n.toUserId, n.userId]), [[a.userId, b.userId]], 'flow 2')

  // Flow 3: C signs on; A learns of C; B learns nothing of C.
  await h.signOn(c, rc)
  const flow3 = await step()
  t.same(noticesIn(flow3).map((n) => [n.toUserId, n.userId]), [[a.userId, c.userId]], 'flow 3')
  t.notOk(flow3.some((r) => r.url === rb.url), 'flow 3: nothing goes to B\'s region')

  // Flows 6–7: A signs off; B, C and D are told, each through its own region.
  const aSession = (await h.store.getSessionByUser(a.userId))!
  t.equal((await h.signed(ra, 'DELETE', `/sessions/${aSession.sessionId}`)).statusCode, 204)
  const flow6 = await step()
  t.same(flow6.map((r) => r.url).sort(), [rb.url, rc.url, gateway.url].sort(), 'flow 6: one request per region')
  t.ok(noticesIn(flow6).every((n) => n.userId === a.userId && n.status === 'offline'))

  // Flow 8: A signs on again; B, C and D are told, one request per destination region.
  h.us.metrics.reset()
  await h.signOn(a, ra)
  const flow8 = await step()
  t.equal(flow8.length, 3, 'flow 8: three regions, three requests')
  t.same(h.us.metrics.sent, { deliverNotices: 3 })

  // Flow 9: A's region asks where B is (then delivers directly; the user server carries nothing).
  const where = await h.signed(ra, 'GET', `/users/${b.userId}/location?for=${a.userId}`)
  t.match(where.body, { online: true, regionId: rb.regionId, regionUrl: rb.url, canSeeOnline: true }, 'flow 9')
  // Flow 10: A's region asks where D is: at the gateway.
  t.match((await h.signed(ra, 'GET', `/users/${d.userId}/location?for=${a.userId}`)).body, { regionId: gateway.regionId, kind: 'gateway' }, 'flow 10')

  // Flow 12: B opens the group session with A, C and D: one invitation request per region.
  const session = await h.signed(rb, 'POST', '/group-sessions', { startedBy: b.userId, groupId: group.groupId })
  t.equal(session.statusCode, 201)
  const flow12 = await step()
  t.same(flow12.map((r) => r.url).sort(), [ra.url, rc.url, gateway.url].sort(), 'flow 12: A\'s, C\'s regions and the gateway')
  const { groupSessionId } = session.body
  const fromB = await h.signed(rb, 'POST', `/group-sessions/${groupSessionId}/messages`, { fromUserId: b.userId, messageId: crypto.randomUUID(), body: 'Welcome' })
  t.equal(fromB.body.destinations, 4, 'flow 12.4–12.5: every region with members, the gateway included')
  await step()

  // Flow 13: D speaks (through the gateway); the user server forwards to A's, B's and C's regions.
  const fromD = await h.signed(gateway, 'POST', `/group-sessions/${groupSessionId}/messages`, { fromUserId: d.userId, messageId: crypto.randomUUID(), body: 'Hello from Jabber' })
  t.equal(fromD.statusCode, 200)
  const flow13 = await step()
  t.same(flow13.map((r) => r.url).sort(), [ra.url, rb.url, rc.url, gateway.url].sort(), 'flow 13: once per region')
  t.ok(flow13.every((r) => r.operationId === 'deliverGroupMessage' && r.body.fromName === 'dana@jabber.example'))
})
