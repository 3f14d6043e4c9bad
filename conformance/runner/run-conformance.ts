// runConformance: a whole conformance run as one library call. The `gridim-conformance` command
// (conformance/cli/main.ts) is one caller; another project can be another. It opens what it is
// told to test, replays the flows, closes what it opened and returns the RunResult the
// reporters (conformance/report) take.
import { availableParallelism } from 'node:os'
import { defaultXmpp, isInstalled, sharedJabberServer, startEmbeddedTarget, type EmbeddedOptions } from '../target/embedded.ts'
import { loadTargetFile } from '../target/target-file.ts'
import type { Target } from '../target/target.ts'
import { closeLane, embeddedLane, startedGridsLane, type Lane } from './lane.ts'
import type { RunResult } from './results.ts'
import { flowsAtOnce, forkSizes, runSuite, startForks, type ExpectedFailure, type SuiteOptions } from './run-suite.ts'

/**
 * What to test: a target file (YAML or JSON, conformance/README.md), the reference grid started
 * in this process (`xmpp` defaults to Prosody when installed, else the runner's simulated Jabber
 * server), or a Target the caller opened — and closes: runConformance closes only what it opened.
 */
export type ConformanceTarget = { file: string } | { embedded: EmbeddedOptions } | Target

export type ConformanceOptions = SuiteOptions & {
  /**
   * Called once the target is open, before the first flow (to read `missing`, or to stop the run on
   * Ctrl-C): `close` closes what this run opened — the target if it did, and every grid it forked.
   */
  onTarget?: (target: Target, close: () => Promise<void>) => void
}

type Opened = { target: Target, expectedFailures: ExpectedFailure[], owned: boolean, forks?: Array<Promise<Lane>> }

async function open (what: ConformanceTarget, options: ConformanceOptions): Promise<Opened> {
  if ('file' in what) return { ...await loadTargetFile(what.file), owned: true }
  if ('embedded' in what) {
    const xmpp = what.embedded.xmpp ?? defaultXmpp()
    if (xmpp !== 'none' && !isInstalled(xmpp)) throw new Error(`${xmpp} is not installed (sudo apt-get install -y ${xmpp}), or run with --xmpp simulated`)
    const embedded = { ...what.embedded, xmpp }
    // The forks' worker threads start beside the embedded grid rather than after it (its own
    // start takes a second or two): the lanes that hold most flows join that much sooner. This
    // thread's share of grids starts after its own grid, one at a time. A run asked to stay in
    // this thread (`lanes: this-thread`) forks through the target once it is open.
    // The grids of this thread — its own and its share of the flows at once (forkSizes) — link
    // to one Jabber server.
    const concurrency = flowsAtOnce(embedded.lanes !== 'this-thread', options, options.flows?.length ?? Infinity)
    const jabber = sharedJabberServer(embedded, concurrency > 1 ? forkSizes(concurrency, availableParallelism(), true).here + 1 : 1)
    const own = startEmbeddedTarget(embedded, jabber)
    const here = async (n: number): Promise<Lane> => {
      await own // a target that did not start fails the run; no grid beside it is started
      return await startedGridsLane(n, async () => await startEmbeddedTarget(embedded, jabber))
    }
    const forks = concurrency > 1 ? startForks(async (n) => await embeddedLane(embedded, n), concurrency, here) : undefined
    try {
      return { target: await own, expectedFailures: [], owned: true, forks }
    } catch (err) {
      await Promise.all((forks ?? []).map(closeLane))
      throw err
    }
  }
  return { target: what, expectedFailures: [], owned: false }
}

/** Replays the flows (all, or `options.flows`) against the target; the target file's expected failures come first. */
export async function runConformance (what: ConformanceTarget, options: ConformanceOptions = {}): Promise<RunResult> {
  const { target, expectedFailures, owned, forks } = await open(what, options)
  const closeForks = async (): Promise<void> => { await Promise.all((forks ?? []).map(closeLane)) }
  try {
    try {
      // Each closed whatever another's closing does: one that fails must not cut the others short.
      options.onTarget?.(target, async () => { await Promise.allSettled([owned ? target.close() : undefined, ...(forks ?? []).map(closeLane)]) })
    } catch (err) {
      await closeForks()
      throw err
    }
    return await runSuite(target, { ...options, expectedFailures: [...expectedFailures, ...options.expectedFailures ?? []], ...(forks === undefined ? {} : { forks }) })
  } finally {
    if (owned) await target.close()
  }
}
