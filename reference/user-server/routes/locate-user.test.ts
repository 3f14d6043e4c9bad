import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'

t.test('GRIDIM-LOC-2, GRIDIM-LOC-3: where a user can be reached, and whether the asker may see it', async (t) => {
  const h = harness(t)
  const [home, away] = [await h.region(), await h.region({ kind: 'gateway' })]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  const cy = await h.user('Cy')
  await h.friends(bob, ada, 1, 0)
  await h.signOn(ada, home)
  const ask = (userId: string) => h.signed(home, 'GET', `/users/${userId}/location?for=${ada.userId}`)
  t.same((await ask(bob.userId)).body, { userId: bob.userId, online: false, canSeeOnline: true }, 'offline friend who grants it')
  await h.signOn(bob, away)
  await h.signOn(cy, away)
  t.same((await ask(bob.userId)).body, { userId: bob.userId, online: true, regionId: away.regionId, regionUrl: away.url, kind: 'gateway', canSeeOnline: true })
  t.same((await ask(cy.userId)).body, { userId: cy.userId, online: true, regionId: away.regionId, regionUrl: away.url, kind: 'gateway', canSeeOnline: false }, 'a stranger')
})

t.test('GRIDIM-LOC-3: a user at a region whose lease lapsed cannot be reached', async (t) => {
  const h = harness(t)
  const home = await h.region()
  const away = await h.region()
  const [ada, bob] = [await h.user('Ada'), await h.user('Bob')]
  await h.signOn(ada, home)
  await h.signOn(bob, away)
  h.clock.now += (await h.store.getSettings()).leaseSeconds * 1000
  await h.lease(home)
  t.same((await h.signed(home, 'GET', `/users/${bob.userId}/location?for=${ada.userId}`)).body, { userId: bob.userId, online: false, canSeeOnline: false })
})

t.test('locateUser refusals', async (t) => {
  const h = harness(t)
  const [home, other] = [await h.region(), await h.region()]
  const ada = await h.user('Ada')
  const bob = await h.user('Bob')
  await h.signOn(ada, home)
  await expectRefusals(t, h, [
    ['no for', () => h.signed(home, 'GET', `/users/${bob.userId}/location`), 400, 'invalid-request'],
    ['for not a UUID', () => h.signed(home, 'GET', `/users/${bob.userId}/location?for=ada`), 400, 'invalid-request'],
    ['unsigned', () => h.signed(null, 'GET', `/users/${bob.userId}/location?for=${ada.userId}`), 401, 'unauthenticated'],
    ['GRIDIM-SEC-8: for not hosted by the signer', () => h.signed(other, 'GET', `/users/${bob.userId}/location?for=${ada.userId}`), 403, 'not-your-agent'],
    ['unknown user', () => h.signed(home, 'GET', `/users/${crypto.randomUUID()}/location?for=${ada.userId}`), 404, 'unknown-user']
  ])
})
