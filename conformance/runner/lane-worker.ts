// The worker thread of a forked lane (lane.ts): embedded grids of its own, and the flows it is
// given replayed against them, one flow per grid at a time. Loaded by URL, not imported: the
// package build names it in tsconfig.build.json.
import { parentPort, workerData } from 'node:worker_threads'
import { startEmbeddedTarget, type EmbeddedOptions } from '../target/embedded.ts'
import { growingGridsLane, type LaneAnswer, type LaneRequest } from './lane.ts'

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
// The grids start one after another and each takes flows as soon as it is up: the first flows
// replay here a second or so after the modules are loaded, not once every grid has started
// (each start is mostly this thread's CPU, so starting them together finishes none sooner).
const lane = growingGridsLane(grids)
let closing: Promise<void> | undefined
const starting = (async () => {
  for (let i = 0; i < grids && closing === undefined; i++) {
    lane.add(await startEmbeddedTarget(options))
    if (i === 0) answer({ kind: 'ready' })
  }
})()
// A grid that does not start ends the lane: before the first, the lane is not opened (the run
// cannot start); after, the flows given to this lane fail with the reason.
starting.catch((err: Error) => { answer({ kind: 'error', message: `could not start an embedded grid: ${err.message}` }) })
port.on('message', (m: LaneRequest) => {
  if (m.kind === 'close') {
    closing ??= starting.catch(() => {}).then(async () => { await lane.close() }).catch(() => {})
    closing.finally(() => { answer({ kind: 'closed' }) })
    return
  }
  lane.runFlow(m.flow, { eventTimeoutMs: m.eventTimeoutMs, clientInterface: m.clientInterface }).then(
    (result) => { answer({ kind: 'result', id: m.id, result }) },
    (err: Error) => { answer({ kind: 'error', id: m.id, message: err.message }) }
  )
})
