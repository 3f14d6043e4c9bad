// 1:1 messages over the client stream (spec chapter 10, "The client stream"; frames in
// openapi/client-stream/frames.ts): one WebSocket per user, for sending and receiving alike.
// The sender's client sends `sendInstantMessage` frames and reads each `result`; the region
// delivers straight to the recipient's region (signed HTTP, GRIDIM-IM-1), and the recipient's
// client reads the message as an `event` frame. A lean client: `ws` without permessage-deflate,
// frames built as the TypeScript types of frames.ts say, nothing validated beyond what the
// benchmark reads (the conformance runner checks the frames; this measures the servers).
import WebSocket from 'ws'
import { CLIENT_STREAM_PATH, CLIENT_STREAM_PROTOCOL, type ClientFrame, type RegionFrame, type ResultFrame } from '../../../openapi/client-stream/frames.ts'
import type { ClientEvent } from '../../../reference/lib/contract/types.ts'
import { mapLimit } from '../harness/concurrency.ts'
import type { Link } from '../harness/load.ts'
import type { GridClient } from './grid-link.ts'
import { payload, seqOf } from './payload.ts'

/** The upgrade was answered with a status that says the region has no client stream (404, 426). */
export class ClientStreamRefused extends Error {
  override name = 'ClientStreamRefused'
  constructor (readonly url: string, readonly status: number) {
    super(`the region has no client stream: GET ${url} with Upgrade: websocket was answered ${status}`)
  }
}

/** Statuses that mean "no client stream here" rather than "the stream is broken". */
const REFUSALS = new Set([404, 426])

export type Problem = Extract<RegionFrame, { type: 'problem' }>['problem']

export type StreamHandlers = {
  event?: (event: ClientEvent) => void
  result?: (ref: string, result: ResultFrame['result']) => void
  problem?: (ref: string | undefined, problem: Problem) => void
  /** A frame that is not a JSON object of a region frame type; or the stream closed while in use. */
  broken?: (why: string) => void
}

export function streamUrl (regionUrl: string): string {
  const url = new URL(CLIENT_STREAM_PATH, regionUrl)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.href
}

/** One client's stream, ready (the region answered hello). */
export type ClientStream = {
  userId: string
  send: (frame: ClientFrame) => void
  close: () => void
}

function connect (url: string, timeoutMs: number): { ws: WebSocket, opened: Promise<void> } {
  const ws = new WebSocket(url, CLIENT_STREAM_PROTOCOL, { perMessageDeflate: false, handshakeTimeout: timeoutMs })
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      res.resume()
      const status = res.statusCode ?? 0
      reject(REFUSALS.has(status) ? new ClientStreamRefused(url, status) : new Error(`GET ${url}: the upgrade was answered ${status}`))
      ws.terminate()
    })
    ws.on('error', (error) => reject(new Error(`GET ${url}: ${error.message}`)))
    // RFC 6455 §4.1: a server that selects no subprotocol, or another, did not agree to speak
    // gridim.client.v1; ws fails that handshake itself ("Server sent no subprotocol").
    ws.once('open', () => resolve())
  })
  return { ws, opened }
}

/**
 * Whether the region at regionUrl serves the client stream: true when the upgrade succeeds,
 * false when it is refused with 404 or 426 (the region predates it); anything else throws.
 */
export async function probeClientStream (regionUrl: string, timeoutMs = 10_000): Promise<{ available: true } | { available: false, reason: string }> {
  const { ws, opened } = connect(streamUrl(regionUrl), timeoutMs)
  try {
    await opened
    ws.close(1000)
    return { available: true }
  } catch (error) {
    if (error instanceof ClientStreamRefused) return { available: false, reason: error.message }
    throw error
  }
}

function parseFrame (data: WebSocket.RawData, isBinary: boolean): RegionFrame | string {
  if (isBinary) return 'a binary frame (the client stream is text frames of JSON)'
  let frame: unknown
  try {
    frame = JSON.parse(data.toString())
  } catch {
    return 'a frame that is not JSON'
  }
  const type = (frame as { type?: unknown } | null)?.type
  if (typeof frame !== 'object' || frame === null || !['ready', 'event', 'result', 'problem'].includes(type as string)) return `a frame of unknown type ${JSON.stringify(type)}`
  return frame as RegionFrame
}

/**
 * Opens the stream of one session: sends hello with the session secret, resolves on `ready`.
 * Rejects on a refused upgrade (ClientStreamRefused), a problem or close before ready, or timeout.
 */
export async function openClientStream (regionUrl: string, sessionSecret: string, handlers: StreamHandlers, timeoutMs = 10_000): Promise<ClientStream> {
  const url = streamUrl(regionUrl)
  const { ws, opened } = connect(url, timeoutMs)
  await opened
  return await new Promise<ClientStream>((resolve, reject) => {
    let ready = false
    let closing = false
    // GRIDIM-CLI-26 (GRIDIM-CLI-38 on the stream): an ordinary client acknowledges what it has
    // taken, so the region may mark it read instead of returning it at the session's end. One
    // ack per event-loop turn, with the last event id, covers every event that arrived together.
    let lastEventId = ''
    let ackPending = false
    const acknowledge = (): void => {
      ackPending = false
      // A stream this client closed meanwhile: a later session's hello with `after` would ack.
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'ack', cursor: lastEventId } satisfies ClientFrame))
    }
    const timer = setTimeout(() => fail(`no ready frame within ${timeoutMs} ms of hello`), timeoutMs)
    const fail = (why: string): void => {
      clearTimeout(timer)
      if (!ready) { reject(new Error(`${url}: ${why}`)); ws.terminate(); return }
      handlers.broken?.(why)
    }
    ws.on('message', (data, isBinary) => {
      const frame = parseFrame(data, isBinary)
      if (typeof frame === 'string') return fail(frame)
      if (!ready) {
        if (frame.type === 'ready') {
          ready = true
          clearTimeout(timer)
          resolve({ userId: frame.userId, send: (f) => ws.send(JSON.stringify(f)), close: () => { closing = true; ws.close(1000) } })
          return
        }
        if (frame.type === 'problem') return fail(`hello was refused: ${frame.problem.status} ${frame.problem.title}${frame.problem.detail === undefined ? '' : ` (${String(frame.problem.detail)})`}`)
        return fail(`a ${frame.type} frame before ready`)
      }
      switch (frame.type) {
        case 'event':
          handlers.event?.(frame.event)
          lastEventId = frame.event.id
          if (!ackPending) { ackPending = true; setImmediate(acknowledge) }
          break
        case 'result': handlers.result?.(frame.ref, frame.result); break
        case 'problem': handlers.problem?.(frame.ref, frame.problem); break
        case 'ready': fail('a second ready frame'); break
      }
    })
    ws.on('close', (code, reason) => { if (!closing) fail(`the stream closed (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`) })
    ws.send(JSON.stringify({ type: 'hello', sessionSecret } satisfies ClientFrame))
  })
}

export type StreamLink = Link & { errors: number, close: () => void, outcomes: Record<string, number>, problems: Record<string, number> }

/** The link of scenario 1 over client streams: pair i's sender streams to its recipient's. */
export async function openStreamLink (pairs: Array<{ from: GridClient, to: GridClient }>, size: number): Promise<StreamLink> {
  const outcomes: Record<string, number> = {}
  const problems: Record<string, number> = {}
  const streams: ClientStream[] = []
  const link: StreamLink = {
    pairs: pairs.length,
    errors: 0,
    outcomes,
    problems,
    delivered: (_seq: number): void => {},
    send: (_pair: number, _seq: number): void => {},
    close: (): void => { for (const s of streams) s.close() }
  }
  const broken = (): void => { link.errors++ }
  const sender: StreamHandlers = {
    result: (_ref, result) => { const o = result?.outcome ?? '(none)'; outcomes[o] = (outcomes[o] ?? 0) + 1 },
    problem: (_ref, problem) => { link.errors++; problems[problem.code] = (problems[problem.code] ?? 0) + 1 },
    broken
  }
  const recipient: StreamHandlers = {
    // The stream's events are the session log's ClientEvents (GRIDIM-CLI-14), as on SSE.
    event: (event) => { if (event.type === 'instantMessage') link.delivered(seqOf(event.data.body)) },
    problem: sender.problem,
    broken
  }
  try {
    const opened = await mapLimit(pairs, 8, async ({ from, to }) => {
      const s = await openClientStream(from.regionUrl, from.sessionSecret, sender)
      streams.push(s)
      const r = await openClientStream(to.regionUrl, to.sessionSecret, recipient)
      streams.push(r)
      return { s, toUserId: to.userId }
    })
    link.send = (pair, seq) => {
      const { s, toUserId } = opened[pair]!
      s.send({ type: 'sendInstantMessage', ref: String(seq), message: { toUserId, body: payload(seq, size) } })
    }
  } catch (error) {
    link.close()
    throw error
  }
  return link
}
