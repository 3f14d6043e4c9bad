import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'

t.test('GRIDIM-PRES-2: rights both ways as set; online only where granted', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada')
  const bob = await h.user('Bob', 'Babbage')
  const cy = await h.user('Cy', 'Curie')
  await h.friends(ada, bob, 7, 1)
  await h.friends(ada, cy, 1, 6)
  await h.signOn(bob, region)
  await h.signOn(cy, region)
  await h.signOn(ada, region)
  const res = await h.signed(region, 'GET', `/users/${ada.userId}/friends`)
  t.equal(res.statusCode, 200)
  t.same(res.body, [
    { userId: bob.userId, name: 'Bob Babbage', rightsGranted: 7, rightsReceived: 1, online: true },
    { userId: cy.userId, name: 'Cy Curie', rightsGranted: 1, rightsReceived: 6 }
  ])
})

t.test('listFriends refusals', async (t) => {
  const h = harness(t)
  const [region, other] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  await h.signOn(ada, region)
  await expectRefusals(t, h, [
    ['not a UUID', () => h.signed(region, 'GET', '/users/ada/friends'), 400, 'invalid-request'],
    ['unsigned', () => h.signed(null, 'GET', `/users/${ada.userId}/friends`), 401, 'unauthenticated'],
    ['unknown user', () => h.signed(region, 'GET', `/users/${crypto.randomUUID()}/friends`), 404, 'unknown-user'],
    ['GRIDIM-SEC-8: not hosted by the signer', () => h.signed(other, 'GET', `/users/${ada.userId}/friends`), 403, 'not-your-agent']
  ])
})
