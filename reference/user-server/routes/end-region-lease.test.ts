import t from 'tap'
import { expectRefusals, harness, noticesIn } from '../test-support.ts'

t.test('GRIDIM-LEASE-10, GRIDIM-LEASE-6: ending a lease takes its agents offline and tells friends, one request per region', async (t) => {
  const h = harness(t)
  const dying = await h.region()
  const [r1, r2] = [await h.region(), await h.region()]
  const users = await Promise.all(['Ada', 'Bob', 'Cy'].map((n) => h.user(n)))
  const friends = await Promise.all(['F1', 'F2', 'F3'].map((n) => h.user(n)))
  for (const u of users) for (const f of friends) await h.friends(u, f)
  await h.friends(users[0]!, users[1]!)
  await h.signOn(friends[0]!, r1)
  await h.signOn(friends[1]!, r1)
  await h.signOn(friends[2]!, r2)
  for (const u of users) await h.signOn(u, dying)
  h.clearSent()
  const res = await h.signed(dying, 'DELETE', `/regions/${dying.regionId}/lease`)
  t.equal(res.statusCode, 204)
  for (const u of users) t.equal(await h.store.getSessionByUser(u.userId), null, `${u.name} is offline`)
  t.equal((await h.store.getRegion(dying.regionId))!.leaseExpiresAt, null)
  const requests = await h.delivered()
  t.same(requests.map((r) => r.url).sort(), [r1.url, r2.url].sort(), 'one request per destination region')
  t.equal(noticesIn(requests).length, 9, 'three users, three friends each')
  t.ok(noticesIn(requests).every((n) => n.type === 'presence' && n.status === 'offline'))
})

t.test('endRegionLease refusals', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const other = await h.region()
  const lapsed = await h.region({ lease: false })
  await expectRefusals(t, h, [
    ['not a UUID', () => h.signed(region, 'DELETE', '/regions/x/lease'), 400, 'invalid-request'],
    ['unsigned', () => h.signed(null, 'DELETE', `/regions/${region.regionId}/lease`), 401, 'unauthenticated'],
    ['GRIDIM-ERR-4: unknown region', () => h.signed(region, 'DELETE', `/regions/${crypto.randomUUID()}/lease`), 404, 'unknown-region'],
    ['another region\'s lease', () => h.signed(other, 'DELETE', `/regions/${region.regionId}/lease`), 403, 'forbidden'],
    ['GRIDIM-LEASE-7: no current lease', () => h.signed(lapsed, 'DELETE', `/regions/${lapsed.regionId}/lease`), 409, 'lease-expired']
  ], () => h.store.listRegions())
})
