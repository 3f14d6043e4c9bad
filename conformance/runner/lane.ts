// A lane: somewhere flows replay one at a time, beside other lanes (run-suite.ts). The target
// itself is one; an embedded grid forks more, each a worker thread with a grid of its own, so
// that the lanes use every core (a flow's replay and the grid it judges are JavaScript: one
// thread each would hold the whole run to one core).
import { Worker } from 'node:worker_threads'
import { DOCUMENTS, loadDocument, loadedDocuments } from '../../reference/lib/contract/load-openapi.ts'
import type { LoadedFlow } from '../../tools/spec/flows.ts'
import type { ClientInterface } from '../lib/client-session.ts'
import type { EmbeddedOptions } from '../target/embedded.ts'
import type { Target } from '../target/target.ts'
import type { FlowResult } from './results.ts'
import { runFlow, type RunFlowOptions } from './run-flow.ts'

export type Lane = {
  /** How many flows it replays at once (each on a grid of its own). */
  flowsAtOnce: number
  runFlow: (flow: LoadedFlow, options: Pick<RunFlowOptions, 'eventTimeoutMs' | 'clientInterface'>) => Promise<FlowResult>
  close: () => Promise<void>
}

/**
 * What the lane's worker is told, and what it answers (lane-worker.ts). The flow goes as it was
 * loaded (plain data): the worker does not read and validate the flow files again.
 */
export type LaneRequest = { kind: 'flow', id: number, flow: LoadedFlow, eventTimeoutMs?: number, clientInterface?: ClientInterface } | { kind: 'close' }
export type LaneAnswer = { kind: 'ready' } | { kind: 'closed' } | { kind: 'result', id: number, result: FlowResult } | { kind: 'error', id?: number, message: string }

/**
 * Grids in this thread, one flow on each at a time: what a worker's lane does (lane-worker.ts),
 * and a fork of an embedded grid asked for `lanes: 'this-thread'` (the test suite, whose coverage
 * tool sees only this thread). Closing it closes the grids.
 */
export function gridsLane (targets: readonly Target[]): Lane {
  const lane = growingGridsLane(targets.length)
  for (const t of targets) lane.add(t)
  return lane
}

/**
 * A lane of `grids` grids that join as each one starts (`add`): a flow given to it meanwhile waits
 * for a grid still to come, so flows replay on the first grid while the others are starting.
 * Closing it closes the grids added, also those added after (a start still under way).
 */
export function growingGridsLane (grids: number): Lane & { add: (target: Target) => void, fail: (err: Error) => void } {
  const all: Target[] = []
  const free: Target[] = []
  const waiting: Array<{ resolve: (t: Target) => void, reject: (err: Error) => void }> = []
  let closed = false
  /** Why no more grids will join: a flow that would wait for one fails with it. */
  let failed: Error | undefined
  const release = (t: Target): void => {
    const next = waiting.shift()
    if (next !== undefined) next.resolve(t)
    else free.push(t)
  }
  return {
    flowsAtOnce: grids,
    add: (target) => {
      all.push(target)
      if (closed) target.close().catch(() => {})
      else release(target)
    },
    fail: (err) => {
      failed = err
      for (const w of waiting.splice(0)) w.reject(err)
    },
    runFlow: async (flow, options) => {
      if (closed) throw new Error('the lane is closed')
      // A flow may wait only for a grid still starting: no two flows ever share one.
      const target = free.pop() ?? (failed === undefined && waiting.length < grids - all.length ? await new Promise<Target>((resolve, reject) => { waiting.push({ resolve, reject }) }) : undefined)
      if (target === undefined && failed !== undefined) throw failed
      if (target === undefined) throw new Error(`more flows at once than this lane's ${grids} grids`)
      try {
        return await runFlow(flow, target, options)
      } finally {
        release(target)
      }
    },
    close: async () => {
      closed = true
      await Promise.all(all.map(async (t) => { await t.close() }))
    }
  }
}

/**
 * A lane of `grids` grids that `start` starts one after another in this thread, each taking flows
 * as soon as it is up; open (resolved) once the first is. A grid that does not start fails the
 * lane: before the first, its opening; after, the flows waiting for a grid.
 */
export async function startedGridsLane (grids: number, start: () => Promise<Target>): Promise<Lane> {
  const lane = growingGridsLane(grids)
  let closing: Promise<void> | undefined
  let first: ((err?: Error) => void) | undefined
  const opened = new Promise<void>((resolve, reject) => { first = (err) => { if (err === undefined) resolve(); else reject(err) } })
  const starting = (async () => {
    for (let i = 0; i < grids && closing === undefined; i++) {
      lane.add(await start())
      if (i === 0) first?.()
    }
  })()
  starting.catch((err: Error) => {
    first?.(err)
    lane.fail(new Error(`could not start an embedded grid: ${err.message}`))
  })
  await opened
  return {
    flowsAtOnce: grids,
    runFlow: lane.runFlow,
    close: async () => {
      closing ??= starting.catch(() => {}).then(async () => { await lane.close() })
      await closing
    }
  }
}

/** Closes a lane once it has started; one that failed to start has nothing to close. */
export async function closeLane (lane: Promise<Lane>): Promise<void> {
  await (await lane.catch(() => undefined))?.close()
}

/** The bundle of the worker's sources (tools/bin/bundle.js, plain JavaScript beside them), if one is to be used. */
async function bundledEntry (entry: URL): Promise<URL | undefined> {
  const { bundled } = await import(new URL('../../tools/bin/bundle.js', import.meta.url).href) as { bundled: (entry: URL) => Promise<URL | undefined> }
  return await bundled(entry)
}

/** The target's own lane: flows replay in this thread. Closing it leaves the target to its owner. */
export function inThisThread (target: Target): Lane {
  return { flowsAtOnce: 1, runFlow: async (flow, options) => await runFlow(flow, target, options), close: async () => {} }
}

/**
 * A worker thread that starts `grids` embedded grids with `options` and replays the flows it is
 * given there, each on a grid no other flow is using. In the repository the sources are TypeScript: the worker registers tsx first, as
 * tools/bin/launch.js does for the commands.
 */
export async function embeddedLane (options: EmbeddedOptions, grids = 1): Promise<Lane> {
  const self = new URL(import.meta.url)
  const source = self.pathname.endsWith('.ts')
  const entry = new URL(`./lane-worker${source ? '.ts' : '.js'}`, self)
  // From the sources, the worker loads one bundle of them (tools/bin/bundle.js: ~2.5 s of CPU
  // less per thread than through tsx), or registers tsx where no bundle is to be used.
  const bundle = source ? await bundledEntry(entry) : undefined
  const tsx = source && bundle === undefined ? import.meta.resolve('tsx/esm/api') : undefined
  // The OpenAPI documents go along, read here once (this thread's grid reads them anyway) and
  // copied (milliseconds): the worker adopts them before its grids start and reads no YAML.
  for (const name of DOCUMENTS) loadDocument(name)
  const documents = loadedDocuments()
  const code = 'const { workerData } = require(\'node:worker_threads\');' +
    '(async () => { if (workerData.tsx) (await import(workerData.tsx)).register(); if (workerData.bundle) process.setSourceMapsEnabled(true); await import(workerData.bundle ?? workerData.entry) })()' +
    '.catch((err) => { require(\'node:worker_threads\').parentPort.postMessage({ kind: \'error\', message: String(err && err.stack || err) }) })'
  const worker = new Worker(code, { eval: true, workerData: { tsx, entry: entry.href, bundle: bundle?.href, documents, options, grids } })
  const waiting = new Map<number, { resolve: (r: FlowResult) => void, reject: (e: Error) => void }>()
  let next = 0
  let closed: (() => void) | undefined
  /** Why the lane takes no more flows: its worker exited. */
  let gone: string | undefined
  const failAll = (message: string): void => {
    for (const w of waiting.values()) w.reject(new Error(`a lane of the run failed: ${message}`))
    waiting.clear()
  }
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: LaneAnswer) => {
      if (m.kind === 'ready') resolve()
      else if (m.kind === 'closed') closed?.()
      else if (m.kind === 'result') { waiting.get(m.id)?.resolve(m.result); waiting.delete(m.id) }
      else if (m.id !== undefined) { waiting.get(m.id)?.reject(new Error(m.message)); waiting.delete(m.id) }
      else { reject(new Error(m.message)); failAll(m.message) }
    })
    worker.on('error', (err) => { reject(err); failAll(err.message) })
    worker.on('exit', (code) => { gone = `its worker exited with ${code}`; reject(new Error(`the lane's worker exited with ${code}`)); failAll(gone); closed?.() })
  }).catch(async (err: Error) => { await worker.terminate(); throw err })
  return {
    flowsAtOnce: grids,
    runFlow: async (flow, { eventTimeoutMs, clientInterface }) => await new Promise<FlowResult>((resolve, reject) => {
      if (gone !== undefined) { reject(new Error(`a lane of the run failed: ${gone}`)); return }
      const id = next++
      try {
        worker.postMessage({ kind: 'flow', id, flow, eventTimeoutMs, clientInterface } satisfies LaneRequest)
      } catch (err) {
        reject(new Error(`the flow ${flow.flow.id} could not be sent to the lane: ${(err as Error).message}`))
        return
      }
      waiting.set(id, { resolve, reject })
    }),
    close: async () => {
      if (gone !== undefined) return
      // The worker closes its grid (stops its servers, removes its folder), then is ended.
      await new Promise<void>((resolve) => { closed = resolve; worker.postMessage({ kind: 'close' } satisfies LaneRequest) })
      await worker.terminate()
    }
  }
}
