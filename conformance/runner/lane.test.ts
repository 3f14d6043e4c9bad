// Lanes in worker threads (lane.ts): a fork of the embedded grid replays the flows it is given
// against a grid of its own, reports what stops it, and closes its grid when asked.
import t from 'tap'
import { loadFlows } from '../../tools/spec/flows.ts'
import type { Target } from '../target/target.ts'
import { embeddedLane, growingGridsLane, startedGridsLane } from './lane.ts'

const flow = (id: string) => loadFlows().flows.find((f) => f.flow.id === id)!

t.test('a lane replays a flow against a grid of its own, and closes it', async (t) => {
  const lane = await embeddedLane({ xmpp: 'none', regionCount: 1 })
  const result = await lane.runFlow(flow('01-a-signs-on'), { eventTimeoutMs: 10_000 })
  t.equal(result.flow, '01-a-signs-on')
  t.same(result.checks.filter((c) => c.status !== 'pass').map((c) => `${c.step}: ${c.message}`), [], 'every check passes')
  t.ok(result.trace.length > 0, 'with its trace, copied across threads')
  const uncopyable = { ...flow('01-a-signs-on'), flow: { ...flow('01-a-signs-on').flow, steps: [() => {}] } } as never
  await t.rejects(lane.runFlow(uncopyable, {}), /the flow 01-a-signs-on could not be sent to the lane/)
  t.equal((await lane.runFlow(flow('01-a-signs-on'), {})).checks.every((c) => c.status === 'pass'), true, 'and the lane goes on')
  await lane.close()
  await t.rejects(lane.runFlow(flow('01-a-signs-on'), {}), /a lane of the run failed: its worker exited/, 'a closed lane takes no more flows')
  await lane.close()
})

t.test('a grid that does not start fails the fork', async (t) => {
  await t.rejects(embeddedLane({ xmpp: 'none', regionCount: 1, leaseSeconds: 0 }), /setting leaseSeconds must be a positive integer/)
})

t.test('a lane with two grids replays two flows at once, not three', async (t) => {
  const lane = await embeddedLane({ xmpp: 'none', regionCount: 2 }, 2)
  t.teardown(() => lane.close())
  t.equal(lane.flowsAtOnce, 2)
  const [a, b, c] = await Promise.allSettled([lane.runFlow(flow('09-a-messages-b'), {}), lane.runFlow(flow('x-lease-renewal'), {}), lane.runFlow(flow('01-a-signs-on'), {})])
  for (const r of [a, b]) t.same(r.status === 'fulfilled' ? r.value.checks.filter((c) => c.status !== 'pass').map((c) => c.message) : [String(r.reason)], [], 'passes on a grid of its own')
  t.match(c, { status: 'rejected', reason: { message: /more flows at once than this lane's 2 grids/ } })
})

t.test('a lane whose grids are still starting: a flow waits for one to come, never shares one', async (t) => {
  // Bare targets: no capabilities, so a flow that needs one is impossible at once, without a network call.
  const closed: string[] = []
  const bare = (name: string): Target => ({ name, userServerUrl: 'http://127.0.0.1:1', adminToken: 'x', regions: [], capabilities: new Set(), close: async () => { closed.push(name) } })
  const needy = loadFlows().flows.find((f) => (f.flow.needs ?? []).length > 0)!
  const lane = growingGridsLane(2)
  t.equal(lane.flowsAtOnce, 2)
  let ran = 0
  const first = lane.runFlow(needy, {}).then((r) => { ran++; return r })
  const second = lane.runFlow(needy, {}).then((r) => { ran++; return r })
  await t.rejects(lane.runFlow(needy, {}), /more flows at once than this lane's 2 grids/, 'no more waiting than grids to come')
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(ran, 0, 'nothing runs before a grid is up')
  lane.add(bare('g1'))
  t.equal((await Promise.race([first, second])).checks.every((c) => c.status === 'impossible'), true, 'the first grid takes a waiting flow')
  await Promise.all([first, second])
  t.equal(ran, 2, 'and the other once that one is free again')
  lane.add(bare('g2'))
  await lane.close()
  t.same(closed.sort(), ['g1', 'g2'], 'closing closes every grid added')
  lane.add(bare('g3'))
  t.same(closed.sort(), ['g1', 'g2', 'g3'], 'and one that comes after')
  await t.rejects(lane.runFlow(needy, {}), /the lane is closed/)
})

t.test('grids started here one after another: open with the first, and one that fails fails the flows waiting for it', async (t) => {
  const closed: string[] = []
  const bare = (name: string): Target => ({ name, userServerUrl: 'http://127.0.0.1:1', adminToken: 'x', regions: [], capabilities: new Set(), close: async () => { closed.push(name) } })
  const needy = loadFlows().flows.find((f) => (f.flow.needs ?? []).length > 0)!
  await t.rejects(startedGridsLane(2, async () => { throw new Error('no port') }), /no port/, 'the first does not start: the lane does not open')

  let n = 0
  const lane = await startedGridsLane(3, async () => {
    if (++n === 1) return bare('g1')
    throw new Error('the second grid did not start')
  })
  t.equal(lane.flowsAtOnce, 3)
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.equal(n, 2, 'no third start after a failed one')
  // The first flow takes the grid that started; the others would wait for grids that will not come.
  const results = await Promise.allSettled([lane.runFlow(needy, {}), lane.runFlow(needy, {}), lane.runFlow(needy, {})])
  t.equal(results[0]!.status, 'fulfilled', 'the grid that started replays')
  t.match(results.slice(1), [{ reason: { message: /could not start an embedded grid: the second grid did not start/ } }, { reason: { message: /could not start an embedded grid/ } }], 'a flow that would wait for a grid that failed fails with why')
  await lane.close()
  t.same(closed, ['g1'], 'closing closes the grid that started')
})

t.test('a growing lane told no more grids will come fails the flows waiting for one', async (t) => {
  const needy = loadFlows().flows.find((f) => (f.flow.needs ?? []).length > 0)!
  const lane = growingGridsLane(2)
  const waiting = lane.runFlow(needy, {})
  lane.fail(new Error('gone'))
  await t.rejects(waiting, /gone/)
  await t.rejects(lane.runFlow(needy, {}), /gone/)
  await lane.close()
})
