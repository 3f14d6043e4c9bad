import t from 'tap'
import { exportPublicKey } from '../../lib/signatures/index.ts'
import { harness } from '../test-support.ts'

t.test('GRIDIM-ROLE-8, GRIDIM-LIM-21: the directory is answered unsigned, with the key, lease length, replay window and gateway domain', async (t) => {
  const h = harness(t)
  const res = await h.signed(null, 'GET', '/directory')
  t.equal(res.statusCode, 200)
  const { leaseSeconds, replayWindowSeconds, clientIdleSeconds, handoverSeconds, keepAliveSeconds } = await h.store.getSettings()
  t.same(res.body, { keyId: 'user-server', publicKey: exportPublicKey(h.keys.publicKey), leaseSeconds, replayWindowSeconds, clientIdleSeconds, handoverSeconds, keepAliveSeconds, gatewayDomain: 'grid.example' })
})

t.test('GRIDIM-LIM-26: changed client timers are published at once', async (t) => {
  const h = harness(t)
  await h.store.updateSettings({ clientIdleSeconds: 7, handoverSeconds: 9, keepAliveSeconds: 3 })
  t.match((await h.signed(null, 'GET', '/directory')).body, { clientIdleSeconds: 7, handoverSeconds: 9, keepAliveSeconds: 3 })
})

t.test('GRIDIM-LIM-21: a changed replay window is published at once', async (t) => {
  const h = harness(t)
  await h.store.updateSettings({ replayWindowSeconds: 17 })
  t.equal((await h.signed(null, 'GET', '/directory')).body.replayWindowSeconds, 17)
})

t.test('GRIDIM-LIM-15: a changed lease length shows at once', async (t) => {
  const h = harness(t)
  await h.store.updateSettings({ leaseSeconds: 7 })
  t.equal((await h.signed(null, 'GET', '/directory')).body.leaseSeconds, 7)
})

t.test('an unknown path is unknown-operation', async (t) => {
  const h = harness(t)
  const res = await h.signed(null, 'GET', '/no-such-thing')
  t.equal(res.statusCode, 404)
  t.equal(res.body.code, 'unknown-operation')
})
