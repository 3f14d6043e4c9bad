// GRIDIM-LIM-27: a region takes the client idle time (GRIDIM-SIGN-13), the hand-over read
// window (GRIDIM-CLI-21) and the event-stream keep-alive (GRIDIM-CLI-15) from the user server's directory, read at every lease renewal; a
// directory without them (a user server of before GRIDIM-LIM-26) leaves the defaults.
import t, { type Test } from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { testRegion } from './test-region.ts'

async function leased (t: Test, timers: Record<string, unknown>) {
  // No keep-alive of the test region's own: the directory's applies.
  const g = await testRegion(t, { heartbeatSeconds: undefined })
  const signedOff: string[] = []
  g.handlers.renewRegionLease = () => ({ leaseSeconds: 60, expiresAt: new Date(Date.now() + 60_000).toISOString() })
  g.handlers.getDirectory = () => ({ keyId: 'user-server', publicKey: g.userServerKeys.raw, leaseSeconds: 60, replayWindowSeconds: 60, gatewayDomain: 'grid.example', ...timers })
  g.handlers.returnUnreadMessages = () => ({ stored: 0 })
  g.handlers.signOff = (call) => { signedOff.push(String(call.options.params?.sessionId)); return undefined }
  await g.region.start()
  t.teardown(async () => { await g.region.kill() })
  return { g, signedOff }
}

t.test('GRIDIM-LIM-27, GRIDIM-SIGN-13: a shortened clientIdleSeconds from the directory signs an idle agent off', async (t) => {
  const { g, signedOff } = await leased(t, { clientIdleSeconds: 1, handoverSeconds: 1, keepAliveSeconds: 3 })
  t.equal(g.region.context.heartbeatSeconds, 3, 'event streams get the directory\'s keep-alive')
  const ada = g.admit()
  const deadline = Date.now() + 5000
  while (!signedOff.includes(ada.sessionId) && Date.now() < deadline) await sleep(50)
  t.ok(signedOff.includes(ada.sessionId), 'signed off within a few seconds, not 120')
})

t.test('GRIDIM-LIM-27: a directory without the client timers leaves the defaults', async (t) => {
  const { g, signedOff } = await leased(t, {})
  t.equal(g.region.context.heartbeatSeconds, 15, 'the default keep-alive')
  const ada = g.admit()
  await sleep(1200)
  await g.region.signOffIdle()
  t.same(signedOff, [], 'an agent quiet for over a second is not idle under the default 120 s')
  t.ok(g.region.agents.bySessionId(ada.sessionId) !== undefined)
})
