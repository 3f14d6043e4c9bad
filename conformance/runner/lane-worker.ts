// The worker thread of a forked lane (lane.ts): embedded grids of its own, and the flows it is
// given replayed against them, one flow per grid at a time. Loaded by URL, not imported: the
// package build names it in tsconfig.build.json.
import { parentPort, workerData } from 'node:worker_threads'
import { adoptDocuments, type OpenApiDocument } from '../../reference/lib/contract/load-openapi.ts'
import { sharedJabberServer, startEmbeddedTarget, type EmbeddedOptions } from '../target/embedded.ts'
import { startedGridsLane, type LaneAnswer, type LaneRequest } from './lane.ts'

const port = parentPort!
const answer = (m: LaneAnswer): void => {
  try {
    port.postMessage(m)
  } catch (err) {
    // A result that cannot be copied to the other thread fails its flow, not the worker.
    port.postMessage({ kind: 'error', id: 'id' in m ? m.id : undefined, message: `the lane could not send its answer: ${(err as Error).message}` } satisfies LaneAnswer)
  }
}
const { options, grids, documents } = workerData as { options: EmbeddedOptions, grids: number, documents: Record<string, OpenApiDocument> }
// The OpenAPI documents the starting thread read (lane.ts), taken before any grid reads them.
adoptDocuments(documents)
// The grids start one after another and each takes flows as soon as it is up: the first flows
// replay here a second or so after the modules are loaded, not once every grid has started
// (each start is mostly this thread's CPU, so starting them together finishes none sooner).
// A grid that does not start before the first ends the lane (the run cannot start); after, the
// flows given to this lane fail with the reason.
// Their gateways link to one Jabber server of this thread's (embedded.ts, SharedJabberServer).
const jabber = sharedJabberServer(options, grids)
const opening = startedGridsLane(grids, async () => await startEmbeddedTarget(options, jabber))
opening.then(
  () => { answer({ kind: 'ready' }) },
  (err: Error) => { answer({ kind: 'error', message: `could not start an embedded grid: ${err.message}` }) }
)
let closing: Promise<void> | undefined
port.on('message', (m: LaneRequest) => {
  if (m.kind === 'close') {
    closing ??= opening.then(async (lane) => { await lane.close() }).catch(() => {})
    closing.finally(() => { answer({ kind: 'closed' }) })
    return
  }
  opening.then(async (lane) => await lane.runFlow(m.flow, { eventTimeoutMs: m.eventTimeoutMs, clientInterface: m.clientInterface })).then(
    (result) => { answer({ kind: 'result', id: m.id, result }) },
    (err: Error) => { answer({ kind: 'error', id: m.id, message: err.message }) }
  )
})
