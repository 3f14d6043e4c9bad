// The worker thread of a forked lane (lane.ts): an embedded grid of its own, and the flows it is
// given replayed against it one at a time.
import { parentPort, workerData } from 'node:worker_threads'
import { loadFlows } from '../../tools/spec/flows.ts'
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
const { options } = workerData as { options: EmbeddedOptions }
const flows = new Map(loadFlows().flows.map((f) => [f.flow.id, f]))
const target = await startEmbeddedTarget(options)
port.on('message', (m: LaneRequest) => {
  if (m.kind === 'close') {
    target.close().catch(() => {}).finally(() => { answer({ kind: 'closed' }) })
    return
  }
  const flow = flows.get(m.flow)
  if (flow === undefined) { answer({ kind: 'error', id: m.id, message: `no such flow: ${m.flow}` }); return }
  runFlow(flow, target, { eventTimeoutMs: m.eventTimeoutMs }).then(
    (result) => { answer({ kind: 'result', id: m.id, result }) },
    (err: Error) => { answer({ kind: 'error', id: m.id, message: err.message }) })
})
answer({ kind: 'ready' })
