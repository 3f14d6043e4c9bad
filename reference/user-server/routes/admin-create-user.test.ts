import t from 'tap'
import { THROWAWAY_GRID_PASSWORD_COST, verifyPassword } from '../../store/index.ts'
import { expectRefusals, harness } from '../test-support.ts'

t.test('an operator creates a user; the password is kept only as a scrypt hash (GRIDIM-SEC-12)', async (t) => {
  const h = harness(t)
  const res = await h.admin('POST', '/admin/users', { firstName: 'Ada', lastName: 'Lovelace', password: 'analytical-engine' })
  t.equal(res.statusCode, 201)
  t.match(res.body, { firstName: 'Ada', lastName: 'Lovelace', name: 'Ada Lovelace', userId: /^[0-9a-f-]{36}$/ })
  const row = (await h.store.getUser(res.body.userId))!
  t.not(row.passwordHash, 'analytical-engine')
  t.ok(await verifyPassword('analytical-engine', row))
})

t.test('a throwaway grid\'s user server hashes and verifies at the cost it is given', async (t) => {
  const h = harness(t, { passwordCost: THROWAWAY_GRID_PASSWORD_COST })
  const region = await h.region()
  const res = await h.admin('POST', '/admin/users', { firstName: 'Ada', lastName: 'Lovelace', password: 'analytical-engine' })
  t.equal(res.statusCode, 201)
  const row = (await h.store.getUser(res.body.userId))!
  t.ok(await verifyPassword('analytical-engine', row, THROWAWAY_GRID_PASSWORD_COST))
  t.notOk(await verifyPassword('analytical-engine', row), 'not hashed at the interactive cost')
  const signOn = (password: string) => h.signed(region, 'POST', '/sessions', { firstName: 'Ada', lastName: 'Lovelace', password, regionId: region.regionId })
  t.equal((await signOn('analytical-engine')).statusCode, 201, 'signOn verifies at the same cost')
  t.equal((await signOn('difference-engine')).statusCode, 401, 'and still refuses a wrong password (GRIDIM-SIGN-2)')
})

t.test('adminCreateUser refusals', async (t) => {
  const h = harness(t)
  await h.user('Ada', 'Lovelace')
  await expectRefusals(t, h, [
    ['schema-invalid name', () => h.admin('POST', '/admin/users', { firstName: 'Ada Mary', lastName: 'Lovelace', password: 'x' }), 400, 'invalid-request'],
    ['missing password', () => h.admin('POST', '/admin/users', { firstName: 'Ada', lastName: 'Byron' }), 400, 'invalid-request'],
    ['GRIDIM-ID-7: name taken, ignoring case', () => h.admin('POST', '/admin/users', { firstName: 'ADA', lastName: 'lovelace', password: 'x' }), 400, 'invalid-request'],
    ['GRIDIM-SEC-11: no token', () => h.admin('POST', '/admin/users', { firstName: 'Bob', lastName: 'B', password: 'x' }, null), 401, 'unauthenticated'],
    ['GRIDIM-SEC-11: wrong token', () => h.admin('POST', '/admin/users', { firstName: 'Bob', lastName: 'B', password: 'x' }, 'guess'), 401, 'unauthenticated']
  ], () => h.store.findUserByName('Bob', 'B'))
})

t.test('a region signature is no admin token', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const res = await h.signed(region, 'POST', '/admin/users', { firstName: 'Bob', lastName: 'B', password: 'x' })
  t.equal(res.statusCode, 401)
  t.equal(res.body.code, 'unauthenticated')
})

t.test('an operator records a foreign user by bare JID: the id is derived from it, twice the same (GRIDIM-ID-10, -11)', async (t) => {
  const h = harness(t)
  const first = await h.admin('POST', '/admin/users', { jid: 'Dana@Jabber.Example' })
  t.equal(first.statusCode, 201)
  t.same(first.body, { userId: '450b764d-61db-5cf0-8034-05989740248e', name: 'dana@jabber.example' })
  const again = await h.admin('POST', '/admin/users', { jid: 'dana@jabber.example' })
  t.same(again.body, first.body)
  const atGateway = await h.admin('POST', '/admin/users', { jid: 'ada.lovelace@grid.example' })
  t.equal(atGateway.statusCode, 400)
  t.equal(atGateway.body.code, 'invalid-request')
  const both = await h.admin('POST', '/admin/users', { jid: 'x@y.example', firstName: 'Ada', lastName: 'B', password: 'x' })
  t.equal(both.statusCode, 400)
})
