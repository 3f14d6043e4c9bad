import t from 'tap'
import { GridImError } from '../lib/errors/index.ts'
import { uuid } from './test-support.ts'
import { testRegion } from './test-region.ts'

const cydId = uuid()
const cydRow = (rightsGranted = 1) => ({ userId: cydId, name: 'Cyd Carter', rightsGranted, rightsReceived: 1, online: true })

t.test('chapter 10: client operations are relayed to the user server on the agent\'s behalf', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const offerId = uuid()
  const groupSessionId = uuid()
  const session = { groupSessionId, name: 'Compiler chat', members: [{ userId: ada.userId, name: 'Ada Lovelace' }], regions: [] }
  const answers: Record<string, unknown> = {
    lookupUser: { userId: cydId, name: 'Cyd Carter', firstName: 'Cyd', lastName: 'Carter' },
    listFriends: [cydRow()],
    offerFriendship: { offerId },
    acceptFriendshipOffer: cydRow(),
    declineFriendshipOffer: undefined,
    setFriendRights: cydRow(3),
    endFriendship: undefined,
    startGroupSession: session,
    sendGroupMessage: { messageId: uuid(), destinations: 1 },
    joinGroupSession: session,
    leaveGroupSession: undefined
  }
  for (const [op, answer] of Object.entries(answers)) g.handlers[op] = () => answer
  const messageId = uuid()
  const table: Array<[string, string, object | undefined, number, string, object]> = [
    ['GET', '/client/users?name=Cyd%20Carter', undefined, 200, 'lookupUser', { query: { name: 'Cyd Carter' } }],
    ['GET', '/client/friends', undefined, 200, 'listFriends', { params: { userId: ada.userId } }],
    ['POST', '/client/friendship-offers', { toUserId: cydId, message: 'Friends?' }, 201, 'offerFriendship', { body: { fromUserId: ada.userId, toUserId: cydId, message: 'Friends?' } }],
    ['POST', `/client/friendship-offers/${offerId}/accept`, undefined, 200, 'acceptFriendshipOffer', { params: { offerId }, body: { userId: ada.userId } }],
    ['POST', `/client/friendship-offers/${offerId}/decline`, undefined, 204, 'declineFriendshipOffer', { params: { offerId }, body: { userId: ada.userId } }],
    ['PUT', `/client/friends/${cydId}/rights`, { rights: 3 }, 200, 'setFriendRights', { params: { userId: ada.userId, friendId: cydId }, body: { rights: 3 } }],
    ['POST', '/client/group-sessions', { participantIds: [cydId], name: 'Compiler chat' }, 201, 'startGroupSession', { body: { startedBy: ada.userId, participantIds: [cydId], name: 'Compiler chat' } }],
    ['POST', `/client/group-sessions/${groupSessionId}/messages`, { body: 'Welcome', messageId }, 200, 'sendGroupMessage', { params: { groupSessionId }, body: { fromUserId: ada.userId, messageId, body: 'Welcome' } }],
    ['PUT', `/client/group-sessions/${groupSessionId}`, undefined, 200, 'joinGroupSession', { params: { groupSessionId, userId: ada.userId } }],
    ['DELETE', `/client/group-sessions/${groupSessionId}`, undefined, 204, 'leaveGroupSession', { params: { groupSessionId, userId: ada.userId } }],
    ['DELETE', `/client/friends/${cydId}`, undefined, 204, 'endFriendship', { params: { userId: ada.userId, friendId: cydId } }]
  ]
  for (const [method, path, body, status, op, options] of table) {
    const res = await g.asClient(ada.sessionSecret, method, path, body)
    t.equal(res.statusCode, status, `${method} ${path}`)
    t.match(g.peer.calls.at(-1), { operationId: op, options }, `${op} carries the agent`)
  }
  t.same(ada.friends, [], 'the ended friendship is gone from the friend list')
  t.equal(ada.seesOnline.get(cydId), false)
})

t.test('GRIDIM-CLI-3: a refusal by the user server reaches the client with the same code', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  g.handlers.setFriendRights = () => { throw new GridImError('not-friends', 'not friends') }
  const res = await g.asClient(ada.sessionSecret, 'PUT', `/client/friends/${cydId}/rights`, { rights: 1 })
  t.equal(res.statusCode, 404)
  t.equal(JSON.parse(res.payload).code, 'not-friends')
  g.handlers.sendGroupMessage = () => { throw new GridImError('group-session-closed') }
  const closed = await g.asClient(ada.sessionSecret, 'POST', `/client/group-sessions/${uuid()}/messages`, { body: 'anyone?' })
  t.equal(closed.statusCode, 410)
  t.equal(ada.log.size, 0, 'GRIDIM-CLI-29: a group message that fails leaves no deliveryFailed event')
  g.handlers.joinGroupSession = () => { throw new GridImError('not-a-member') }
  const refused = await g.asClient(ada.sessionSecret, 'PUT', `/client/group-sessions/${uuid()}`)
  t.equal(refused.statusCode, 403, 'GRIDIM-GRP-24: a join the user server refuses is refused with its code')
  t.equal(JSON.parse(refused.payload).code, 'not-a-member')
})

t.test('GRIDIM-FRND-4, GRIDIM-GRP-5: a pending offer or an open session is answered 200, as the user server says', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  g.handlers.offerFriendship = () => ({ offerId: uuid() })
  g.peer.statuses.offerFriendship = 200
  const res = await g.asClient(ada.sessionSecret, 'POST', '/client/friendship-offers', { toUserId: cydId })
  t.equal(res.statusCode, 200)
  g.handlers.startGroupSession = () => ({ groupSessionId: uuid(), name: 'Analysts', groupId: uuid(), members: [{ userId: ada.userId, name: 'Ada Lovelace' }], regions: [] })
  g.peer.statuses.startGroupSession = 200
  const open = await g.asClient(ada.sessionSecret, 'POST', '/client/group-sessions', { groupId: uuid() })
  t.equal(open.statusCode, 200)
})

t.test('GRIDIM-PRES-5: a client is told a group session without the regions that host its members', async (t) => {
  const otherRegion = uuid()
  const session = (regionId: string) => ({
    groupSessionId: uuid(),
    name: 'Analysts',
    groupId: uuid(),
    members: [{ userId: cydId, name: 'Cyd Carter' }],
    regions: [{ regionId, userIds: [cydId] }]
  })
  const g = await testRegion(t)
  const ada = g.admit()
  const started = session(otherRegion)
  g.handlers.startGroupSession = () => started
  const start = await g.asClient(ada.sessionSecret, 'POST', '/client/group-sessions', { groupId: started.groupId })
  t.equal(start.statusCode, 201)
  t.same(JSON.parse(start.payload), { groupSessionId: started.groupSessionId, name: 'Analysts', groupId: started.groupId, members: started.members }, 'id, name, group and members; no regions')
  g.handlers.joinGroupSession = () => session(otherRegion)
  const join = await g.asClient(ada.sessionSecret, 'PUT', `/client/group-sessions/${started.groupSessionId}`)
  t.equal(join.statusCode, 200)
  t.notOk('regions' in JSON.parse(join.payload), 'a join is answered without regions too')

  // The fault: the user server's answer passes through, regions and all.
  const faulty = await testRegion(t, { faults: new Set(['group-session-regions-to-client']) })
  const bea = faulty.admit()
  faulty.handlers.joinGroupSession = () => session(otherRegion)
  const leaked = await faulty.asClient(bea.sessionSecret, 'PUT', `/client/group-sessions/${uuid()}`)
  t.same(JSON.parse(leaked.payload).regions, [{ regionId: otherRegion, userIds: [cydId] }], 'the faulty region tells where Cyd is')
})

t.test('group messages and lookups are checked before anything is relayed', async (t) => {
  const g = await testRegion(t)
  const ada = g.admit()
  const long = await g.asClient(ada.sessionSecret, 'POST', `/client/group-sessions/${uuid()}/messages`, { body: '€'.repeat(400) })
  t.equal(JSON.parse(long.payload).code, 'message-too-long')
  const note = await g.asClient(ada.sessionSecret, 'POST', '/client/friendship-offers', { toUserId: cydId, message: 'n'.repeat(1024) })
  t.equal(JSON.parse(note.payload).code, 'message-too-long', 'GRIDIM-LIM-2: an offer note too')
  const both = await g.asClient(ada.sessionSecret, 'POST', '/client/group-sessions', { groupId: uuid(), participantIds: [cydId] })
  t.equal(both.statusCode, 400, 'exactly one of groupId and participantIds')
  const badName = await g.asClient(ada.sessionSecret, 'GET', '/client/users?name=Cyd')
  t.equal(badName.statusCode, 400)
  t.equal(g.peer.calls.length, 0)
})
