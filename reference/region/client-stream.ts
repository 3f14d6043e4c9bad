// The client stream (spec chapter 10, "The client stream"; GRIDIM-CLI-33..45): a WebSocket at
// GET /client/stream with the subprotocol gridim.client.v1 on the region's own hapi listener.
// It carries what clientSendInstantMessage, clientSendChatState and the event log carry over
// HTTP, through the same code: the sending of client-messaging.ts, the cursor checks and
// acknowledgement of client-events.ts, the contract translation of client-contract.ts.
import type { Server } from '@hapi/hapi'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import { CLIENT_STREAM_PATH, CLIENT_STREAM_PROTOCOL, type ClientFrame, type HelloFrame, type RegionFrame } from '../../openapi/client-stream/frames.ts'
import { GridImError } from '../lib/errors/index.ts'
import { RETRY_AFTER_SECONDS } from '../lib/http/create-server.ts'
import { handshakeProblemFor, MAX_HANDSHAKE_BODY_BYTES, refuseHandshake, upgradePath } from '../lib/http/websocket-handshake.ts'
import type { Agent } from './agents.ts'
import { keepWithinContract, type ClientHandlers, type Options as ContractOptions } from './client-contract.ts'
import { checkCursor, readThrough } from './client-events.ts'
import type { ClientMessaging } from './client-messaging.ts'
import { MAX_FRAME_BYTES, readClientFrame } from './client-stream-frames.ts'
import type { RegionContext } from './context.ts'

/** A slow reader is cut off, not buffered for without end: it resumes with `after` (GRIDIM-CLI-44). */
export const MAX_BUFFERED_BYTES = 1024 * 1024

/** RFC 6455 §7.4.1: 1001 going away (the region stops), 1013 try again later (a slow reader). */
export const CLOSE_GOING_AWAY = 1001
export const CLOSE_TRY_AGAIN_LATER = 1013
/** GRIDIM-CLI-36: a stream closed with a problem frame closes with 4000 + the problem's status. */
export const closeCodeFor = (error: GridImError): number => 4000 + error.status

export type ClientStreamOptions = {
  messaging: ClientMessaging
  contract: ContractOptions
  /** The session's rate limit, shared with the HTTP requests (GRIDIM-CLI-45). */
  limit?: (secret: string) => void
  maxBufferedBytes?: number
}

/**
 * clientOpenStream as an HTTP operation: a GET of /client/stream that asks for no upgrade never
 * reaches the listener's upgrade event; it gets the 400 the contract lists (GRIDIM-CLI-33).
 */
export function streamHandlers (): Pick<ClientHandlers, 'clientOpenStream'> {
  return {
    clientOpenStream: async () => {
      throw new GridImError('invalid-request', `GET ${CLIENT_STREAM_PATH} is a WebSocket handshake (RFC 6455 §4.1) offering ${CLIENT_STREAM_PROTOCOL}; this request asks for no upgrade`)
    }
  }
}

/** Mounts the client stream on `server`'s listener; every stream closes when the server stops. */
export function mountClientStream (server: Server, ctx: RegionContext, options: ClientStreamOptions): void {
  // A frame a little over the limit is still read, to be answered `body-too-large`; `ws`
  // closes with 1009 on anything larger.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 2 * MAX_FRAME_BYTES,
    perMessageDeflate: false,
    handleProtocols: (offered) => offered.has(CLIENT_STREAM_PROTOCOL) ? CLIENT_STREAM_PROTOCOL : false
  })
  server.listener.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (upgradePath(request) !== CLIENT_STREAM_PATH) {
      if (server.listener.listenerCount('upgrade') === 1) socket.destroy() // nobody else takes upgrades
      return
    }
    if (Number(request.headers['content-length'] ?? 0) > MAX_HANDSHAKE_BODY_BYTES) return refuseHandshake(socket, CLIENT_STREAM_PATH, `the handshake carries a body over ${MAX_HANDSHAKE_BODY_BYTES} bytes`, 'body-too-large')
    // GRIDIM-CLI-33
    const problem = handshakeProblemFor(request, CLIENT_STREAM_PROTOCOL, `the WebSocket handshake does not offer the '${CLIENT_STREAM_PROTOCOL}' subprotocol (GRIDIM-CLI-33)`)
    if (problem !== undefined) return refuseHandshake(socket, CLIENT_STREAM_PATH, problem, 'invalid-request', ctx.faults.has('stream-refusal-plain-json') ? 'application/json' : undefined)
    wss.handleUpgrade(request, socket, head, (ws) => { serveClientStream(ws, ctx, options) })
  })
  server.ext('onPreStop', () => {
    for (const ws of wss.clients) ws.close(CLOSE_GOING_AWAY, 'the region is stopping')
    wss.close()
  })
}

type State = 'awaiting-hello' | 'open' | 'closed'

/** One client stream, from the handshake to its close. */
export function serveClientStream (ws: WebSocket, ctx: RegionContext, options: ClientStreamOptions): void {
  const keepAliveMs = ctx.heartbeatSeconds * 1000
  const maxBuffered = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES
  let state: State = 'awaiting-hello'
  let agent: Agent | undefined
  let secret = ''
  /** Settles once `ready` and the backlog are sent; what the client sends meanwhile waits for it. */
  let opened: Promise<void> = Promise.resolve()
  let unsubscribe = (): void => {}
  let lastHeard = Date.now()
  /** Only for the fault stream-dedupe-per-connection: messageIds remembered by this stream alone, not the session. */
  const connectionSent = ctx.faults.has('stream-dedupe-per-connection') ? new Map<string, Promise<unknown>>() : undefined
  /** Only for the fault stream-result-wrong-ref: the ref of the latest request frame, answered with whatever it answers. */
  let latestRef = ''

  const send = (frame: RegionFrame): void => {
    if (state === 'closed' || ws.readyState !== WebSocket.OPEN) return
    ws.send(JSON.stringify(frame))
    // GRIDIM-CLI-44: what a client does not read is not kept for it without bound.
    if (ws.bufferedAmount > maxBuffered) end(CLOSE_TRY_AGAIN_LATER, 'the client reads too slowly; open again with after')
  }
  const end = (code: number, reason: string): void => {
    if (state === 'closed') return
    state = 'closed'
    ws.close(code, reason.slice(0, 120))
    cleanup()
  }
  /** GRIDIM-CLI-36: a problem frame without ref, then the close. */
  const fail = (error: GridImError): void => {
    send({ type: 'problem', problem: error.toProblem(CLIENT_STREAM_PATH) })
    end(closeCodeFor(error), error.message)
  }
  let cleaned = false
  const cleanup = (): void => {
    if (cleaned) return
    cleaned = true
    clearTimeout(helloTimer)
    clearInterval(pinger)
    unsubscribe()
    if (agent !== undefined) {
      agent.streams--
      // GRIDIM-CLI-41: closing a stream is activity. The fault stream-close-not-activity forgets it.
      if (!ctx.faults.has('stream-close-not-activity')) ctx.agents.touch(agent)
    }
  }

  // GRIDIM-CLI-34: the hello comes within keepAliveSeconds, or the stream closes.
  const helloTimer = setTimeout(() => { fail(new GridImError('invalid-request', `no hello within ${ctx.heartbeatSeconds} seconds`)) }, keepAliveMs)
  // GRIDIM-CLI-43: a ping at least every keepAliveSeconds; a client heard from in none of two
  // periods (no frame, no pong) has gone, and its stream no longer keeps it from being idle.
  const pinger = setInterval(() => {
    if (Date.now() - lastHeard > 2 * keepAliveMs) {
      state = 'closed'
      ws.terminate()
      cleanup()
      return
    }
    if (ws.readyState === WebSocket.OPEN) ws.ping()
  }, keepAliveMs / 2)
  pinger.unref()

  ws.on('pong', () => { lastHeard = Date.now() })
  ws.on('close', () => { state = 'closed'; cleanup() })
  ws.on('error', () => { /* a broken connection: 'close' follows */ })
  ws.on('message', (data: Buffer, isBinary) => {
    lastHeard = Date.now()
    if (state === 'closed') return
    const read = readClientFrame(data, isBinary)
    if ('error' in read) {
      // GRIDIM-CLI-42: answered by ref and the stream goes on; without a ref (or before the
      // hello) there is nothing to answer, and the stream closes.
      if (state === 'open' && read.ref !== undefined) void answerAfterOpen(read.ref, async () => { throw read.error })
      else fail(read.error)
      return
    }
    const { frame } = read
    if (frame.type === 'hello') {
      if (state === 'open') return fail(new GridImError('invalid-request', 'hello is the first frame and only the first'))
      return hello(frame)
    }
    if (state === 'awaiting-hello') return fail(new GridImError('invalid-request', `the first frame must be hello, not ${frame.type}`))
    void request(frame)
  })

  // GRIDIM-CLI-34, -35
  const hello = (frame: HelloFrame): void => {
    clearTimeout(helloTimer)
    // A session handed over is not hosted (GRIDIM-CLI-35); the fault stream-hello-accepts-handed-over takes it.
    const found = ctx.agents.bySecret(frame.sessionSecret) ?? (ctx.faults.has('stream-hello-accepts-handed-over') ? ctx.agents.departedBySecret(frame.sessionSecret) : undefined)
    if (found === undefined) return fail(new GridImError('unauthenticated', 'Missing, malformed or unknown session secret.'))
    let after: string | undefined
    try {
      after = checkCursor(found, frame.after, 'hello after')
    } catch (err) {
      return fail(err as GridImError)
    }
    agent = found
    secret = frame.sessionSecret
    state = 'open'
    agent.streams++ // GRIDIM-CLI-41: an open stream is activity, like an open event stream
    ctx.agents.touch(agent)
    const log = agent.log
    opened = (async () => {
      await readThrough(ctx, found, after) // GRIDIM-CLI-38: a hello's after acknowledges
      if (state !== 'open') return
      send({ type: 'ready', userId: found.userId, keepAliveSeconds: Math.max(1, Math.ceil(ctx.heartbeatSeconds)) })
      if (log.closed) return sessionEnded()
      // GRIDIM-CLI-37: the retained events after `after`, then each one as it is appended.
      // The fault stream-hello-after-ignored starts every stream with all retained events.
      for (const event of log.after(ctx.faults.has('stream-hello-after-ignored') ? undefined : after).events) send({ type: 'event', event })
      // The fault stream-session-end-leaves-open: the stream outlives its session, silent.
      unsubscribe = log.subscribe((event) => {
        if (event !== null) send({ type: 'event', event })
        else if (!ctx.faults.has('stream-session-end-leaves-open')) sessionEnded()
      })
    })().catch((err: unknown) => { fail(asGridImError(err)) })
  }

  // GRIDIM-CLI-16's counterpart (GRIDIM-CLI-40): the session is over, so is its stream.
  const sessionEnded = (): void => fail(new GridImError('unauthenticated', 'Your session has ended; sign on again.'))

  const request = async (frame: Exclude<ClientFrame, HelloFrame>): Promise<void> => {
    await opened
    if (state !== 'open' || agent === undefined) return
    ctx.agents.touch(agent) // GRIDIM-CLI-41, as every HTTP request is (GRIDIM-CLI-32)
    if (frame.type === 'ack') {
      // GRIDIM-CLI-38: as clientListEvents with after = cursor; an ack has no ref to answer by.
      // The fault stream-ack-ignored takes the frame and does nothing with it.
      if (ctx.faults.has('stream-ack-ignored')) return
      try {
        await readThrough(ctx, agent, checkCursor(agent, frame.cursor, 'ack cursor'), true)
      } catch (err) {
        fail(asGridImError(err))
      }
      return
    }
    // The session is still hosted here (GRIDIM-CLI-2): its end closes the stream at once.
    const principal = { kind: 'client' as const, token: secret }
    const current = agent
    if (frame.type === 'sendInstantMessage') {
      await answer(frame.ref, async () => ({
        type: 'result',
        ref: frame.ref,
        result: await keepWithinContract(ctx, 'clientSendInstantMessage', principal, options.contract, async () => await options.messaging.sendInstantMessage(current, frame.message, connectionSent))
      }))
    } else {
      await answer(frame.ref, async () => {
        await keepWithinContract(ctx, 'clientSendChatState', principal, options.contract, async () => { await options.messaging.sendChatState(current, frame.chatState) })
        return { type: 'result', ref: frame.ref }
      })
    }
  }

  /** GRIDIM-CLI-45: the session's rate limit, as over HTTP; GRIDIM-CLI-39: one answer per ref. */
  const answer = async (ref: string, task: () => Promise<RegionFrame>): Promise<void> => {
    latestRef = ref
    let frame: RegionFrame
    try {
      options.limit?.(secret)
      frame = await task()
    } catch (err) {
      const error = asGridImError(err)
      const problem = error.toProblem(CLIENT_STREAM_PATH)
      if (error.code === 'rate-limited' && !ctx.faults.has('rate-limited-without-retry-after')) problem.retryAfter = RETRY_AFTER_SECONDS
      frame = { type: 'problem', ref, problem }
    }
    send(ctx.faults.has('stream-result-wrong-ref') ? { ...frame, ref: latestRef } as RegionFrame : frame)
  }
  const answerAfterOpen = async (ref: string, task: () => Promise<RegionFrame>): Promise<void> => {
    await opened
    await answer(ref, task)
  }
}

const asGridImError = (err: unknown): GridImError => err instanceof GridImError ? err : new GridImError('internal', (err as Error)?.message)
