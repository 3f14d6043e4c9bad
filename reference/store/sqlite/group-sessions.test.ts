import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { NewGroupSession, Store } from '../store.ts'
import { addUser, memoryStore } from '../test-support.ts'

const start = (store: Store, memberIds: string[], createdAt = 100, groupId: string | null = null): NewGroupSession => {
  const session = { groupSessionId: randomUUID(), name: 'Chat', groupId, startedBy: memberIds[0]!, memberIds, createdAt }
  store.createGroupSession(session)
  return session
}

t.test('a started session is open, active since its creation, with its members (GRIDIM-GRP)', (t) => {
  const store = memoryStore(t)
  const [ann, bob] = [addUser(store, 'Ann'), addUser(store, 'Bob')]
  const s = start(store, [ann, bob, ann])
  t.same(store.getGroupSession(s.groupSessionId), {
    groupSessionId: s.groupSessionId,
    name: 'Chat',
    groupId: null,
    startedBy: ann,
    createdAt: 100,
    lastActivityAt: 100,
    closedAt: null,
    closeReason: null,
  })
  t.same(store.listMembers(s.groupSessionId), { members: [ann, bob], left: [] })
  t.end()
})

t.test('a session can belong to a group', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const groupId = randomUUID()
  store.createGroup({ groupId, name: 'Builders', memberIds: [ann] })
  const s = start(store, [ann], 1, groupId)
  t.equal(store.getGroupSession(s.groupSessionId)?.groupId, groupId)
  t.throws(() => start(store, [ann], 1, randomUUID()), 'an unknown group breaks a foreign key')
  t.end()
})

t.test('members leave, are listed apart, and may rejoin', (t) => {
  const store = memoryStore(t)
  const [ann, bob, cat] = ['Ann', 'Bob', 'Cat'].map((n) => addUser(store, n)) as [string, string, string]
  const { groupSessionId: id } = start(store, [ann, bob])
  const steps: [string, () => boolean, boolean, string[], string[]][] = [
    ['bob leaves', () => store.removeMember(id, bob), true, [ann], [bob]],
    ['bob leaves again', () => store.removeMember(id, bob), false, [ann], [bob]],
    ['cat never joined', () => store.removeMember(id, cat), false, [ann], [bob]],
    ['cat joins', () => store.addMember(id, cat), true, [ann, cat], [bob]],
    ['cat joins again', () => store.addMember(id, cat), false, [ann, cat], [bob]],
    ['bob rejoins', () => store.addMember(id, bob), true, [ann, bob, cat], []],
  ]
  for (const [name, act, changed, members, left] of steps) {
    t.equal(act(), changed, name)
    t.same(store.listMembers(id), { members, left }, `${name}: membership`)
  }
  t.end()
})

t.test('idle sessions are those open with no activity since the cut-off', (t) => {
  const store = memoryStore(t)
  const ann = addUser(store, 'Ann')
  const quiet = start(store, [ann], 100)
  const busy = start(store, [ann], 100)
  const closed = start(store, [ann], 100)
  store.touch(busy.groupSessionId, 500)
  store.touch(busy.groupSessionId, 400)
  t.equal(store.getGroupSession(busy.groupSessionId)?.lastActivityAt, 500, 'activity never moves back')
  t.equal(store.closeGroupSession(closed.groupSessionId, 'ended', 150), true)

  const cases: [number, string[]][] = [
    [100, []],
    [101, [quiet.groupSessionId]],
    [1000, [quiet.groupSessionId, busy.groupSessionId]],
  ]
  for (const [olderThan, ids] of cases) {
    t.same(store.listIdleGroupSessions(olderThan).map((s) => s.groupSessionId).sort(), ids.sort(), `older than ${olderThan}`)
  }
  t.end()
})

t.test('a session closes once and keeps its reason', (t) => {
  const store = memoryStore(t)
  const s = start(store, [addUser(store, 'Ann')])
  t.equal(store.closeGroupSession(s.groupSessionId, 'idle', 700), true)
  t.equal(store.closeGroupSession(s.groupSessionId, 'ended', 800), false)
  t.match(store.getGroupSession(s.groupSessionId), { closedAt: 700, closeReason: 'idle' })
  t.equal(store.closeGroupSession(randomUUID(), 'idle', 1), false)
  t.equal(store.getGroupSession(randomUUID()), null)
  t.end()
})
