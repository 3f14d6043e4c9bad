import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'
import { foreignUserId } from '../users/foreign-users.ts'

t.test('GRIDIM-ID-7: a name is found ignoring case and reported as created', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada', 'Lovelace')
  const res = await h.signed(region, 'GET', '/users?name=ADA%20lovelace')
  t.equal(res.statusCode, 200)
  t.same(res.body, { userId: ada.userId, name: 'Ada Lovelace', firstName: 'Ada', lastName: 'Lovelace' })
})

t.test('GRIDIM-ID-11: a JID at the gateway domain names the grid user', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada', 'Lovelace')
  const res = await h.signed(region, 'GET', '/users?jid=ada.lovelace%40GRID.example')
  t.equal(res.statusCode, 200)
  t.equal(res.body.userId, ada.userId)
  t.equal((await h.signed(region, 'GET', '/users?jid=grace.hopper%40grid.example')).body.code, 'unknown-user')
})

t.test('GRIDIM-ID-10, GRIDIM-ID-11: any other JID names a foreign user, recorded on first use', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const res = await h.signed(region, 'GET', '/users?jid=Dana%40Jabber.example')
  t.equal(res.statusCode, 200)
  t.same(res.body, { userId: foreignUserId('dana@jabber.example'), name: 'dana@jabber.example' })
  t.ok(await h.store.getUser(res.body.userId), 'recorded')
  t.same((await h.signed(region, 'GET', '/users?jid=dana%40jabber.example')).body, res.body, 'the same user again')
})

t.test('GRIDIM-XMPP-49: a user id gives the user back, a foreign user named by its JID', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada', 'Lovelace')
  const dana = (await h.signed(region, 'GET', '/users?jid=dana%40jabber.example')).body
  t.same((await h.signed(region, 'GET', `/users?userId=${dana.userId}`)).body, { userId: dana.userId, name: 'dana@jabber.example' })
  t.same((await h.signed(region, 'GET', `/users?userId=${ada.userId}`)).body, { userId: ada.userId, name: 'Ada Lovelace', firstName: 'Ada', lastName: 'Lovelace' })
})

t.test('lookupUser refusals', async (t) => {
  const h = harness(t)
  const region = await h.region()
  await expectRefusals(t, h, [
    ['neither name nor jid', () => h.signed(region, 'GET', '/users'), 400, 'invalid-request'],
    ['both name and jid', () => h.signed(region, 'GET', '/users?name=Ada%20Lovelace&jid=a%40b'), 400, 'invalid-request'],
    ['not First Last', () => h.signed(region, 'GET', '/users?name=Ada'), 400, 'invalid-request'],
    ['name and userId', () => h.signed(region, 'GET', `/users?name=Ada%20Lovelace&userId=${foreignUserId('a@b')}`), 400, 'invalid-request'],
    ['not a uuid', () => h.signed(region, 'GET', '/users?userId=nope'), 400, 'invalid-request'],
    ['unknown user id', () => h.signed(region, 'GET', `/users?userId=${foreignUserId('nobody@jabber.example')}`), 404, 'unknown-user'],
    ['not a bare JID', () => h.signed(region, 'GET', '/users?jid=ada'), 400, 'invalid-request'],
    ['unsigned', () => h.signed(null, 'GET', '/users?name=Ada%20Lovelace'), 401, 'unauthenticated'],
    ['unknown user', () => h.signed(region, 'GET', '/users?name=Ada%20Lovelace'), 404, 'unknown-user']
  ], () => h.store.listOnlineUsers([]))
})
