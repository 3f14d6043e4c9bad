// The worker thread of a forked lane (lane.ts): embedded grids of its own, and the flows it is
// given replayed against them, one flow per grid at a time. Loaded by URL, not imported: the
// package build names it in tsconfig.build.json.
import { parentPort, workerData } from 'node:worker_threads'
import { startEmbeddedTarget, type EmbeddedOptions } from '../target/embedded.ts'
import type { LaneAnswer, LaneRequest } from './lane.ts'
import { runFlow } from './run-flow.ts'

const port = parentPort!
const answer = (m: LaneAnswer): void => {
  try {
    port.postMessage(m)
  } catch (err) {
    // A result that cannot be copied to the other thread fails its flow, not the worker.
    port.postMessage({ kind: 'error', id: 'id' in m ? m.id : undefined, message: `the lane could not send its answer: ${(err as Error).message}` } satisfies LaneAnswer)
  }
}
const { options, grids } = workerData as { options: EmbeddedOptions, grids: number }
const started = await Promise.allSettled(Array.from({ length: grids }, async () => await startEmbeddedTarget(options)))
const targets = started.flatMap((s) => s.status === 'fulfilled' ? [s.value] : [])
const failed = started.find((s) => s.status === 'rejected')
if (failed !== undefined) {
  await Promise.all(targets.map(async (t) => { await t.close() }))
  throw failed.reason
}
/** The grids no flow is using; the runner never gives this lane more flows at once than it has. */
const free = [...targets]
port.on('message', (m: LaneRequest) => {
  if (m.kind === 'close') {
    Promise.all(targets.map(async (t) => { await t.close() })).catch(() => {}).finally(() => { answer({ kind: 'closed' }) })
    return
  }
  const target = free.pop()
  if (target === undefined) {
    answer({ kind: 'error', id: m.id, message: `more flows at once than this lane's ${grids} grids` })
    return
  }
  runFlow(m.flow, target, { eventTimeoutMs: m.eventTimeoutMs }).then(
    (result) => { answer({ kind: 'result', id: m.id, result }) },
    (err: Error) => { answer({ kind: 'error', id: m.id, message: err.message }) }
  ).finally(() => { free.push(target) })
})
answer({ kind: 'ready' })
