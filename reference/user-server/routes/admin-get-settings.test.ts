import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'

t.test('an operator reads the settings', async (t) => {
  const h = harness(t)
  const res = await h.admin('GET', '/admin/settings')
  t.equal(res.statusCode, 200)
  t.same(res.body, await h.store.getSettings())
})

t.test('adminGetSettings refusals', async (t) => {
  const h = harness(t)
  await expectRefusals(t, h, [
    ['no token', () => h.admin('GET', '/admin/settings', undefined, null), 401, 'unauthenticated'],
    ['not Bearer', () => h.admin('GET', '/admin/settings', undefined, ''), 401, 'unauthenticated']
  ])
})
