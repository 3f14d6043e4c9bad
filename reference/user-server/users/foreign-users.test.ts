import t from 'tap'
import { openSqliteStore } from '../../store/index.ts'
import { foreignUser, foreignUserId, gridUserOfJid, isForeignUser, normaliseBareJid, uuidV5 } from './foreign-users.ts'

t.test('RFC 9562 §5.5: version 5 UUIDs match the known vector', async (t) => {
  // RFC 9562 Appendix A.4: namespace DNS, name "www.example.com".
  t.equal(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '2ed6657d-e927-568b-95e1-2665a8aea6a2')
})

t.test('GRIDIM-ID-10: a foreign user id is the v5 UUID of the normalised bare JID', async (t) => {
  t.equal(normaliseBareJid('Dana@Jabber.Example/phone'), 'dana@jabber.example')
  t.equal(foreignUserId('Dana@Jabber.Example/phone'), uuidV5('dana@jabber.example'))
  t.match(foreignUserId('dana@jabber.example'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
})

t.test('GRIDIM-ID-11: the foreign user is recorded on first use, once', async (t) => {
  const store = openSqliteStore(':memory:')
  t.teardown(() => store.close())
  const dana = await foreignUser(store, 'dana@jabber.example', 1)
  t.equal(dana.userId, foreignUserId('dana@jabber.example'))
  t.ok(isForeignUser(dana))
  t.same(await foreignUser(store, 'DANA@jabber.example', 2), dana)
})

t.test('GRIDIM-ID-9: a JID at the gateway domain names the grid user first.last, ignoring case', async (t) => {
  const store = openSqliteStore(':memory:')
  t.teardown(() => store.close())
  await store.createUser({ userId: crypto.randomUUID(), firstName: 'Ada', lastName: 'Lovelace', passwordHash: 'h', passwordSalt: 's', createdAt: 0 })
  t.equal((await gridUserOfJid(store, 'ADA.lovelace@grid.example', 'grid.example'))?.firstName, 'Ada')
  t.equal(await gridUserOfJid(store, 'ada.lovelace@other.example', 'grid.example'), null)
  t.equal(await gridUserOfJid(store, 'ada@grid.example', 'grid.example'), null)
  t.equal(await gridUserOfJid(store, 'grace.hopper@grid.example', 'grid.example'), null)
})
