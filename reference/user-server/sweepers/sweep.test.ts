import t from 'tap'
import { NO_FAULTS } from '../../lib/faults.ts'
import { createLogger } from '../../lib/http/index.ts'
import type { Store } from '../../store/index.ts'
import { memoryStore } from '../../store/test-support.ts'
import type { UserServerContext } from '../context.ts'
import { Metrics } from '../metrics.ts'
import { GroupOutbox } from '../group-sessions/outbox.ts'
import { Courier } from '../notices/courier.ts'
import { locator } from '../notices/locator.ts'
import { NoticeBatch } from '../notices/notice-batch.ts'
import { harness, noticesIn } from '../test-support.ts'
import { startSweeper } from './sweep.ts'

t.test('GRIDIM-LEASE-6: a lapsed lease ends its sessions and friends are told, one request per region', async (t) => {
  const h = harness(t)
  const dying = await h.region()
  const [r1, r2] = [await h.region(), await h.region()]
  const [a, b, c, d] = await Promise.all(['A', 'B', 'C', 'D'].map((n) => h.user(n)))
  await h.friends(a, c)
  await h.friends(b, c)
  await h.friends(a, d)
  await h.signOn(a, dying)
  await h.signOn(b, dying)
  h.clock.now += 10_000
  await h.lease(r1)
  await h.lease(r2)
  await h.signOn(c, r1)
  await h.signOn(d, r2)
  h.clearSent()
  t.same(await h.us.sweep(h.clock.now), { lapsedRegions: 0, endedSessions: 0, closedGroupSessions: 0 }, 'nothing lapsed yet')
  h.clock.now = (await h.store.getRegion(dying.regionId))!.leaseExpiresAt!
  t.same(await h.us.sweep(), { lapsedRegions: 1, endedSessions: 2, closedGroupSessions: 0 })
  t.equal(await h.store.getSessionByUser(a.userId), null)
  t.equal(await h.store.getSessionByUser(b.userId), null)
  const requests = await h.delivered()
  t.same(requests.map((r) => r.url).sort(), [r1.url, r2.url].sort(), 'GRIDIM-LEASE-6: one request per destination region')
  t.same(noticesIn(requests.filter((r) => r.url === r1.url)).map((n) => [n.toUserId, n.userId, n.status]), [[c.userId, a.userId, 'offline'], [c.userId, b.userId, 'offline']])
  t.same(await h.us.sweep(), { lapsedRegions: 0, endedSessions: 0, closedGroupSessions: 0 }, 'a lapse is handled once')
})

t.test('GRIDIM-LEASE-7: a lapsed region can do nothing but renew', async (t) => {
  const h = harness(t)
  const region = await h.region()
  h.clock.now += (await h.store.getSettings()).leaseSeconds * 1000
  t.equal((await h.signed(region, 'GET', `/regions/${region.regionId}`)).body.code, 'lease-expired')
  t.equal((await h.signed(region, 'GET', '/directory')).statusCode, 200)
  t.equal((await h.signed(region, 'PUT', `/regions/${region.regionId}/lease`, { url: region.url, kind: 'region', name: region.name })).statusCode, 200)
  t.equal((await h.signed(region, 'GET', `/regions/${region.regionId}`)).statusCode, 200)
})

t.test('GRIDIM-GRP-22: a session idle for groupIdleSeconds closes and its members are told', async (t) => {
  const h = harness(t)
  const [r1, r2] = [await h.region(), await h.region()]
  const [a, b] = [await h.user('A'), await h.user('B')]
  await h.friends(a, b)
  await h.store.updateSettings({ groupIdleSeconds: 60, leaseSeconds: 3600 })
  await h.lease(r1)
  await h.lease(r2)
  await h.signOn(a, r1)
  await h.signOn(b, r2)
  const { groupSessionId } = (await h.signed(r1, 'POST', '/group-sessions', { startedBy: a.userId, participantIds: [b.userId] })).body
  h.clock.now += 59_000
  await h.signed(r2, 'POST', `/group-sessions/${groupSessionId}/messages`, { fromUserId: b.userId, messageId: crypto.randomUUID(), body: 'still here' })
  h.clock.now += 59_000
  t.equal((await h.us.sweep()).closedGroupSessions, 0, 'the message reset the timer')
  await h.us.idle()
  h.clearSent()
  h.clock.now += 2_000
  t.equal((await h.us.sweep()).closedGroupSessions, 1)
  t.equal((await h.store.getGroupSession(groupSessionId))!.closeReason, 'idle')
  const requests = await h.delivered()
  t.equal(requests.length, 2, 'one request per destination region')
  t.ok(noticesIn(requests).every((n) => n.type === 'groupSessionClosed' && n.reason === 'idle'))
})

t.test('GRIDIM-LIM-15: a shorter groupIdleSeconds applies to open sessions at once', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const [a, b] = [await h.user('A'), await h.user('B')]
  await h.friends(a, b)
  await h.signOn(a, region)
  await h.signOn(b, region)
  await h.signed(region, 'POST', '/group-sessions', { startedBy: a.userId, participantIds: [b.userId] })
  h.clock.now += 10_000
  t.equal((await h.us.sweep()).closedGroupSessions, 0)
  await h.admin('PUT', '/admin/settings', { ...await h.store.getSettings(), groupIdleSeconds: 5 })
  t.equal((await h.us.sweep()).closedGroupSessions, 1)
})

t.test('the sweeper runs on a timer once the server is started', async (t) => {
  const h = harness(t)
  const region = await h.region()
  const ada = await h.user('Ada')
  await h.signOn(ada, region)
  h.clock.now += (await h.store.getSettings()).leaseSeconds * 1000
  await h.us.start()
  for (let i = 0; i < 30 && await h.store.getSessionByUser(ada.userId) !== null; i++) await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(await h.store.getSessionByUser(ada.userId), null, 'no ghosts')
})

t.test('the timer starts no sweep while the previous one runs, and stopping waits for the one in flight', async (t) => {
  const store = memoryStore(t)
  // Each sweep waits at its first store call until the test lets it through.
  let release = (): void => {}
  let gate = Promise.resolve()
  const shut = (): void => { gate = new Promise((resolve) => { release = resolve }) }
  let started = 0
  let running = 0
  let most = 0
  const slow: Store = {
    ...store,
    listExpiredLeases: async (now) => {
      started++
      most = Math.max(most, ++running)
      await gate
      running--
      return await store.listExpiredLeases(now)
    }
  }
  const logger = createLogger({}, () => {})
  const locate = locator(slow, Date.now)
  const courier = new Courier({ call: async () => ({ body: {} }) } as never, new Metrics(), logger, locate)
  const ctx = { store: slow, now: Date.now, faults: NO_FAULTS, logger, locate, courier, groupOutbox: new GroupOutbox(slow, logger), batch: () => new NoticeBatch(courier, locate) } as unknown as UserServerContext
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  shut()
  const stop = startSweeper(ctx, 5)
  await sleep(100)
  t.equal(started, 1, 'the ticks while the first sweep waits start nothing')
  release()
  await sleep(100)
  t.ok(started > 2, `the sweeps go on once it is done (${started})`)
  t.equal(most, 1, 'never two at once')

  shut()
  const before = started
  while (started === before) await sleep(5)
  let stopped = false
  const stopping = stop().then(() => { stopped = true })
  await sleep(50)
  t.notOk(stopped, 'stop waits for the sweep in flight')
  release()
  await stopping
  t.equal(running, 0, 'which has ended when stop resolves')
  const after = started
  await sleep(50)
  t.equal(started, after, 'and no sweep starts after it')
})
