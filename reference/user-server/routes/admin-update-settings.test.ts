import t from 'tap'
import { expectRefusals, harness } from '../test-support.ts'

t.test('GRIDIM-LIM-15: new settings apply at once', async (t) => {
  const h = harness(t)
  const settings = { leaseSeconds: 5, groupIdleSeconds: 2, replayWindowSeconds: 10 }
  const res = await h.admin('PUT', '/admin/settings', settings)
  t.equal(res.statusCode, 200)
  // The client timers, left out, keep their values (GRIDIM-LIM-26).
  t.same(res.body, { ...settings, clientIdleSeconds: 120, handoverSeconds: 60, keepAliveSeconds: 15 })
  t.same(await h.store.getSettings(), res.body)
  const timers = await h.admin('PUT', '/admin/settings', { ...settings, clientIdleSeconds: 3, handoverSeconds: 4, keepAliveSeconds: 5 })
  t.same(timers.body, { ...settings, clientIdleSeconds: 3, handoverSeconds: 4, keepAliveSeconds: 5 }, 'and given, they change')
  const region = await h.region({ lease: false })
  const lease = await h.signed(region, 'PUT', `/regions/${region.regionId}/lease`, { url: region.url, kind: 'region', name: region.name })
  t.equal(lease.body.leaseSeconds, 5, 'the next renewal uses the new lease length')
})

t.test('GRIDIM-LIM-14: values outside the ranges are refused', async (t) => {
  const h = harness(t)
  const ok = { leaseSeconds: 60, groupIdleSeconds: 1800, replayWindowSeconds: 60 }
  await expectRefusals(t, h, [
    ['lease over an hour', () => h.admin('PUT', '/admin/settings', { ...ok, leaseSeconds: 3601 }), 400, 'invalid-request'],
    ['client idle time over an hour', () => h.admin('PUT', '/admin/settings', { ...ok, clientIdleSeconds: 3601 }), 400, 'invalid-request'],
    ['keep-alive over a minute', () => h.admin('PUT', '/admin/settings', { ...ok, keepAliveSeconds: 61 }), 400, 'invalid-request'],
    ['hand-over window over ten minutes', () => h.admin('PUT', '/admin/settings', { ...ok, handoverSeconds: 601 }), 400, 'invalid-request'],
    ['replay window under 5 s', () => h.admin('PUT', '/admin/settings', { ...ok, replayWindowSeconds: 4 }), 400, 'invalid-request'],
    ['a setting missing', () => h.admin('PUT', '/admin/settings', { leaseSeconds: 60 }), 400, 'invalid-request'],
    ['no token', () => h.admin('PUT', '/admin/settings', ok, null), 401, 'unauthenticated']
  ], () => h.store.getSettings())
})
