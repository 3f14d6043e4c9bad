import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'

t.test('an operator creates a group', async (t) => {
  const h = harness(t)
  const [a, b] = [await h.user('A'), await h.user('B')]
  const res = await h.admin('POST', '/admin/groups', { name: 'Analysts', memberIds: [a.userId, b.userId] })
  t.equal(res.statusCode, 201)
  t.match(res.body, { name: 'Analysts', memberIds: [a.userId, b.userId] })
  t.same(await h.store.getGroup(res.body.groupId), res.body)
})

t.test('adminCreateGroup refusals', async (t) => {
  const h = harness(t)
  const a = await h.user('A')
  await expectRefusals(t, h, [
    ['no members', () => h.admin('POST', '/admin/groups', { name: 'G', memberIds: [] }), 400, 'invalid-request'],
    ['empty name', () => h.admin('POST', '/admin/groups', { name: '', memberIds: [a.userId] }), 400, 'invalid-request'],
    ['no token', () => h.admin('POST', '/admin/groups', { name: 'G', memberIds: [a.userId] }, null), 401, 'unauthenticated'],
    ['unknown member', () => h.admin('POST', '/admin/groups', { name: 'G', memberIds: [a.userId, crypto.randomUUID()] }), 404, 'unknown-user']
  ])
})
