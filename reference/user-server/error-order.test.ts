// GRIDIM-ERR-7: of several faults, every implementation reports the same one — authentication,
// then the lease, then the request's shape, then existence, then authority, then state.
import t from 'tap'
import { harness } from './test-support.ts'

t.test('GRIDIM-ERR-7: the first fault in the order of chapter 14 decides the code', async (t) => {
  const h = harness(t)
  const [home, other] = [await h.region(), await h.region()]
  const lapsed = await h.region({ lease: false })
  const [ada, bob, cy] = await Promise.all(['Ada', 'Bob', 'Cy'].map((n) => h.user(n)))
  await h.friends(ada, bob)
  await h.signOn(ada, home)
  const { sessionId } = await h.signOn(cy, other)
  const cases: Array<[string, () => ReturnType<typeof h.signed>, string]> = [
    ['GRIDIM-LIM-3: the body size before everything', () => h.signed(null, 'POST', '/friendship-offers', { padding: 'x'.repeat(70_000) }), 'body-too-large'],
    ['a bad signature before a lapsed lease', () => h.signed({ regionId: lapsed.regionId, privateKey: home.privateKey }, 'POST', '/friendship-offers', {}), 'bad-signature'],
    ['the lease before the shape', () => h.signed(lapsed, 'POST', '/friendship-offers', { nonsense: true }), 'lease-expired'],
    ['the shape before existence', () => h.signed(home, 'PUT', `/sessions/${crypto.randomUUID()}/location`, { regionId: 'x' }), 'invalid-request'],
    ['a too-long body before existence', () => h.signed(home, 'POST', `/group-sessions/${crypto.randomUUID()}/messages`, { fromUserId: ada.userId, messageId: crypto.randomUUID(), body: 'ü'.repeat(600) }), 'message-too-long'],
    ['an offer to oneself before authority', () => h.signed(other, 'POST', '/friendship-offers', { fromUserId: ada.userId, toUserId: ada.userId }), 'invalid-request'],
    ['existence before authority', () => h.signed(other, 'POST', `/group-sessions/${crypto.randomUUID()}/messages`, { fromUserId: ada.userId, messageId: crypto.randomUUID(), body: 'hi' }), 'unknown-group-session'],
    ['an unknown target region before the signer\'s authority', () => h.signed(home, 'PUT', `/sessions/${sessionId}/location`, { regionId: crypto.randomUUID() }), 'unknown-region'],
    ['authority before state', () => h.signed(other, 'PUT', `/users/${ada.userId}/friends/${cy.userId}/rights`, { rights: 1 }), 'not-your-agent'],
    ['state last', () => h.signed(home, 'PUT', `/users/${ada.userId}/friends/${cy.userId}/rights`, { rights: 1 }), 'not-friends']
  ]
  for (const [name, send, code] of cases) t.equal((await send()).body.code, code, name)
})
