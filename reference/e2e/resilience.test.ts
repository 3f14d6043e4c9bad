// End to end, separate processes: what users expect where the seed is silent — stale locations
// heal, messages to offline users wait for them, dead regions leave no ghosts, idle group
// sessions end, and a user-server restart loses nothing.
import t from 'tap'
import { is } from '../../conformance/lib/client-session.ts'
import { startProcessGrid } from './process-grid.ts'

const grid = await startProcessGrid({ regions: 3, leaseSeconds: 5, groupIdleSeconds: 2 })
t.teardown(() => grid.stop())

const friends = async (x: { userId: string }, y: { userId: string }) =>
  await grid.admin('adminCreateFriendship', { body: { userIds: [x.userId, y.userId], rights: { ab: 1, ba: 1 } } })

t.test('a stale location after a teleport heals: one fresh lookup, one retry, delivered', async (t) => {
  const [P, Q] = [await grid.createUser('Pia'), await grid.createUser('Quin')]
  await friends(P, Q)
  const p = await grid.login(P, 0)
  const q = await grid.login(Q, 1)
  await p.call('clientSendInstantMessage', { body: { toUserId: Q.userId, body: 'before' } })
  await q.waitFor(is.message(P.userId, 'before'), 10_000)
  // Q moves to region 3; region 1 still has Q cached at region 2.
  const moved = await q.call('clientTeleport', { body: { regionId: grid.regions[2]!.ready.regionId } })
  q.moveTo(moved.regionUrl)
  const sent = await p.call('clientSendInstantMessage', { body: { toUserId: Q.userId, body: 'after the teleport' } })
  t.equal(sent.outcome, 'delivered')
  await q.waitFor(is.message(P.userId, 'after the teleport'), 10_000, 'Q gets it at its new region')
})

t.test('a message to an offline user is stored and delivered at the next sign-on, then deleted', async (t) => {
  const [S, O] = [await grid.createUser('Sam'), await grid.createUser('Oli')]
  await friends(S, O)
  const s = await grid.login(S, 0)
  const sent = await s.call('clientSendInstantMessage', { body: { toUserId: O.userId, body: 'while you were out' } })
  t.equal(sent.outcome, 'stored')
  const stored = await grid.admin('adminListOfflineMessages', { params: { userId: O.userId } })
  t.equal(stored.messages.length, 1, 'the user server holds it')
  const o = await grid.login(O, 2)
  await o.waitFor(is.message(S.userId, 'while you were out'), 10_000, 'delivered at sign-on')
  const still = await grid.admin('adminListOfflineMessages', { params: { userId: O.userId } })
  t.equal(still.messages.length, 1, 'kept until the client has read past it (GRIDIM-OFFL-8)')
  await o.poll(0) // reading on from the cursor past the message is the acknowledgement
  const deadline = Date.now() + 10_000
  let left = still.messages.length
  while (left > 0 && Date.now() < deadline) {
    left = (await grid.admin('adminListOfflineMessages', { params: { userId: O.userId } })).messages.length
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, 100))
  }
  t.equal(left, 0, 'deleted once the region acknowledged it')
})

t.test('a killed region leaves no ghosts: its agents go offline when the lease lapses', async (t) => {
  const [K, W] = [await grid.createUser('Kit'), await grid.createUser('Wes')]
  await friends(K, W)
  const w = await grid.login(W, 0)
  await grid.login(K, 1)
  await w.waitFor(is.presence(K.userId, 'online'), 10_000)
  await grid.regions[1]!.kill()
  await w.waitFor(is.presence(K.userId, 'offline'), 15_000, 'W told K is offline after the lease lapsed')
  const k = await grid.admin('adminGetUser', { params: { userId: K.userId } })
  t.equal(k.online, false)
})

t.test('an idle group session times out and its members are told', async (t) => {
  const [G, H] = [await grid.createUser('Gus'), await grid.createUser('Hal')]
  await friends(G, H) // an ad-hoc session may include only the starter's friends (GRIDIM-GRP-4)
  const g = await grid.login(G, 0)
  const h = await grid.login(H, 2)
  const session = await g.call('clientStartGroupSession', { body: { participantIds: [H.userId] } })
  await h.waitFor((e) => e.type === 'groupSessionInvitation' && e.data.groupSessionId === session.groupSessionId, 10_000)
  await h.waitFor((e) => e.type === 'groupSessionClosed' && e.data.groupSessionId === session.groupSessionId, 15_000, 'closed for idleness')
  const late = await g.request('clientSendGroupMessage', { params: { groupSessionId: session.groupSessionId }, body: { body: 'too late' } }).catch((e: any) => e)
  t.equal(late.code, 'group-session-closed')
})

t.test('a user-server restart loses no friendship and no stored message', async (t) => {
  const [X, Y] = [await grid.createUser('Xan'), await grid.createUser('Yul')]
  await friends(X, Y)
  const x = await grid.login(X, 0)
  const sent = await x.call('clientSendInstantMessage', { body: { toUserId: Y.userId, body: 'kept across a restart' } })
  t.equal(sent.outcome, 'stored')
  await grid.restartUserServer()
  const y = await grid.login(Y, 2)
  t.ok(y.login.friends.some((f) => f.userId === X.userId), 'the friendship survived')
  await y.waitFor(is.message(X.userId, 'kept across a restart'), 10_000, 'the stored message survived')
})
