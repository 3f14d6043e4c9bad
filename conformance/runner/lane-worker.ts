// The worker thread of a forked lane (lane.ts): embedded grids of its own, and the flows it is
// given replayed against them, one flow per grid at a time. Loaded by URL, not imported: the
// package build names it in tsconfig.build.json.
import { parentPort, workerData } from 'node:worker_threads'
import { startGrids, type EmbeddedOptions } from '../target/embedded.ts'
import { gridsLane, type LaneAnswer, type LaneRequest } from './lane.ts'

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
const lane = gridsLane(await startGrids(options, grids))
port.on('message', (m: LaneRequest) => {
  if (m.kind === 'close') {
    lane.close().catch(() => {}).finally(() => { answer({ kind: 'closed' }) })
    return
  }
  lane.runFlow(m.flow, { eventTimeoutMs: m.eventTimeoutMs, clientInterface: m.clientInterface }).then(
    (result) => { answer({ kind: 'result', id: m.id, result }) },
    (err: Error) => { answer({ kind: 'error', id: m.id, message: err.message }) }
  )
})
answer({ kind: 'ready' })
