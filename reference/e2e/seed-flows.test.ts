// End to end, separate processes, real signed HTTP: the seed's flows 1–3 and 9, and the grid's parts
// of 5–8 and 12 (05-everyone-online … 08-a-signs-on-again, 12-b-opens-group-session; D's parts,
// 05x- … 12x-, need a gateway). A on region 1, B on region 2, C on region 3; A–B and A–C
// friends, B and C not.
import t from 'tap'
import { is, type ClientSession } from '../../conformance/lib/client-session.ts'
import { startProcessGrid } from './process-grid.ts'

const grid = await startProcessGrid({ regions: 3 })
t.teardown(() => grid.stop())

const [A, B, C] = [await grid.createUser('Ann'), await grid.createUser('Ben'), await grid.createUser('Cal')]
await grid.admin('adminCreateFriendship', { body: { userIds: [A.userId, B.userId], rights: { ab: 1, ba: 1 } } })
await grid.admin('adminCreateFriendship', { body: { userIds: [A.userId, C.userId], rights: { ab: 1, ba: 1 } } })
const group = await grid.admin('adminCreateGroup', { body: { name: 'Seed group', memberIds: [A.userId, B.userId, C.userId] } })

let a: ClientSession, b: ClientSession, c: ClientSession, a2: ClientSession

t.test('flow 1: A signs on and nobody is told, because no friend is online', async (t) => {
  a = await grid.login(A, 0)
  const user = await grid.admin('adminGetUser', { params: { userId: A.userId } })
  t.equal(user.online, true)
  t.same(a.login.friends.filter((f) => f.online), [], 'no friend online in the sign-on answer')
})

t.test('flow 2: B signs on; B learns A is online and A learns B is online', async (t) => {
  b = await grid.login(B, 1)
  t.ok(b.login.friends.some((f) => f.userId === A.userId && f.online === true), 'B\'s sign-on answer lists A online')
  await a.waitFor(is.presence(B.userId, 'online'), 10_000, 'A told B is online')
})

t.test('flow 3: C signs on; A and C learn of each other, and B never learns of C', async (t) => {
  c = await grid.login(C, 2)
  t.ok(c.login.friends.some((f) => f.userId === A.userId && f.online === true))
  await a.waitFor(is.presence(C.userId, 'online'), 10_000, 'A told C is online')
  await b.poll(0)
  t.same(b.seen(is.presenceAbout(C.userId)), [], 'B saw nothing about C')
})

t.test('flow 5: A, B and C are online, and each knows exactly the presence its rights allow', async (t) => {
  for (const user of [A, B, C]) t.equal((await grid.admin('adminGetUser', { params: { userId: user.userId } })).online, true, `${user.firstName} online`)
  const friendsOnline = async (s: ClientSession) => (await s.call('clientListFriends'))
    .filter((f) => f.online).map((f) => f.userId).sort()
  t.same(await friendsOnline(a), [B.userId, C.userId].sort(), 'A sees B and C')
  t.same(await friendsOnline(b), [A.userId], 'B sees only A')
  t.same(await friendsOnline(c), [A.userId], 'C sees only A')
})

t.test('flow 6: A signs off; B and C are told, each through its own region', async (t) => {
  await a.call('clientLogout')
  await b.waitFor(is.presence(A.userId, 'offline'), 10_000, 'B told A is offline')
  await c.waitFor(is.presence(A.userId, 'offline'), 10_000, 'C told A is offline')
})

t.test('flow 7: A is offline everywhere, and B still knows nothing of C', async (t) => {
  t.equal((await grid.admin('adminGetUser', { params: { userId: A.userId } })).online, false, 'A is offline at the user server')
  t.equal((await b.call('clientListFriends')).find((f) => f.userId === A.userId)?.online, false, 'B\'s friend list shows A offline')
  await b.poll(0)
  t.same(b.seen(is.presenceAbout(C.userId)), [], 'B still knows nothing of C')
})

t.test('flow 8: A signs on again; B and C see A online again', async (t) => {
  // Only presence that came after the offline notice of flow 6 counts.
  const [bMark, cMark] = [b.events.length, c.events.length]
  a2 = await grid.login(A, 0)
  const onlineAfter = (mark: number, session: ClientSession) => (e: any) => session.events.indexOf(e) >= mark && is.presence(A.userId, 'online')(e)
  await b.waitFor(onlineAfter(bMark, b), 10_000, 'B told A is online again')
  await c.waitFor(onlineAfter(cMark, c), 10_000, 'C told A is online again')
  t.equal(a2.login.friends.filter((f) => f.online).length, 2, 'A\'s sign-on answer lists B and C online')
})

t.test('flow 9: A sends B a message, region to region, and B receives it once', async (t) => {
  const sent = await a2.call('clientSendInstantMessage', { body: { toUserId: B.userId, body: 'Hello B, from region 1' } })
  t.equal(sent.outcome, 'delivered')
  const got = await b.waitFor(is.message(A.userId, 'Hello B, from region 1'), 10_000, 'B gets the message')
  t.equal(got.data.messageId, sent.messageId, 'the message id is kept end to end')
  // The same message id again is a retry: delivered at most once.
  const again = await a2.call('clientSendInstantMessage', { body: { toUserId: B.userId, body: 'Hello B, from region 1', messageId: sent.messageId } })
  t.equal(again.messageId, sent.messageId)
  await b.poll(0)
  t.equal(b.seen(is.message(A.userId, 'Hello B, from region 1')).length, 1, 'no duplicate')
})

t.test('flow 12, grid side: B opens a group session; A and C are invited and receive B\'s message', async (t) => {
  const session = await b.call('clientStartGroupSession', { body: { groupId: group.groupId } })
  const id = session.groupSessionId
  await a2.waitFor((e) => e.type === 'groupSessionInvitation' && e.data.groupSessionId === id, 10_000, 'A invited')
  await c.waitFor((e) => e.type === 'groupSessionInvitation' && e.data.groupSessionId === id, 10_000, 'C invited')
  await b.call('clientSendGroupMessage', { params: { groupSessionId: id }, body: { body: 'Hello group' } })
  await a2.waitFor(is.groupMessage(id, 'Hello group'), 10_000, 'A gets the group message')
  await c.waitFor(is.groupMessage(id, 'Hello group'), 10_000, 'C gets the group message')
})
