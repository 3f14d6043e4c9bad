import { availableParallelism } from 'node:os'
import t from 'tap'
import { loadFlows } from '../../tools/spec/flows.ts'
import type { Target } from '../target/target.ts'
import { inThisThread, type Lane } from './lane.ts'
import { REPLAY_LATER_SECONDS } from './peer-call.ts'
import { applyExpectations, forkSizes, nextOf, runSuite, selectFlows, waitsFor, WAITING_FLOW_SECONDS, WAITING_SHARE } from './run-suite.ts'
import type { Check } from './results.ts'
import { countByStatus, runPassed } from './results.ts'

const check = (flow: string, step: string, status: Check['status'], requirements = ['GRIDIM-IM-1']): Check =>
  ({ flow, step, outcome: 'o', requirements, status })

t.test('an expected failure that fails is xfail; one that passes is xpass, and fails the run', async (t) => {
  const out = applyExpectations([check('f', '1', 'fail'), check('f', '2', 'pass'), check('g', '1', 'fail', ['GRIDIM-X-1']), check('h', '1', 'fail')],
    [{ flow: 'f' }, { requirement: 'GRIDIM-X-1' }])
  t.same(out.map((c) => c.status), ['xfail', 'xpass', 'xfail', 'fail'])
  const run = { target: 't', startedAt: '', durationMs: 0, flows: [{ flow: 'f', title: '', file: '', checks: out, trace: [], durationMs: 0 }] }
  t.equal(countByStatus(run).xpass, 1)
  t.notOk(runPassed(run))
  t.ok(runPassed({ ...run, flows: [{ ...run.flows[0]!, checks: [check('f', '1', 'xfail'), check('f', '1', 'impossible')] }] }))
})

t.test('a step-only expectation never matches every flow', async (t) => {
  t.same(applyExpectations([check('f', '1', 'fail')], [{ step: '1' }]).map((c) => c.status), ['fail'])
})

t.test('flows are chosen by id or file name; an unknown one is an error', async (t) => {
  const all = [{ file: '01-a.yaml', flow: { id: 'a' } }, { file: '02-b.yaml', flow: { id: 'b' } }] as any
  t.same(selectFlows(all, ['b']).map((f: any) => f.flow.id), ['b'])
  t.same(selectFlows(all, ['01-a']).map((f: any) => f.flow.id), ['a'])
  t.equal(selectFlows(all).length, 2)
  t.throws(() => selectFlows(all, ['zzz']), /no such flow: zzz/)
})

// Lanes: a target that can fork replays flows on several instances at once. A target with no
// capabilities makes every flow that needs one impossible at once, without a network call, so
// the scheduling is seen without a grid (the embedded grid: conformance/conformance.test.ts).
const NEEDY = loadFlows().flows.filter((f) => (f.flow.needs ?? []).length > 0).map((f) => f.flow.id).slice(0, 7)

type Counts = { forks: number, closed: number, flowsAtOnce: number }

function bareTarget (name: string, counts: Counts, fork?: 'ok' | 'fails'): Target {
  const target: Target = { name, userServerUrl: 'http://127.0.0.1:1', adminToken: 'x', regions: [], capabilities: new Set(), close: async () => { counts.closed++ } }
  const lane = (flowsAtOnce: number): Lane => { const forked = bareTarget(`${name} fork`, counts); return { ...inThisThread(forked), flowsAtOnce, close: forked.close } }
  if (fork === 'ok') target.fork = async (n) => { counts.forks++; counts.flowsAtOnce += n; return lane(n) }
  if (fork === 'fails') target.fork = async (n) => { counts.forks++; if (counts.forks > 1) throw new Error('no room'); return lane(n) }
  return target
}

t.test('a target that forks replays flows in lanes; results and callbacks come in flow order', async (t) => {
  const counts: Counts = { forks: 0, closed: 0, flowsAtOnce: 0 }
  const events: string[] = []
  const run = await runSuite(bareTarget('lanes', counts, 'ok'), {
    flows: NEEDY,
    concurrency: 3,
    onFlowStart: ({ flow }) => events.push(`start ${flow.id}`),
    onCheck: (c) => { if (!events.at(-1)?.startsWith('check')) events.push(`check ${c.flow}`) },
    onFlowEnd: (r) => events.push(`end ${r.flow}`)
  })
  t.equal(counts.flowsAtOnce, 2, 'forks for two more flows at once')
  t.equal(counts.closed, counts.forks, 'the forks are closed; the target given is the caller\'s')
  const ids = loadFlows().flows.map((f) => f.flow.id).filter((id) => NEEDY.includes(id))
  t.same(run.flows.map((f) => f.flow), ids, 'results in flow order')
  t.same(events, ids.flatMap((id) => [`start ${id}`, `check ${id}`, `end ${id}`]), 'each flow\'s callbacks together, in flow order')
  t.ok(run.flows.every((f) => f.checks.every((c) => c.status === 'impossible')))
})

t.test('serial, or a target that cannot fork: one lane, the same results', async (t) => {
  const counts: Counts = { forks: 0, closed: 0, flowsAtOnce: 0 }
  const parallel = await runSuite(bareTarget('p', counts, 'ok'), { flows: NEEDY, concurrency: 4 })
  const forks = counts.forks
  const serial = await runSuite(bareTarget('s', counts, 'ok'), { flows: NEEDY, serial: true })
  t.equal(counts.forks, forks, 'no fork for the serial run')
  const unforkable = await runSuite(bareTarget('u', counts), { flows: NEEDY, concurrency: 4 })
  const statuses = (r: typeof serial): string[] => r.flows.flatMap((f) => f.checks.map((c) => `${c.flow} ${c.step} ${c.outcome} ${c.status}`))
  t.same(statuses(parallel), statuses(serial))
  t.same(statuses(unforkable), statuses(serial))
})

t.test('a fork that cannot start fails the run, and the forks that did start are closed', { skip: availableParallelism() < 2 ? 'one core: one fork' : false }, async (t) => {
  const counts: Counts = { forks: 0, closed: 0, flowsAtOnce: 0 }
  await t.rejects(runSuite(bareTarget('f', counts, 'fails'), { flows: NEEDY, concurrency: 5 }), /could not start another instance of the target: no room/)
  t.equal(counts.closed, 1)
})

t.test('the target\'s own lane replays flows while the forks are still starting', async (t) => {
  const counts: Counts = { forks: 0, closed: 0, flowsAtOnce: 0 }
  const target = bareTarget('slow', counts, 'ok')
  const fork = target.fork!
  let endedBeforeForkOpened = -1
  const ended: string[] = []
  target.fork = async (n) => { await new Promise((resolve) => setTimeout(resolve, 300)); endedBeforeForkOpened = ended.length; return await fork(n) }
  const run = await runSuite(target, { flows: NEEDY, concurrency: 3, onFlowEnd: (r) => ended.push(r.flow) })
  t.ok(endedBeforeForkOpened > 0, `flows ended before the fork opened: ${endedBeforeForkOpened}`)
  t.equal(run.flows.length, NEEDY.length, 'and every flow has its result')
  t.equal(counts.closed, counts.forks, 'the forks that opened late are closed too')
})

t.test('flows that wait start first', async (t) => {
  const byId = new Map(loadFlows().flows.map((f) => [f.flow.id, f]))
  const seconds = (id: string): number => waitsFor(byId.get(id)!)
  t.ok(seconds('x-lease-renewal') >= 8, 'wait-idle and settings')
  t.ok(seconds('x-slow-clients-cut-off') >= 8, 'probe-slow-clients')
  t.ok(seconds('x-region-dies') >= 4, 'killRegion')
  t.ok(seconds('x-peer-never-answers') >= 10, 'a black hole: the 10 s of GRIDIM-LIM-16')
  t.ok(seconds('x-client-timers-from-settings') >= 9, 'a burst of reads once a second')
  t.ok(seconds('x-unsigned-or-forged-request') >= 2 * REPLAY_LATER_SECONDS, 'two requests replayed later')
  t.ok(seconds('x-peer-never-answers') > seconds('x-slow-clients-cut-off'), 'the longest wait first')
  // A long poll's `wait` is a bound: answered by what the flow does, or refused at once (31 s).
  t.ok(seconds('x-bad-input-refused') < 2, 'a long poll refused at once is no wait')
  t.ok(seconds('x-long-poll-and-stream-held') < 2, 'nor one answered by an event')
  t.ok(seconds('x-group-session-of-a-hundred') > 5, 'a hundred steps take seconds')
  t.ok(seconds('01-a-signs-on') < 1, 'a short flow, last')
})

t.test('a lane whose share of flows that mostly wait is full takes one that works', async (t) => {
  const long = WAITING_FLOW_SECONDS + 5
  const queue = [{ index: 4, waits: long }, { index: 0, waits: long }, { index: 2, waits: 0.5 }, { index: 1, waits: 0.2 }]
  t.equal(nextOf(queue, 0, 2), 0, 'room: the longest wait first')
  t.equal(nextOf(queue, 1, 2), 0)
  t.equal(nextOf(queue, 2, 2), 2, 'full: the first that does not mostly wait')
  t.equal(nextOf(queue.slice(0, 2), 2, 2), 0, 'only waiting flows left: the first all the same')
  t.equal(nextOf([{ index: 0, waits: WAITING_FLOW_SECONDS }, { index: 1, waits: WAITING_FLOW_SECONDS - 0.01 }], 1, 1), 1, 'the bound itself mostly waits')
})

t.test('a lane never holds more flows that mostly wait than its share, and still replays every flow', async (t) => {
  const needy = loadFlows().flows.filter((f) => (f.flow.needs ?? []).length > 0)
  const waiting = needy.filter((f) => waitsFor(f) >= WAITING_FLOW_SECONDS).map((f) => f.flow.id)
  const working = needy.filter((f) => waitsFor(f) < WAITING_FLOW_SECONDS).map((f) => f.flow.id)
  t.ok(waiting.length >= 6, `enough flows that mostly wait to fill the lane beyond its share: ${waiting.length}`)
  t.ok(working.length >= 20, `and flows that work, to take instead: ${working.length}`)
  // A lane of five grids (a share of three) beside the target's own, which takes the flows at
  // the head of the queue at first and replays them at once (none can run on a bare target).
  // Each flow takes milliseconds: the lane's other two grids work through the flows that work
  // for longer than the target's lane takes to clear those that wait.
  let now = 0
  let most = 0
  const lane: Lane = {
    flowsAtOnce: 5,
    runFlow: async ({ flow, file }) => {
      const waits = waiting.includes(flow.id)
      if (waits) most = Math.max(most, ++now)
      await new Promise((resolve) => setTimeout(resolve, waits ? 40 : 20))
      if (waits) now--
      return { flow: flow.id, title: flow.title, file, checks: [], trace: [], durationMs: 1 }
    },
    close: async () => {}
  }
  const counts: Counts = { forks: 0, closed: 0, flowsAtOnce: 0 }
  const run = await runSuite(bareTarget('share', counts), { flows: [...waiting, ...working], concurrency: 6, forks: [Promise.resolve(lane)] })
  t.equal(most, Math.ceil(5 * WAITING_SHARE), 'the lane held as many as its share, and no more')
  t.equal(run.flows.length, waiting.length + working.length, 'every flow replayed')
})

t.test('the flows beyond the target\'s own one are spread over at most one fork per core', async (t) => {
  t.same(forkSizes(1, 2), { here: 0, workers: [] })
  t.same(forkSizes(2, 2), { here: 0, workers: [1] })
  t.same(forkSizes(8, 2), { here: 0, workers: [4, 3] })
  t.same(forkSizes(8, 1), { here: 0, workers: [7] })
  t.same(forkSizes(3, 8), { here: 0, workers: [1, 1] })
})

t.test('with grids of its own, this thread takes its share and a worker each further core', async (t) => {
  t.same(forkSizes(12, 2, true), { here: 5, workers: [6] }, 'six grids a thread, the target\'s among this one\'s')
  t.same(forkSizes(13, 2, true), { here: 6, workers: [6] })
  t.same(forkSizes(12, 1, true), { here: 11, workers: [] }, 'one core: every grid in this thread')
  t.same(forkSizes(12, 4, true), { here: 2, workers: [3, 3, 3] })
  t.same(forkSizes(3, 8, true), { here: 2, workers: [] }, 'a worker only for two flows or more')
  t.same(forkSizes(2, 2, true), { here: 1, workers: [] })
  t.same(forkSizes(4, 2, true), { here: 1, workers: [2] })
  t.same(forkSizes(1, 2, true), { here: 0, workers: [] })
})
