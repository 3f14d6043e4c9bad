// The runner actions of the client stream's own flows (x-client-stream-*): a user's client
// opening a stream of its own beside its session — with a good hello, a spoilt one, none, or a
// handshake without the subprotocol — sending frames as written (malformed ones on purpose),
// reading what comes, and closing it. Each answers what the stream sent during the step, so a
// flow judges it with `response` expectations; what breaks the frame rules is also judged as on
// every stream (run-flow.ts). Every wait is bounded.
import { CLIENT_STREAM_PROTOCOL } from '../../openapi/client-stream/frames.ts'
import { ClientStream, HandshakeRefused, STREAM_REQUEST_MS } from '../lib/client-stream.ts'
import type { ActionResult } from './actions.ts'
import type { FlowContext } from './flow-context.ts'
import { BEARER_SPOILS, spoilBearer, type BearerSpoil } from './spoil-bearer.ts'

export const STREAM_ACTIONS = ['open-stream', 'stream-send', 'stream-read', 'close-stream'] as const
export type StreamAction = typeof STREAM_ACTIONS[number]

/** How long a step reads after the last frame (or its answers) before it takes the stream as quiet. */
const QUIET_MS = 300
/** The longest a step reads, quiet or not, or waits for a close. */
const MAX_READ_MS = 10_000

export function isStreamAction (call: string): call is StreamAction {
  return (STREAM_ACTIONS as readonly string[]).includes(call)
}

function bounded (value: unknown, fallback: number, max: number): number {
  const n = value === undefined ? fallback : Number(value)
  if (!Number.isFinite(n) || n < 0) throw new Error(`expected a number of milliseconds ≥ 0, got ${JSON.stringify(value)}`)
  return Math.min(n, max)
}

/** How far each stream's frames have been answered to a step: a step reports what came since the last one looked. */
const looked = new WeakMap<ClientStream, number>()

/** What the stream sent since frame `from`: the frames, their events, answers by ref, and whether (and how) it closed. */
function report (stream: ClientStream, from: number, pingsFrom = 0): ActionResult {
  looked.set(stream, stream.received.length)
  const frames = stream.received.slice(from).map((r) => r.frame)
  const events = frames.flatMap((f) => (f as { type?: unknown }).type === 'event' ? [(f as { event: { id: string } }).event] : [])
  const answers: Record<string, unknown> = {}
  for (const f of frames) {
    const { type, ref } = f as { type?: unknown, ref?: unknown }
    if ((type === 'result' || type === 'problem') && typeof ref === 'string') answers[ref] ??= f
  }
  return {
    status: 101,
    body: {
      frames,
      events,
      ...(events.length === 0 ? {} : { lastEventId: events[events.length - 1]!.id }),
      answers,
      closed: stream.closed !== undefined,
      ...(stream.closed === undefined ? {} : { closeCode: stream.closed.code }),
      pings: stream.pings - pingsFrom
    }
  }
}

/** Reads until the stream has been quiet for quietMs (or closed), at most maxMs. */
async function readQuiet (stream: ClientStream, quietMs: number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs
  for (;;) {
    const count = stream.received.length
    const left = deadline - Date.now()
    if (left <= 0 || stream.closed !== undefined) return
    await stream.until(() => stream.received.length > count || stream.closed !== undefined, Math.min(quietMs, left))
    if (stream.received.length === count) return
  }
}

/** A flow's frame: an object goes as its JSON, `{raw: text}` as that text exactly. */
function frameOf (value: unknown): Record<string, unknown> | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`a frame is an object, or {raw: text}; got ${JSON.stringify(value)}`)
  const raw = (value as { raw?: unknown }).raw
  if (raw !== undefined) {
    if (typeof raw !== 'string' || Object.keys(value).length !== 1) throw new Error(`{raw: text} takes one string, got ${JSON.stringify(value)}`)
    return raw
  }
  return value as Record<string, unknown>
}

function streamOf (ctx: FlowContext, name: string): ClientStream {
  const stream = ctx.namedStreams.get(name)
  if (stream === undefined) throw new Error(`no client stream ${name} was opened in this flow (open-stream)`)
  return stream
}

/**
 * `open-stream` (as the user `as`, whose session it uses): `stream` names it (default: `as`);
 * `hello`: `valid` (the session's secret), `none` (nothing sent), or a bearer spoil (`truncated`,
 * `altered`); `after`: the hello's cursor; `subprotocol: false` offers none (GRIDIM-CLI-33); `at`: a
 * region to open it at other than the session's (the one the session left, say).
 * `stream-send`: `frames`, each an object or `{raw: text}`, then reads until every ref sent is
 * answered and the stream is quiet. `stream-read`: reads until quiet. Each of the three, with
 * `until: close`, reads until the region closes the stream instead (at most `maxMs`, default
 * and cap 10 s): a step that expects the close waits for it, however loaded the machine. `close-stream`: the client
 * closes it. Each answers `{frames, events, lastEventId, answers (by ref), closed, closeCode, pings}`
 * of what came since a step last looked at the stream; a refused handshake its status and problem.
 */
export async function streamAction (ctx: FlowContext, call: StreamAction, args: Record<string, unknown>, as: string | undefined): Promise<ActionResult> {
  const name = String(args.stream ?? as ?? '')
  if (args.until !== undefined && args.until !== 'close') throw new Error(`until is close, or absent (read until quiet); got ${JSON.stringify(args.until)}`)
  /** Reads what follows: until the region closes the stream (`until: close`, at most maxMs), or until it is quiet. */
  const read = async (stream: ClientStream): Promise<void> => {
    if (args.until === 'close') await stream.until(() => stream.closed !== undefined, maxMs)
    else await readQuiet(stream, quietMs, maxMs)
  }
  const quietMs = bounded(args.quietMs, QUIET_MS, 5000)
  const maxMs = bounded(args.maxMs, MAX_READ_MS, MAX_READ_MS)
  if (call === 'open-stream') {
    if (as === undefined) throw new Error('open-stream needs `as`, the user whose client opens it')
    const session = ctx.session(as)
    const hello = String(args.hello ?? 'valid')
    if (hello !== 'valid' && hello !== 'none' && !(BEARER_SPOILS as readonly string[]).includes(hello)) throw new Error(`hello is valid, none, or ${BEARER_SPOILS.join(', ')}; got ${hello}`)
    // `at`: another region than the session's — the one it left, say (GRIDIM-CLI-35).
    if (args.at !== undefined && !ctx.regions.has(String(args.at))) throw new Error(`at names a region of the target, not ${JSON.stringify(args.at)}`)
    const regionUrl = args.at === undefined ? session.regionUrl : ctx.urlOf(String(args.at))
    const region = ctx.regionNameOf(regionUrl) ?? 'R1'
    let stream: ClientStream
    try {
      stream = await ClientStream.connect(regionUrl, {
        protocols: args.subprotocol === false ? [] : [CLIENT_STREAM_PROTOCOL],
        onFrame: (record) => { ctx.traceFrame(as, region, record) }
      })
    } catch (err) {
      if (err instanceof HandshakeRefused) {
        ctx.record({ kind: 'client', operationId: 'clientOpenStream', from: as, to: region, method: 'GET', path: '/client/stream', status: err.status, response: err.body })
        return { status: err.status, body: err.body, ...(err.contentType === undefined ? {} : { contentType: err.contentType }) }
      }
      throw err
    }
    await ctx.namedStreams.get(name)?.close()
    ctx.namedStreams.set(name, stream)
    ctx.addStream(stream, as, region)
    if (hello !== 'none') {
      const secret = hello === 'valid' ? session.login.sessionSecret : spoilBearer(hello as BearerSpoil, session.login.sessionSecret)
      stream.send({ type: 'hello', sessionSecret: secret, ...(args.after === undefined ? {} : { after: String(args.after) }) })
      await stream.until(() => stream.received.length > 0 || stream.closed !== undefined, STREAM_REQUEST_MS)
    }
    await read(stream)
    return report(stream, 0)
  }
  const stream = streamOf(ctx, name)
  // Frames that came between steps (an event appended during another user's step) belong to the next step that reads.
  const from = looked.get(stream) ?? 0
  const pingsFrom = stream.pings
  if (call === 'close-stream') {
    await stream.close()
    return report(stream, from, pingsFrom)
  }
  if (call === 'stream-send') {
    const frames = Array.isArray(args.frames) ? args.frames.map(frameOf) : [frameOf(args.frames)]
    for (const frame of frames) stream.send(frame)
    // Every ref sent is answered (GRIDIM-CLI-39, -42), unless the stream closes first.
    const refs = frames.flatMap((f) => typeof f === 'object' && typeof f.ref === 'string' ? [f.ref] : [])
    const sentAt = stream.received.length
    const answered = (): boolean => refs.every((ref) => stream.received.slice(sentAt).some((r) => (r.frame as { ref?: unknown }).ref === ref))
    await stream.until(() => answered() || stream.closed !== undefined, STREAM_REQUEST_MS)
    await read(stream)
    return report(stream, from, pingsFrom)
  }
  await read(stream)
  return report(stream, from, pingsFrom)
}
