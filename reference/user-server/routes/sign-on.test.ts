import t from 'tap'
import { harness, noticesIn, PASSWORD, type Reply, type TestRegion } from '../test-support.ts'

t.test('GRIDIM-SIGN-3, GRIDIM-SIGN-4: a sign-on answers 201 with the session and places the user at the region', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada', 'Lovelace')
  const res = await h.signed(region, 'POST', '/sessions', { firstName: 'ada', lastName: 'LOVELACE', password: PASSWORD, regionId: region.regionId })
  t.equal(res.statusCode, 201)
  const body = res.body
  t.equal(body.userId, ada.userId)
  t.equal(body.name, 'Ada Lovelace', 'the name as the account was created')
  t.match(body.sessionSecret, /^[A-Za-z0-9_-]{43}$/, 'GRIDIM-ID-4: 256 random bits, base64url')
  t.same(body.friends, [])
  t.same(body.offlineMessages, [])
  t.equal(body.moreOfflineMessages, false)
  const session = await h.store.getSessionByUser(ada.userId)
  t.equal(session?.sessionId, body.sessionId)
  t.equal(session?.regionId, region.regionId)
  t.not(session?.secretHash, body.sessionSecret, 'the secret itself is not stored')
})

t.test('GRIDIM-SIGN-2: an unknown name and a wrong password get the same invalid-credentials', async (t) => {
  const h = harness(t)
  const region = await h.region()
  await h.user('Ada', 'Lovelace')
  for (const [firstName, password] of [['Ada', 'wrong'], ['Nobody', PASSWORD]]) {
    const res = await h.signed(region, 'POST', '/sessions', { firstName, lastName: 'Lovelace', password, regionId: region.regionId })
    t.equal(res.statusCode, 401)
    t.equal(res.body.code, 'invalid-credentials')
    t.equal(res.body.detail, 'unknown name or wrong password')
  }
  t.equal((await h.store.listOnlineUsers([])).length, 0)
})

t.test('GRIDIM-SIGN-6, GRIDIM-PRES-3: friends granted CanSeeOnline are told, one request per destination region', async (t) => {
  const h = harness(t)
  const regions: TestRegion[] = []
  for (let i = 0; i < 10; i++) regions.push(await h.region())
  const home = await h.region()
  const ada = await h.user('Ada')
  for (let i = 0; i < 50; i++) {
    const friend = await h.user(`Friend${i}`)
    await h.friends(ada, friend)
    await h.signOn(friend, regions[i % 10]!)
  }
  const stranger = await h.user('Stranger')
  await h.signOn(stranger, regions[0]!)
  h.clearSent()
  h.us.metrics.reset()
  await h.signOn(ada, home)
  const requests = await h.delivered()
  t.equal(requests.length, 10, 'ten regions, ten requests')
  t.same(new Set(requests.map((r) => r.url)), new Set(regions.map((r) => r.url)))
  const notices = noticesIn(requests)
  t.equal(notices.length, 50)
  t.ok(notices.every((n) => n.type === 'presence' && n.userId === ada.userId && n.status === 'online'))
  t.notOk(notices.some((n) => n.toUserId === stranger.userId), 'a stranger is not told')
  t.same(h.us.metrics.sent, { deliverNotices: 10 })
  t.same(h.us.metrics.received, { signOn: 1 })
})

t.test('GRIDIM-PRES-1, GRIDIM-PRES-2: the friend list shows online only where the friend grants CanSeeOnline', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada')
  const open = await h.user('Open')
  const hidden = await h.user('Hidden')
  await h.friends(ada, open, 1, 1)
  await h.friends(ada, hidden, 1, 2)
  await h.signOn(open, region)
  await h.signOn(hidden, region)
  h.clearSent()
  const body = await h.signOn(ada, region)
  t.same(body.friends.find((f: any) => f.userId === open.userId), { userId: open.userId, name: 'Open Tester', rightsGranted: 1, rightsReceived: 1, online: true })
  t.same(body.friends.find((f: any) => f.userId === hidden.userId), { userId: hidden.userId, name: 'Hidden Tester', rightsGranted: 1, rightsReceived: 2 })
})

t.test('GRIDIM-SIGN-7: pending friendship offers are notified to the user at sign-on, with the presence notices', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  const cy = await h.user('Cy')
  await h.friends(ada, cy)
  await h.signOn(cy, region)
  await h.store.createOffer({ offerId: crypto.randomUUID(), fromUserId: bob.userId, toUserId: ada.userId, message: 'hi', createdAt: 0 })
  h.clearSent()
  await h.signOn(ada, region)
  const requests = await h.delivered()
  t.equal(requests.length, 1, 'one region, one request')
  t.match(noticesIn(requests), [
    { type: 'presence', toUserId: cy.userId, userId: ada.userId, status: 'online' },
    { type: 'friendshipOffer', toUserId: ada.userId, fromUserId: bob.userId, fromName: 'Bob Tester', message: 'hi' }
  ])
})

t.test('GRIDIM-SIGN-8: a new sign-on replaces the old session; only the old region is told', async (t) => {
  const h = harness(t)
  const [first, second] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.friends(ada, bob)
  await h.signOn(bob, second)
  const old = await h.signOn(ada, first)
  h.clearSent()
  const fresh = await h.signOn(ada, second)
  t.not(fresh.sessionId, old.sessionId, 'GRIDIM-ID-3: a new session id')
  t.equal(await h.store.getSession(old.sessionId), null)
  const requests = await h.delivered()
  const toFirst = requests.filter((r) => r.url === first.url)
  t.equal(toFirst.length, 1)
  t.same(toFirst[0]!.body.notices.map((n: any) => [n.type, n.toUserId, n.userId, n.status]), [['presence', ada.userId, ada.userId, 'offline']])
  const toSecond = noticesIn(requests.filter((r) => r.url === second.url))
  t.notOk(toSecond.some((n) => n.status === 'offline'), 'friends see no offline flicker')
  t.ok(toSecond.some((n) => n.toUserId === bob.userId && n.status === 'online'))
})

t.test('signOn refusals change nothing', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const other = await h.region()
  const lapsed = await h.region({ lease: false })
  const ada = await h.user('Ada')
  const valid = { firstName: 'Ada', lastName: 'Tester', password: PASSWORD, regionId: region.regionId }
  const cases: Array<[string, () => Promise<Reply>, number, string]> = [
    ['schema-invalid body', () => h.signed(region, 'POST', '/sessions', { ...valid, firstName: 'A d a' }), 400, 'invalid-request'],
    ['extra member', () => h.signed(region, 'POST', '/sessions', { ...valid, extra: 1 }), 400, 'invalid-request'],
    ['not JSON', () => h.signed(region, 'POST', '/sessions', '{"firstName":'), 400, 'invalid-request'],
    ['unsigned', () => h.signed(null, 'POST', '/sessions', valid), 401, 'unauthenticated'],
    ['GRIDIM-SIGN-1: signed by another region', () => h.signed(other, 'POST', '/sessions', valid), 403, 'forbidden'],
    ['GRIDIM-LEASE-7: no current lease', () => h.signed(lapsed, 'POST', '/sessions', { ...valid, regionId: lapsed.regionId }), 409, 'lease-expired'],
    ['unknown key', () => h.signed({ regionId: crypto.randomUUID(), privateKey: region.privateKey }, 'POST', '/sessions', valid), 401, 'unknown-key'],
    ['wrong key', () => h.signed({ regionId: region.regionId, privateKey: other.privateKey }, 'POST', '/sessions', valid), 401, 'bad-signature']
  ]
  for (const [name, send, status, code] of cases) {
    const res = await send()
    t.equal(res.statusCode, status, name)
    t.equal(res.body.code, code, name)
  }
  t.equal(await h.store.getSessionByUser(ada.userId), null)
  t.same(await h.delivered(), [])
})

t.test('GRIDIM-SIGN-8, GRIDIM-SIGN-17: the earlier region\'s offline notice is never re-routed to the new region', async (t) => {
  const h = harness(t)
  const [first, second] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  await h.signOn(ada, first)
  h.respondWith(({ url, body }) => url === first.url ? { accepted: 0, notHere: body.notices.map((n: any) => n.toUserId) } : undefined)
  h.clearSent()
  await h.signOn(ada, second)
  const requests = await h.delivered()
  t.same(requests.map((r) => r.url), [first.url], 'nothing follows Ada to the region she signed on at')
})
