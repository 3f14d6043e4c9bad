// Replays the chosen flows against a target and applies the implementer's expectations file
// (known failures) to the results. A target that can fork (an embedded grid starts further
// grids like it, each in a worker thread) replays flows in several lanes at once, one flow per
// lane at a time: flows never share a grid while they run, so a flow that changes grid-wide
// settings, kills a region or restarts the user server needs no marking, and the results are
// those of a serial run (--serial). Results and callbacks come in flow order whatever the
// completion order.
import { availableParallelism } from 'node:os'
import { loadFlows, type LoadedFlow } from '../../tools/spec/flows.ts'
import type { Target } from '../target/target.ts'
import type { Check, FlowResult, RunResult } from './results.ts'
import type { ClientInterface } from '../lib/client-session.ts'
import { closeLane, inThisThread, type Lane } from './lane.ts'
import { REPLAY_LATER_SECONDS } from './peer-call.ts'

/** An expected failure: a whole flow, one step of it, or every check of a requirement. */
export type ExpectedFailure = { flow?: string, step?: string, requirement?: string, reason?: string }

export type SuiteOptions = {
  flows?: string[]
  expectedFailures?: ExpectedFailure[]
  eventTimeoutMs?: number
  onFlowStart?: (flow: LoadedFlow) => void
  onCheck?: (check: Check) => void
  onFlowEnd?: (result: FlowResult) => void
  /** One flow after another on the one target, as before forks existed (`--serial`). */
  serial?: boolean
  /** How many flows run at once when the target can fork (default DEFAULT_CONCURRENCY). */
  concurrency?: number
  /** How the flows' users reach their regions (`--client-interface`): HTTP unless `stream`. */
  clientInterface?: ClientInterface
  /**
   * Forks already starting (runConformance starts an embedded grid's beside the grid itself, see
   * startForks): used instead of `target.fork`, and closed like the forks it makes.
   */
  forks?: Array<Promise<Lane>>
}

/**
 * Enough flows at once that their own waits (leases, idle timeouts) overlap: the flows' times add
 * up to ~190–250 s, mostly waiting. Once the link proxies passed bytes and validators were no
 * longer compiled per thread (the run's CPU 40 → 34 s), 16 beat 12 by ~2 s on an idle 2-core
 * machine (22.5 against 24.7 s); before, 16 starved the short-lease flows of CPU on a loaded one.
 * Once flows that mostly wait held no more than WAITING_SHARE of a lane's grids, 20 beat 16 by
 * ~1 s (three pairs: 17.4 against 18.4 s), 24 no further (17.3 s, 1 s more CPU), 13 lost 1.9 s.
 */
export const DEFAULT_CONCURRENCY = 20

/**
 * How the flows beyond the target's own one are spread: each thread (this one, whose share
 * counts the target's own grid, and a worker per further core) takes an equal share of the flows
 * run at once, so the run's JavaScript uses every core and no more threads than there are cores
 * (each costs its own modules, schemas and JIT warm-up: ~4 s of CPU a thread). `here` is this
 * thread's share beyond the target's grid; without grids of this thread's own (`shareThisThread`
 * false: a target that can only fork into workers) the rest goes to a worker per core.
 */
export function forkSizes (concurrency: number, cores: number, shareThisThread = false): { here: number, workers: number[] } {
  const rest = concurrency - 1
  if (rest <= 0) return { here: 0, workers: [] }
  const spread = (n: number, parts: number): number[] => Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0))
  if (!shareThisThread) return { here: 0, workers: spread(rest, Math.max(1, Math.min(cores, rest))) }
  // A worker costs a second or two of start-up before its first flow: worth it only for a share of
  // two flows or more (a run of two or three flows stays in this thread).
  const [mine = 1, ...workers] = spread(concurrency, Math.max(1, Math.min(cores, Math.floor(concurrency / 2))))
  return { here: mine - 1, workers }
}

function expected (check: Check, list: ExpectedFailure[]): boolean {
  return list.some((x) =>
    (x.flow === undefined || x.flow === check.flow) &&
    (x.step === undefined || x.step === check.step) &&
    (x.requirement === undefined || check.requirements.includes(x.requirement)) &&
    (x.flow !== undefined || x.requirement !== undefined))
}

export function applyExpectations (checks: Check[], list: ExpectedFailure[]): Check[] {
  return checks.map((c) => {
    if (!expected(c, list)) return c
    if (c.status === 'fail') return { ...c, status: 'xfail' }
    if (c.status === 'pass') return { ...c, status: 'xpass', message: 'listed as an expected failure, but it passes: update the expectations file' }
    return c
  })
}

export function selectFlows (all: readonly LoadedFlow[], names?: string[]): readonly LoadedFlow[] {
  if (!names || names.length === 0) return all
  const unknown = names.filter((n) => !all.some((f) => f.flow.id === n || f.file === n || f.file === `${n}.yaml`))
  if (unknown.length > 0) throw new Error(`no such flow: ${unknown.join(', ')} (see --list)`)
  return all.filter((f) => names.some((n) => f.flow.id === n || f.file === n || f.file === `${n}.yaml`))
}

/** What a step (or a user of the setup) adds to waitsFor's estimate of a flow's seconds. */
const STEP_SECONDS = 0.05

/**
 * The seconds a flow takes, estimated: its waits (time passing is what it tests) and a little for
 * each step. The longest start first, so that the longest chain of waits does not begin last.
 * Only the order of starting; results keep the flow order.
 */
export function waitsFor (loaded: LoadedFlow): number {
  const { flow } = loaded
  let seconds = Object.keys(flow.setup?.settings ?? {}).length > 0 ? 2 : 0
  // Every step and every user set up costs a little (signatures, the store, the other flows'
  // CPU beside it): a flow of a hundred steps takes seconds without waiting once.
  seconds += STEP_SECONDS * (flow.steps.length + (flow.setup?.users?.length ?? 0))
  for (const step of flow.steps) {
    if (step.do === undefined || !('call' in step.do)) continue
    const args = step.do.args ?? {}
    if (step.do.call === 'wait-idle') seconds += Number(args.seconds ?? 0)
    // A long poll is answered by what the flow does next (held beside the steps that are
    // counted, or by an event), or refused at once (a `wait` above the limit): its `wait` is
    // a bound, not a wait.
    else if (step.do.call === 'clientListEvents') continue
    else if (step.do.call === 'probe-slow-clients') seconds += 8
    else if (step.do.call === 'restartUserServer') seconds += Number(args.downSeconds ?? 0)
    else if (step.do.call === 'killRegion') seconds += 2
    // A request into a black hole is given up only after GRIDIM-LIM-16's 10 s.
    else if (step.do.call === 'blackhole') seconds += 10
    else if (step.do.call === 'burst') seconds += Math.max(0, Number(args.count ?? 0) - 1) / Math.max(1, Number(args.perSecond ?? 1))
    else if (typeof args.wait === 'number') seconds += args.wait
    if (args.signature === 'replay-later') seconds += REPLAY_LATER_SECONDS
  }
  return seconds
}

/** A flow whose estimated seconds (waitsFor) reach this mostly waits: a lane's grid sits idle. */
export const WAITING_FLOW_SECONDS = 3

const mostlyWaits = (q: Queued): boolean => q.waits >= WAITING_FLOW_SECONDS

/**
 * The share of a lane's grids (rounded up) that flows which mostly wait may hold at once. With
 * every grid of a thread waiting, its core idles (the CPU of a 2-core run fell to ~40 % for a
 * second or two, 5–9 s in): the rest of its grids replay the flows that work meanwhile. Over
 * five pairs back to back, 0.6 against none: 18.9 against 19.6 s. A lane of one or two grids
 * (the target's own, a small run's) is not bounded by it.
 */
export const WAITING_SHARE = 0.6

export type Queued = { index: number, waits: number }

/**
 * Which queued flow (longest waits first) a lane takes next: the first, unless `waiting` of its
 * grids already hold as many flows that mostly wait as its share allows (`cap`); then the first
 * that does not. With only such flows left, the first.
 */
export function nextOf (queue: readonly Queued[], waiting: number, cap: number): number {
  if (waiting < cap) return 0
  const working = queue.findIndex((q) => !mostlyWaits(q))
  return working < 0 ? 0 : working
}

/**
 * Delivers each flow's start, checks and end together and in flow order, however the lanes
 * finish: a progress line never mixes two flows.
 */
class InOrder {
  readonly #done = new Map<number, FlowResult>()
  #next = 0
  constructor (private readonly flows: readonly LoadedFlow[], private readonly options: SuiteOptions) {}

  finished (index: number, result: FlowResult): void {
    this.#done.set(index, result)
    for (let r = this.#done.get(this.#next); r !== undefined; r = this.#done.get(this.#next)) {
      this.options.onFlowStart?.(this.flows[this.#next]!)
      for (const c of r.checks) this.options.onCheck?.(c)
      this.options.onFlowEnd?.(r)
      this.#next++
    }
  }
}

/** Waits for every one (no flow is left running on a lane about to close), then throws the first failure. */
async function settle (running: Array<Promise<void>>): Promise<void> {
  const failed = (await Promise.allSettled(running)).find((s) => s.status === 'rejected')
  if (failed !== undefined) throw failed.reason
}

/**
 * How many flows run at once: one for a serial run or a target that cannot fork, else the
 * concurrency asked for, bounded by the number of flows (`flowCount`, once known).
 */
export function flowsAtOnce (canFork: boolean, options: Pick<SuiteOptions, 'serial' | 'concurrency'>, flowCount: number): number {
  if (options.serial === true || !canFork) return 1
  return Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, flowCount))
}

/**
 * The forks of a run, started at once: each worker thread loads the modules and starts its grids
 * (seconds), so the earlier they start, the sooner their lanes join. `forkOf` is `target.fork`, or
 * what will be that of a target still starting (runConformance); `here`, when given, starts this
 * thread's share of grids beside the target's own (forkSizes).
 */
export function startForks (forkOf: (flowsAtOnce: number) => Promise<Lane>, concurrency: number, here?: (flowsAtOnce: number) => Promise<Lane>): Array<Promise<Lane>> {
  const sizes = forkSizes(concurrency, availableParallelism(), here !== undefined)
  const lanes = [...sizes.workers.map(forkOf), ...(sizes.here > 0 && here !== undefined ? [here(sizes.here)] : [])]
  // Each is awaited (and its failure reported) by the run; not unhandled meanwhile.
  for (const lane of lanes) lane.catch(() => {})
  return lanes
}

export async function runSuite (target: Target, options: SuiteOptions = {}): Promise<RunResult> {
  const started = Date.now()
  // The forks first: their threads start while this one reads and checks the flow files. A
  // selection of flows bounds how many run at once before the files are read.
  let forks = options.forks
  const atOnce = flowsAtOnce(target.fork !== undefined, options, options.flows?.length ?? Infinity)
  if (forks === undefined && atOnce > 1) forks = startForks(target.fork!, atOnce)
  try {
    return await replayAll(target, options, started, forks ?? [])
  } finally {
    // Every fork is closed once it has started, whether the run used it or not (it failed
    // before the first flow, or turned out to have a single flow).
    await Promise.all((forks ?? []).map(closeLane))
  }
}

async function replayAll (target: Target, options: SuiteOptions, started: number, starting: Array<Promise<Lane>>): Promise<RunResult> {
  const { flows, problems } = loadFlows()
  if (problems.length > 0) throw new Error(`the flow files do not validate: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`)
  const chosen = selectFlows(flows, options.flows)
  const results: FlowResult[] = new Array(chosen.length)
  const order = new InOrder(chosen, options)
  const replay = async (index: number, on: Lane): Promise<void> => {
    const raw = await on.runFlow(chosen[index]!, { eventTimeoutMs: options.eventTimeoutMs, clientInterface: options.clientInterface })
    results[index] = { ...raw, checks: applyExpectations(raw.checks, options.expectedFailures ?? []) }
    order.finished(index, results[index])
  }
  if (flowsAtOnce(target.fork !== undefined || starting.length > 0, options, chosen.length) === 1 || starting.length === 0) {
    for (let i = 0; i < chosen.length; i++) await replay(i, inThisThread(target))
  } else {
    // Longest waits first (stable: ties keep the flow order); each lane takes the next flow when
    // free, within its share of flows that mostly wait (nextOf).
    const queue: Queued[] = chosen.map((f, index) => ({ index, waits: waitsFor(f) })).sort((a, b) => b.waits - a.waits || a.index - b.index)
    // As many loops on each lane as it takes flows at once; each ends when the queue is empty.
    let stopped = false
    const loops = async (lane: Lane): Promise<void> => {
      const cap = Math.ceil(lane.flowsAtOnce * WAITING_SHARE)
      let waiting = 0
      const take = (): Queued | undefined => stopped || queue.length === 0 ? undefined : queue.splice(nextOf(queue, waiting, cap), 1)[0]
      await settle(Array.from({ length: lane.flowsAtOnce }, async () => {
        try {
          for (let next = take(); next !== undefined; next = take()) {
            const waits = mostlyWaits(next)
            if (waits) waiting++
            try {
              await replay(next.index, lane)
            } finally {
              if (waits) waiting--
            }
          }
        } catch (err) {
          stopped = true // the other lanes finish their flow and stop
          throw err
        }
      }))
    }
    // The target's own lane starts at once, the longest waits first, while the forks start
    // (seconds: a worker loads the modules and starts its grids); each fork joins when open.
    const forked = async (fork: Promise<Lane>): Promise<void> => {
      let lane: Lane
      try {
        lane = await fork
      } catch (err) {
        stopped = true
        throw new Error(`could not start another instance of the target: ${(err as Error).message}`)
      }
      if (!stopped) await loops(lane)
    }
    await settle([loops(inThisThread(target)), ...starting.map(forked)])
  }
  return { target: target.name, clientInterface: options.clientInterface ?? 'http', startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, flows: results }
}
