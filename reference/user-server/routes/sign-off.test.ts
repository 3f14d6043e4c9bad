import t from 'tap'
import { expectRefusals, harness, noticesIn } from '../test-support.ts'

t.test('GRIDIM-SIGN-10, GRIDIM-SIGN-11: sign-off answers 204 and tells friends granted CanSeeOnline', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  const cy = await h.user('Cy')
  const dee = await h.user('Dee')
  await h.friends(ada, bob, 1, 1)
  await h.friends(ada, cy, 0, 1)
  await h.friends(ada, dee, 1, 1)
  await h.signOn(bob, away)
  await h.signOn(cy, away)
  const session = await h.signOn(ada, home)
  h.clearSent()
  const res = await h.signed(home, 'DELETE', `/sessions/${session.sessionId}`)
  t.equal(res.statusCode, 204)
  t.equal(await h.store.getSessionByUser(ada.userId), null)
  const requests = await h.delivered()
  t.equal(requests.length, 1)
  t.match(noticesIn(requests), [{ type: 'presence', toUserId: bob.userId, userId: ada.userId, name: 'Ada Tester', status: 'offline' }])
  t.equal(noticesIn(requests).length, 1, 'not Cy (no CanSeeOnline), not Dee (offline)')
})

t.test('signOff refusals', async (t) => {
  const h = harness(t)
  const home = await h.region()
  const other = await h.region()
  const ada = await h.user('Ada')
  const { sessionId } = await h.signOn(ada, home)
  await expectRefusals(t, h, [
    ['not a UUID', () => h.signed(home, 'DELETE', '/sessions/123'), 400, 'invalid-request'],
    ['unsigned', () => h.signed(null, 'DELETE', `/sessions/${sessionId}`), 401, 'unauthenticated'],
    ['GRIDIM-ERR-4: unknown session', () => h.signed(home, 'DELETE', `/sessions/${crypto.randomUUID()}`), 404, 'unknown-session'],
    ['GRIDIM-SEC-8: another region', () => h.signed(other, 'DELETE', `/sessions/${sessionId}`), 403, 'not-your-agent']
  ], () => h.store.getSessionByUser(ada.userId))
  t.equal((await h.signed(home, 'DELETE', `/sessions/${sessionId}`)).statusCode, 204)
  t.equal((await h.signed(home, 'DELETE', `/sessions/${sessionId}`)).body.code, 'unknown-session', 'GRIDIM-ERR-4: already ended')
})
