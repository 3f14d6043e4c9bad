// A WebSocket client of the client stream for the region's tests: real sockets on 127.0.0.1,
// every frame the region sends checked against the frame schemas, and waits bounded by time.
import { WebSocket } from 'ws'
import { CLIENT_STREAM_PATH, CLIENT_STREAM_PROTOCOL, type RegionFrame } from '../../openapi/client-stream/frames.ts'
import { createAjv } from '../lib/contract/ajv.ts'
import { clientStreamSchemas } from '../lib/contract/client-stream-schemas.ts'

const ajv = createAjv()
const schemas = clientStreamSchemas()
const regionFrames = { ready: ajv.compile(schemas.ready), event: ajv.compile(schemas.event), result: ajv.compile(schemas.result), problem: ajv.compile(schemas.problem) }

export type StreamClient = {
  ws: WebSocket
  /** Sends one frame: an object as JSON, a string or Buffer as it is. */
  send: (frame: object | string | Buffer) => void
  /** The next frame the region sent (waiting up to `ms`). */
  next: (ms?: number) => Promise<RegionFrame>
  /** Frames until one satisfies `done` (inclusive). */
  until: (done: (frame: RegionFrame) => boolean, ms?: number) => Promise<RegionFrame[]>
  /** Resolves with the close code and reason once the connection is closed. */
  closed: Promise<{ code: number, reason: string }>
  /** Frames received and not yet taken by next/until. */
  pending: () => RegionFrame[]
  /** Pings the region sent. */
  pings: () => number
}

/** Opens the stream at `base` (an http:// URL) and resolves once it is open. */
export async function openStream (base: string, protocols: string[] = [CLIENT_STREAM_PROTOCOL]): Promise<StreamClient> {
  const ws = new WebSocket(base.replace(/^http/, 'ws') + CLIENT_STREAM_PATH, protocols)
  const queue: RegionFrame[] = []
  const waiters: Array<() => void> = []
  let pings = 0
  const invalid: string[] = []
  ws.on('ping', () => { pings++ })
  ws.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString('utf8')) as RegionFrame
    const validate = regionFrames[frame.type]
    if (validate === undefined || !validate(frame)) invalid.push(`${data.toString('utf8')}: ${ajv.errorsText(validate?.errors)}`)
    queue.push(frame)
    for (const wake of waiters.splice(0)) wake()
  })
  const closed = new Promise<{ code: number, reason: string }>((resolve) => ws.on('close', (code, reason) => {
    resolve({ code, reason: reason.toString() })
    for (const wake of waiters.splice(0)) wake()
  }))
  await new Promise<void>((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
  const next = async (ms = 3000): Promise<RegionFrame> => {
    const deadline = Date.now() + ms
    while (queue.length === 0) {
      if (invalid.length > 0) throw new Error(`the region sent a frame outside the schemas: ${invalid[0]}`)
      if (ws.readyState === WebSocket.CLOSED) throw new Error('the stream closed while a frame was awaited')
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no frame within ${ms} ms`)
      await new Promise<void>((resolve) => { const timer = setTimeout(resolve, left); waiters.push(() => { clearTimeout(timer); resolve() }) })
    }
    if (invalid.length > 0) throw new Error(`the region sent a frame outside the schemas: ${invalid[0]}`)
    return queue.shift()!
  }
  return {
    ws,
    send: (frame) => { ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame)) },
    next,
    until: async (done, ms = 3000) => {
      const frames: RegionFrame[] = []
      const deadline = Date.now() + ms
      for (;;) {
        const frame = await next(Math.max(1, deadline - Date.now()))
        frames.push(frame)
        if (done(frame)) return frames
      }
    },
    closed,
    pending: () => [...queue],
    pings: () => pings
  }
}

/** Waits until `check` holds, polling every 10 ms for at most `ms`. */
export async function eventually (check: () => boolean, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return true
}
