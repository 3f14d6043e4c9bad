import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { UserRow } from '../store.ts'
import { eachStore } from '../test-support.ts'

const user = (firstName: string, lastName: string): UserRow => ({
  userId: randomUUID(),
  firstName,
  lastName,
  passwordHash: `hash-${firstName}`,
  passwordSalt: `salt-${firstName}`,
  createdAt: 1_700_000_000_000,
})

eachStore(t, (t, fresh) => {
  t.test('a created user reads back exactly as given, by id and by name', async (t) => {
    const store = await fresh(t)
    const ann = user('Ann', 'Lee')
    t.equal(await store.createUser(ann), true)
    t.same(await store.getUser(ann.userId), ann)
    t.same(await store.findUserByName('Ann', 'Lee'), ann)
  })

  t.test('names are found ignoring case (GRIDIM-ID)', async (t) => {
    const store = await fresh(t)
    const ann = user('Ann', 'Lee')
    await store.createUser(ann)
    const cases: [string, string, boolean][] = [
      ['ann', 'lee', true],
      ['ANN', 'LEE', true],
      ['aNn', 'Lee', true],
      ['Ann', 'Le', false],
      ['Anna', 'Lee', false],
      ['Lee', 'Ann', false],
    ]
    for (const [first, last, found] of cases) {
      t.equal((await store.findUserByName(first, last))?.userId, found ? ann.userId : undefined, `${first} ${last}`)
    }
  })

  t.test('only ASCII letters are folded: names beyond ASCII match as written (SQLite NOCASE)', async (t) => {
    const store = await fresh(t)
    const emile = user('Émile', 'Ørsted')
    await store.createUser(emile)
    const cases: [string, string, boolean][] = [
      ['Émile', 'Ørsted', true],
      ['ÉMILE', 'ØRSTED', true],
      ['émile', 'Ørsted', false],
      ['Émile', 'ørsted', false],
    ]
    for (const [first, last, found] of cases) {
      t.equal((await store.findUserByName(first, last))?.userId, found ? emile.userId : undefined, `${first} ${last}`)
    }
    t.equal(await store.createUser(user('émile', 'Ørsted')), true, 'a name differing beyond ASCII is another name')
  })

  t.test('a name taken in any case is refused and nothing changes', async (t) => {
    const store = await fresh(t)
    const ann = user('Ann', 'Lee')
    await store.createUser(ann)
    const twin = user('ANN', 'lee')
    t.equal(await store.createUser(twin), false)
    t.equal(await store.getUser(twin.userId), null)
    t.equal(await store.createUser({ ...user('Other', 'Name'), userId: ann.userId }), false, 'a taken id too')
    t.same(await store.getUser(ann.userId), ann)
  })

  t.test('an unknown user is null', async (t) => {
    const store = await fresh(t)
    t.equal(await store.getUser(randomUUID()), null)
    t.equal(await store.findUserByName('No', 'Body'), null)
  })
})
