import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'

t.test('GRIDIM-SIGN-4: the user shows online at the region from the moment of sign-on', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada')
  t.same((await h.admin('GET', `/admin/users/${ada.userId}`)).body, { userId: ada.userId, name: 'Ada Tester', online: false })
  const { sessionId } = await h.signOn(ada, region)
  const res = await h.admin('GET', `/admin/users/${ada.userId}`)
  t.equal(res.statusCode, 200)
  t.same(res.body, { userId: ada.userId, name: 'Ada Tester', online: true, regionId: region.regionId, sessionId })
})

t.test('adminGetUser refusals', async (t) => {
  const h = harness(t)
  const ada = await h.user('Ada')
  await expectRefusals(t, h, [
    ['not a UUID', () => h.admin('GET', '/admin/users/ada'), 400, 'invalid-request'],
    ['unknown user', () => h.admin('GET', `/admin/users/${crypto.randomUUID()}`), 404, 'unknown-user'],
    ['wrong token', () => h.admin('GET', `/admin/users/${ada.userId}`, undefined, 'nope'), 401, 'unauthenticated']
  ])
})
