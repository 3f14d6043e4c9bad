import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { SessionRow, Store } from '../store.ts'
import { addRegion, addUser, addUsers, eachStore } from '../test-support.ts'

const signOn = async (store: Store, userId: string, regionId: string, startedAt = 1): Promise<[SessionRow, SessionRow | null]> => {
  const session = { sessionId: randomUUID(), userId, secretHash: `h-${startedAt}`, regionId, startedAt }
  return [session, await store.createSession(session)]
}

eachStore(t, (t, fresh) => {
  t.test('a session reads back by id and by user', async (t) => {
    const store = await fresh(t)
    const [session, replaced] = await signOn(store, await addUser(store, 'Ann'), await addRegion(store, 'Ahern'))
    t.equal(replaced, null)
    t.same(await store.getSession(session.sessionId), session)
    t.same(await store.getSessionByUser(session.userId), session)
  })

  t.test('a user has one session: a new sign-on replaces the old one and returns it (GRIDIM-SIGN)', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const [first] = await signOn(store, ann, await addRegion(store, 'Ahern'), 1)
    const [second, replaced] = await signOn(store, ann, await addRegion(store, 'Babbage'), 2)
    t.same(replaced, first)
    t.equal(await store.getSession(first.sessionId), null)
    t.same(await store.getSessionByUser(ann), second)
  })

  t.test('moving a session changes only its region', async (t) => {
    const store = await fresh(t)
    const [session] = await signOn(store, await addUser(store, 'Ann'), await addRegion(store, 'Ahern'))
    const target = await addRegion(store, 'Babbage')
    t.same(await store.moveSession(session.sessionId, target), { ...session, regionId: target })
    t.equal(await store.moveSession(randomUUID(), target), null)
    await t.rejects(store.moveSession(session.sessionId, randomUUID()), 'an unknown region breaks a foreign key')
  })

  t.test('ending a session returns it once', async (t) => {
    const store = await fresh(t)
    const [session] = await signOn(store, await addUser(store, 'Ann'), await addRegion(store, 'Ahern'))
    t.same(await store.endSession(session.sessionId), session)
    t.equal(await store.endSession(session.sessionId), null)
    t.equal(await store.getSessionByUser(session.userId), null)
  })

  t.test('endSessionsAtRegion ends exactly that region\'s sessions', async (t) => {
    const store = await fresh(t)
    const dying = await addRegion(store, 'Dying')
    const healthy = await addRegion(store, 'Healthy')
    const onDying = [(await signOn(store, await addUser(store, 'Ann'), dying))[0], (await signOn(store, await addUser(store, 'Bob'), dying))[0]]
    const [elsewhere] = await signOn(store, await addUser(store, 'Cat'), healthy)

    const ended = await store.endSessionsAtRegion(dying)
    t.same(
      ended.map((s) => s.sessionId).sort(),
      onDying.map((s) => s.sessionId).sort(),
    )
    t.same(await store.endSessionsAtRegion(dying), [], 'nothing left to end')
    t.same(await store.getSession(elsewhere.sessionId), elsewhere)
  })

  t.test('listOnlineUsers returns the sessions of the online ones among the given users', async (t) => {
    const store = await fresh(t)
    const region = await addRegion(store, 'Ahern')
    const [ann, bob, cat] = await addUsers(store, 'Ann', 'Bob', 'Cat') as [string, string, string]
    await signOn(store, ann, region)
    await signOn(store, cat, region)
    await signOn(store, await addUser(store, 'Dan'), region)

    const cases: [string, string[], string[]][] = [
      ['none asked', [], []],
      ['one offline', [bob], []],
      ['mixed', [ann, bob, cat, randomUUID()], [ann, cat]],
      ['repeated ids', [ann, ann], [ann]],
    ]
    for (const [name, asked, online] of cases) {
      t.same((await store.listOnlineUsers(asked)).map((s) => s.userId).sort(), online.sort(), name)
    }
  })

  t.test('a failed transaction leaves the replaced session in place', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const region = await addRegion(store, 'Ahern')
    const [first] = await signOn(store, ann, region)
    await t.rejects(store.transaction(async (tx) => {
      await signOn(tx, ann, region, 2)
      throw new Error('notices could not be queued')
    }), /notices could not be queued/)
    t.same(await store.getSessionByUser(ann), first)
  })

  t.test('GRIDIM-OFFL-12: every region a session was placed at is kept after it ends, until purged', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const [ahern, babbage] = [await addRegion(store, 'Ahern'), await addRegion(store, 'Babbage')]
    const [session] = await signOn(store, ann, ahern, 5)
    await store.moveSession(session.sessionId, babbage)
    await store.moveSession(session.sessionId, ahern)
    t.equal(await store.moveSession('no-such-session', babbage), null)
    t.same((await store.listPlacements(session.sessionId)).map((p) => p.regionId).sort(), [ahern, babbage].sort(), 'each region once')
    t.same((await store.listPlacements(session.sessionId))[0], { sessionId: session.sessionId, regionId: (await store.listPlacements(session.sessionId))[0]!.regionId, userId: ann, placedAt: 5 })
    t.equal(await store.purgePlacements(10), 0, 'not while the session lasts')
    await store.endSession(session.sessionId)
    t.equal((await store.listPlacements(session.sessionId)).length, 2, 'kept after the end')
    t.equal(await store.purgePlacements(5), 0, 'not before the cut-off')
    t.equal(await store.purgePlacements(10), 2)
    t.same(await store.listPlacements(session.sessionId), [])
  })
})
