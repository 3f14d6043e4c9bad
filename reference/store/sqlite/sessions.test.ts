import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { SessionRow, Store } from '../store.ts'
import { addRegion, addUser, memoryStore } from '../test-support.ts'

const signOn = (store: Store, userId: string, regionId: string, startedAt = 1): [SessionRow, SessionRow | null] => {
  const session = { sessionId: randomUUID(), userId, secretHash: `h-${startedAt}`, regionId, startedAt }
  return [session, store.createSession(session)]
}

t.test('a session reads back by id and by user', (t) => {
  const store = memoryStore(t)
  const [session, replaced] = signOn(store, addUser(store, 'Ann'), addRegion(store, 'Ahern'))
  t.equal(replaced, null)
  t.same(store.getSession(session.sessionId), session)
  t.same(store.getSessionByUser(session.userId), session)
  t.end()
})

t.test('a user has one session: a new sign-on replaces the old one and returns it (GRIDIM-SIGN)', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const [first] = signOn(store, ann, addRegion(store, 'Ahern'), 1)
  const [second, replaced] = signOn(store, ann, addRegion(store, 'Babbage'), 2)
  t.same(replaced, first)
  t.equal(store.getSession(first.sessionId), null)
  t.same(store.getSessionByUser(ann), second)
  t.end()
})

t.test('moving a session changes only its region', (t) => {
  const store = memoryStore(t)
  const [session] = signOn(store, addUser(store, 'Ann'), addRegion(store, 'Ahern'))
  const target = addRegion(store, 'Babbage')
  t.same(store.moveSession(session.sessionId, target), { ...session, regionId: target })
  t.equal(store.moveSession(randomUUID(), target), null)
  t.throws(() => store.moveSession(session.sessionId, randomUUID()), 'an unknown region breaks a foreign key')
  t.end()
})

t.test('ending a session returns it once', (t) => {
  const store = memoryStore(t)
  const [session] = signOn(store, addUser(store, 'Ann'), addRegion(store, 'Ahern'))
  t.same(store.endSession(session.sessionId), session)
  t.equal(store.endSession(session.sessionId), null)
  t.equal(store.getSessionByUser(session.userId), null)
  t.end()
})

t.test('endSessionsAtRegion ends exactly that region\'s sessions', (t) => {
  const store = memoryStore(t)
  const dying = addRegion(store, 'Dying')
  const healthy = addRegion(store, 'Healthy')
  const onDying = ['Ann', 'Bob'].map((name) => signOn(store, addUser(store, name), dying)[0])
  const [elsewhere] = signOn(store, addUser(store, 'Cat'), healthy)

  const ended = store.endSessionsAtRegion(dying)
  t.same(
    ended.map((s) => s.sessionId).sort(),
    onDying.map((s) => s.sessionId).sort(),
  )
  t.same(store.endSessionsAtRegion(dying), [], 'nothing left to end')
  t.same(store.getSession(elsewhere.sessionId), elsewhere)
  t.end()
})

t.test('listOnlineUsers returns the sessions of the online ones among the given users', (t) => {
  const store = memoryStore(t)
  const region = addRegion(store, 'Ahern')
  const [ann, bob, cat] = ['Ann', 'Bob', 'Cat'].map((name) => addUser(store, name)) as [string, string, string]
  signOn(store, ann, region)
  signOn(store, cat, region)
  signOn(store, addUser(store, 'Dan'), region)

  const cases: [string, string[], string[]][] = [
    ['none asked', [], []],
    ['one offline', [bob], []],
    ['mixed', [ann, bob, cat, randomUUID()], [ann, cat]],
    ['repeated ids', [ann, ann], [ann]],
  ]
  for (const [name, asked, online] of cases) {
    t.same(store.listOnlineUsers(asked).map((s) => s.userId).sort(), online.sort(), name)
  }
  t.end()
})

t.test('a failed transaction leaves the replaced session in place', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const region = addRegion(store, 'Ahern')
  const [first] = signOn(store, ann, region)
  t.throws(() =>
    store.transaction(() => {
      signOn(store, ann, region, 2)
      throw new Error('notices could not be queued')
    }),
  )
  t.same(store.getSessionByUser(ann), first)
  t.end()
})

t.test('GRIDIM-OFFL-12: every region a session was placed at is kept after it ends, until purged', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const [ahern, babbage] = [addRegion(store, 'Ahern'), addRegion(store, 'Babbage')]
  const [session] = signOn(store, ann, ahern, 5)
  store.moveSession(session.sessionId, babbage)
  store.moveSession(session.sessionId, ahern)
  t.equal(store.moveSession('no-such-session', babbage), null)
  t.same(store.listPlacements(session.sessionId).map((p) => p.regionId).sort(), [ahern, babbage].sort(), 'each region once')
  t.same(store.listPlacements(session.sessionId)[0], { sessionId: session.sessionId, regionId: store.listPlacements(session.sessionId)[0]!.regionId, userId: ann, placedAt: 5 })
  t.equal(store.purgePlacements(10), 0, 'not while the session lasts')
  store.endSession(session.sessionId)
  t.equal(store.listPlacements(session.sessionId).length, 2, 'kept after the end')
  t.equal(store.purgePlacements(5), 0, 'not before the cut-off')
  t.equal(store.purgePlacements(10), 2)
  t.same(store.listPlacements(session.sessionId), [])
  t.end()
})
