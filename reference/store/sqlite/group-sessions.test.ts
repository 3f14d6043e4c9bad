import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { NewGroupSession, Store } from '../store.ts'
import { addUser, addUsers, eachStore } from '../test-support.ts'

const start = async (store: Store, memberIds: string[], createdAt = 100, groupId: string | null = null): Promise<NewGroupSession> => {
  const session = { groupSessionId: randomUUID(), name: 'Chat', groupId, startedBy: memberIds[0]!, memberIds, createdAt }
  await store.createGroupSession(session)
  return session
}

eachStore(t, (t, fresh) => {
  t.test('closeGroupSession with idleSince closes only a session still idle since before it', async (t) => {
    const store = await fresh(t)
    const session = await start(store, await addUsers(store, 'Ida', 'Ike'), 100)
    await store.touch(session.groupSessionId, 500)
    t.equal(await store.closeGroupSession(session.groupSessionId, 'idle', 600, 400), false, 'active at 500, after the sweeper\'s 400: left open')
    t.equal((await store.getGroupSession(session.groupSessionId))?.closedAt, null)
    t.equal(await store.closeGroupSession(session.groupSessionId, 'idle', 700, 501), true)
    t.equal(await store.closeGroupSession(session.groupSessionId, 'ended', 800), false, 'closed once')
  })

  t.test('a started session is open, active since its creation, with its members (GRIDIM-GRP)', async (t) => {
    const store = await fresh(t)
    const [ann, bob] = [await addUser(store, 'Ann'), await addUser(store, 'Bob')]
    const s = await start(store, [ann, bob, ann])
    t.same(await store.getGroupSession(s.groupSessionId), {
      groupSessionId: s.groupSessionId,
      name: 'Chat',
      groupId: null,
      startedBy: ann,
      createdAt: 100,
      lastActivityAt: 100,
      closedAt: null,
      closeReason: null,
    })
    t.same(await store.listMembers(s.groupSessionId), { members: [ann, bob], left: [] })
  })

  t.test('a session can belong to a group', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const groupId = randomUUID()
    await store.createGroup({ groupId, name: 'Builders', memberIds: [ann] })
    const s = await start(store, [ann], 1, groupId)
    t.equal((await store.getGroupSession(s.groupSessionId))?.groupId, groupId)
    await t.rejects(start(store, [ann], 1, randomUUID()), 'an unknown group breaks a foreign key')
  })

  t.test('members leave, are listed apart, and may rejoin', async (t) => {
    const store = await fresh(t)
    const [ann, bob, cat] = await addUsers(store, 'Ann', 'Bob', 'Cat') as [string, string, string]
    const { groupSessionId: id } = await start(store, [ann, bob])
    const steps: [string, () => Promise<boolean>, boolean, string[], string[]][] = [
      ['bob leaves', () => store.removeMember(id, bob), true, [ann], [bob]],
      ['bob leaves again', () => store.removeMember(id, bob), false, [ann], [bob]],
      ['cat never joined', () => store.removeMember(id, cat), false, [ann], [bob]],
      ['cat joins', () => store.addMember(id, cat), true, [ann, cat], [bob]],
      ['cat joins again', () => store.addMember(id, cat), false, [ann, cat], [bob]],
      ['bob rejoins', () => store.addMember(id, bob), true, [ann, bob, cat], []],
    ]
    for (const [name, act, changed, members, left] of steps) {
      t.equal(await act(), changed, name)
      t.same(await store.listMembers(id), { members, left }, `${name}: membership`)
    }
  })

  t.test('idle sessions are those open with no activity since the cut-off', async (t) => {
    const store = await fresh(t)
    const ann = await addUser(store, 'Ann')
    const quiet = await start(store, [ann], 100)
    const busy = await start(store, [ann], 100)
    const closed = await start(store, [ann], 100)
    await store.touch(busy.groupSessionId, 500)
    await store.touch(busy.groupSessionId, 400)
    t.equal((await store.getGroupSession(busy.groupSessionId))?.lastActivityAt, 500, 'activity never moves back')
    t.equal(await store.closeGroupSession(closed.groupSessionId, 'ended', 150), true)

    const cases: [number, string[]][] = [
      [100, []],
      [101, [quiet.groupSessionId]],
      [1000, [quiet.groupSessionId, busy.groupSessionId]],
    ]
    for (const [olderThan, ids] of cases) {
      t.same((await store.listIdleGroupSessions(olderThan)).map((s) => s.groupSessionId).sort(), ids.sort(), `older than ${olderThan}`)
    }
  })

  t.test('a session closes once and keeps its reason', async (t) => {
    const store = await fresh(t)
    const s = await start(store, [await addUser(store, 'Ann')])
    t.equal(await store.closeGroupSession(s.groupSessionId, 'idle', 700), true)
    t.equal(await store.closeGroupSession(s.groupSessionId, 'ended', 800), false)
    t.match(await store.getGroupSession(s.groupSessionId), { closedAt: 700, closeReason: 'idle' })
    t.equal(await store.closeGroupSession(randomUUID(), 'idle', 1), false)
    t.equal(await store.getGroupSession(randomUUID()), null)
  })
})
