import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { UserRow } from '../store.ts'
import { memoryStore } from '../test-support.ts'

const user = (firstName: string, lastName: string): UserRow => ({
  userId: randomUUID(),
  firstName,
  lastName,
  passwordHash: `hash-${firstName}`,
  passwordSalt: `salt-${firstName}`,
  createdAt: 1_700_000_000_000,
})

t.test('a created user reads back exactly as given, by id and by name', (t) => {
  const store = memoryStore(t)
  const ann = user('Ann', 'Lee')
  t.equal(store.createUser(ann), true)
  t.same(store.getUser(ann.userId), ann)
  t.same(store.findUserByName('Ann', 'Lee'), ann)
  t.end()
})

t.test('names are found ignoring case (GRIDIM-ID)', (t) => {
  const store = memoryStore(t)
  const ann = user('Ann', 'Lee')
  store.createUser(ann)
  const cases: [string, string, boolean][] = [
    ['ann', 'lee', true],
    ['ANN', 'LEE', true],
    ['aNn', 'Lee', true],
    ['Ann', 'Le', false],
    ['Anna', 'Lee', false],
    ['Lee', 'Ann', false],
  ]
  for (const [first, last, found] of cases) {
    t.equal(store.findUserByName(first, last)?.userId, found ? ann.userId : undefined, `${first} ${last}`)
  }
  t.end()
})

t.test('a name taken in any case is refused and nothing changes', (t) => {
  const store = memoryStore(t)
  const ann = user('Ann', 'Lee')
  store.createUser(ann)
  const twin = user('ANN', 'lee')
  t.equal(store.createUser(twin), false)
  t.equal(store.getUser(twin.userId), null)
  t.equal(store.createUser({ ...user('Other', 'Name'), userId: ann.userId }), false, 'a taken id too')
  t.same(store.getUser(ann.userId), ann)
  t.end()
})

t.test('an unknown user is null', (t) => {
  const store = memoryStore(t)
  t.equal(store.getUser(randomUUID()), null)
  t.equal(store.findUserByName('No', 'Body'), null)
  t.end()
})
