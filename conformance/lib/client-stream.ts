// The client stream as an ordinary client uses it (spec chapter 10, "The client stream"): a
// WebSocket at /client/stream offering the subprotocol gridim.client.v1, `hello` first, request
// frames each with a ref of their own answered by one result or problem frame with that ref, and
// the session's events as event frames. Every frame the region sends is checked against the
// frame schemas (validate-frame.ts); what breaks them, and answers for refs no request had, are
// kept as violations for the flow to fail under the region's name. Every wait is bounded.
import { WebSocket, type RawData } from 'ws'
import {
  CLIENT_STREAM_PATH, CLIENT_STREAM_PROTOCOL,
  type ClientFrame, type EventFrame, type ProblemFrame, type ReadyFrame, type RegionFrame, type ResultFrame, type SendChatStateFrame, type SendInstantMessageFrame
} from '../../openapi/client-stream/frames.ts'
import { readRegionFrame, type FrameProblem } from '../contract/validate-frame.ts'

/** How long the hello or the opening handshake may wait for its answer. */
export const STREAM_ANSWER_MS = 10_000
/** How long a request frame may wait for its answer: as long as the runner's HTTP client waits for a client operation's. */
export const STREAM_REQUEST_MS = 15_000

/** A frame as it went by: sent by the client or received from the region (parsed when it is JSON). */
export type FrameRecord = { at: number, direction: 'sent' | 'received', frame: unknown, problems?: FrameProblem[] }

/** Something the region sent that breaks the frame rules, with where it departs and the requirements it breaks. */
export type FrameViolation = { at: number, type?: string, text: string, problems: FrameProblem[], requirements: string[] }

/**
 * What a frame that breaks its schema breaks: the contract (GRIDIM-ROLE-9's counterpart for
 * frames), and the requirement that says what that frame holds — ready and event frames
 * GRIDIM-CLI-37, a result or problem answering a request GRIDIM-CLI-39.
 */
export function schemaRequirements (type: string | undefined): string[] {
  if (type === 'ready' || type === 'event') return ['GRIDIM-ROLE-9', 'GRIDIM-CLI-37']
  if (type === 'result' || type === 'problem') return ['GRIDIM-ROLE-9', 'GRIDIM-CLI-39']
  return ['GRIDIM-ROLE-9']
}

/** The answer to one request frame. */
export type StreamAnswer = ResultFrame | ProblemFrame

type RequestFrame = Omit<SendInstantMessageFrame, 'ref'> | Omit<SendChatStateFrame, 'ref'>

export type StreamOptions = {
  /** Hears every frame sent and received (the flow's trace). */
  onFrame?: (record: FrameRecord) => void
  /** Hears each conforming event frame's event, in the order they came. */
  onEvent?: (event: EventFrame['event']) => void
  /** The subprotocols offered (GRIDIM-CLI-33's handshake); gridim.client.v1 unless a flow says otherwise. */
  protocols?: string[]
}

/** A handshake the region answered without upgrading (GRIDIM-CLI-33): its status and body. */
export class HandshakeRefused extends Error {
  constructor (readonly status: number, readonly body: unknown, readonly contentType?: string) {
    super(`the region refused the client stream's handshake with ${status}${body === undefined ? '' : `: ${JSON.stringify(body).slice(0, 300)}`}`)
  }
}

/** The stream's URL on a region's client interface: its base URL with ws(s) and the stream's path. */
export function streamUrl (regionUrl: string): string {
  const url = new URL(regionUrl.replace(/\/$/, '') + CLIENT_STREAM_PATH)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.href
}

function bytesOf (data: RawData): Buffer {
  return Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)
}

/** A frame's text as a failure message shows it. */
function shortText (text: string): string {
  return text.length > 200 ? text.slice(0, 197) + '...' : text
}

export class ClientStream {
  /** Every frame received, in order (a frame that is not JSON as its text). */
  readonly received: FrameRecord[] = []
  readonly violations: FrameViolation[] = []
  /** How the stream ended, once it has. */
  closed?: { code: number, reason: string, at: number }
  readonly #ws: WebSocket
  readonly #options: StreamOptions
  readonly #changed = new Set<() => void>()
  readonly #pending = new Set<string>()
  #nextRef = 0
  /** Whether a hello went out: before it the region may send nothing but a closing problem (GRIDIM-CLI-34). */
  #helloSent = false
  /** The problem frame without ref the region sent, after which it must send nothing and close with 4000 + status (GRIDIM-CLI-36). */
  #closingProblem: ProblemFrame | undefined
  /** WebSocket pings the region sent (GRIDIM-CLI-43). */
  pings = 0

  private constructor (readonly regionUrl: string, ws: WebSocket, options: StreamOptions) {
    this.#ws = ws
    this.#options = options
    ws.on('message', (data, isBinary) => { this.#receive(data, isBinary) })
    ws.on('ping', () => { this.pings++ })
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString(), at: Date.now() }
      const last = this.#closingProblem
      // GRIDIM-CLI-36: closed after a problem frame without ref, with 4000 + its status (1006: the connection was dropped, no close frame at all).
      if (last !== undefined && code !== 4000 + last.problem.status) {
        this.violations.push({ at: Date.now(), type: 'close', text: `close ${code}`, problems: [{ pointer: '', message: `the stream closed with ${code} after a problem frame of status ${last.problem.status}, not ${4000 + last.problem.status}` }], requirements: ['GRIDIM-CLI-36'] })
      }
      this.#notify()
    })
    // An error after the handshake ends in close too; the listener keeps it from being thrown.
    ws.on('error', () => {})
  }

  /**
   * Opens the WebSocket (RFC 6455 §4.1) at the region's client stream. Refused handshakes and a
   * region that selects no subprotocol (or another) are errors naming what came back.
   */
  static async connect (regionUrl: string, options: StreamOptions = {}): Promise<ClientStream> {
    const protocols = options.protocols ?? [CLIENT_STREAM_PROTOCOL]
    const ws = new WebSocket(streamUrl(regionUrl), protocols, { handshakeTimeout: STREAM_ANSWER_MS, perMessageDeflate: false })
    await new Promise<void>((resolve, reject) => {
      // The first outcome counts: a refused handshake is read to its end before the socket goes.
      let refused = false
      ws.once('open', () => { resolve() })
      ws.once('unexpected-response', (_req, res) => {
        refused = true
        let text = ''
        const refuse = (): void => {
          let body: unknown = text === '' ? undefined : text
          try { body = JSON.parse(text) } catch {}
          reject(new HandshakeRefused(res.statusCode ?? 0, body, res.headers['content-type']?.split(';')[0]))
          ws.terminate()
        }
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => { if (text.length < 4096) text += chunk })
        res.on('end', refuse)
        res.on('error', refuse)
      })
      ws.on('error', (err) => { if (!refused) reject(new Error(`the client stream could not be opened: ${err.message}`)) })
    })
    if (protocols.length > 0 && ws.protocol !== CLIENT_STREAM_PROTOCOL) {
      ws.terminate()
      throw new Error(`the region selected the subprotocol ${JSON.stringify(ws.protocol)}, not ${CLIENT_STREAM_PROTOCOL}`)
    }
    return new ClientStream(regionUrl, ws, options)
  }

  get isOpen (): boolean {
    return this.closed === undefined && this.#ws.readyState === WebSocket.OPEN
  }

  #notify (): void {
    for (const wake of [...this.#changed]) wake()
  }

  #receive (data: RawData, isBinary: boolean): void {
    const bytes = bytesOf(data)
    const text = shortText(bytes.toString('utf8'))
    const { frame, type, problems } = readRegionFrame(bytes, isBinary)
    let parsed: unknown = text
    try { parsed = JSON.parse(bytes.toString('utf8')) } catch {}
    const record: FrameRecord = { at: Date.now(), direction: 'received', frame: parsed, ...(problems.length === 0 ? {} : { problems }) }
    this.received.push(record)
    this.#options.onFrame?.(record)
    if (this.#closingProblem !== undefined) {
      this.violations.push({ at: record.at, type, text, problems: [{ pointer: '', message: 'a frame after the problem frame without ref, which must be the last' }], requirements: ['GRIDIM-CLI-36'] })
    }
    if (problems.length > 0) this.violations.push({ at: record.at, type, text, problems, requirements: schemaRequirements(type) })
    else if (frame !== undefined) this.#take(frame, text)
    this.#notify()
  }

  #take (frame: RegionFrame, text: string): void {
    if (!this.#helloSent && frame.type !== 'problem') {
      this.violations.push({ at: Date.now(), type: frame.type, text, problems: [{ pointer: '/type', message: `a ${frame.type} frame before the client sent hello` }], requirements: ['GRIDIM-CLI-34'] })
    }
    if (frame.type === 'problem' && frame.ref === undefined) this.#closingProblem = frame
    if (frame.type === 'event') { this.#options.onEvent?.(frame.event); return }
    if (frame.type !== 'result' && frame.type !== 'problem') return
    if (frame.ref === undefined) return
    // An answer whose ref no request carries, or a second answer to one: the region did not echo the ref it was given.
    if (!this.#pending.delete(frame.ref)) {
      this.violations.push({ at: Date.now(), type: frame.type, text, problems: [{ pointer: '/ref', message: `${JSON.stringify(frame.ref)} is the ref of no request frame awaiting an answer` }], requirements: ['GRIDIM-CLI-39'] })
    }
  }

  /** Sends one frame: an object as its JSON text, a string as it is (a malformed frame, on purpose). */
  send (frame: ClientFrame | Record<string, unknown> | string): void {
    if (!this.isOpen) throw new Error(`the client stream is ${this.closed === undefined ? 'not open' : `closed (${this.closed.code})`}`)
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame)
    if (typeof frame === 'object') {
      if (frame.type === 'hello') this.#helloSent = true
      // Any frame with a ref may be answered with it, a malformed one too (GRIDIM-CLI-42).
      const ref = (frame as { ref?: unknown }).ref
      if (typeof ref === 'string') this.#pending.add(ref)
    }
    this.#ws.send(text)
    this.#options.onFrame?.({ at: Date.now(), direction: 'sent', frame })
  }

  /** Waits until `done` holds, re-checked whenever a frame comes or the stream closes; false when `timeoutMs` passed first. */
  async until (done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return true
    return await new Promise<boolean>((resolve) => {
      const finish = (value: boolean): void => { clearTimeout(timer); this.#changed.delete(check); resolve(value) }
      const check = (): void => { if (done()) finish(true) }
      const timer = setTimeout(() => { finish(done()) }, Math.max(0, timeoutMs))
      this.#changed.add(check)
    })
  }

  /** The frames received after the first `from`, briefly: what a failure message shows. */
  describeSince (from: number): string {
    const frames = this.received.slice(from)
    if (frames.length === 0) return `the stream sent nothing${this.closed === undefined ? '' : ` and closed (${this.closed.code})`}`
    const shown = frames.slice(-5).map((r) => JSON.stringify(r.frame).slice(0, 160))
    return `the stream sent ${frames.length} frame${frames.length === 1 ? '' : 's'}, the last ${shown.length}: ${shown.join(', ')}${this.closed === undefined ? '' : `; then closed (${this.closed.code})`}`
  }

  /** Sends hello and waits for ready: the ready frame, or an error naming the problem frame or the close that came instead. */
  async hello (sessionSecret: string, after?: string): Promise<ReadyFrame> {
    const from = this.received.length
    const answer = await this.helloAnswer(sessionSecret, after)
    if (answer?.type === 'ready') return answer
    throw new Error(`the client stream did not answer hello with ready within ${STREAM_ANSWER_MS} ms; ${this.describeSince(from)}`)
  }

  /** Sends hello; the first conforming frame that answers it (ready, or a problem), or nothing when the stream closed or stayed silent. */
  async helloAnswer (sessionSecret: string, after?: string): Promise<ReadyFrame | ProblemFrame | undefined> {
    const from = this.received.length
    this.send({ type: 'hello', sessionSecret, ...(after === undefined ? {} : { after }) })
    const first = (): RegionFrame | undefined => this.received.slice(from).find((r) => r.problems === undefined)?.frame as RegionFrame | undefined
    await this.until(() => first() !== undefined || this.closed !== undefined, STREAM_ANSWER_MS)
    const answer = first()
    return answer?.type === 'ready' || answer?.type === 'problem' ? answer : undefined
  }

  /** A fresh ref: unique on this stream, within FrameRef's pattern. */
  newRef (): string {
    return `r${++this.#nextRef}`
  }

  /** Sends a request frame with a fresh ref and waits (bounded) for the result or problem frame carrying it. */
  async request (frame: RequestFrame, timeoutMs = STREAM_REQUEST_MS): Promise<StreamAnswer> {
    const ref = this.newRef()
    const from = this.received.length
    this.send({ ...frame, ref } as ClientFrame)
    const answer = (): StreamAnswer | undefined => this.received.slice(from).find((r): boolean => {
      const f = r.frame as Partial<StreamAnswer> | undefined
      return r.problems === undefined && (f?.type === 'result' || f?.type === 'problem') && f.ref === ref
    })?.frame as StreamAnswer | undefined
    await this.until(() => answer() !== undefined || this.closed !== undefined, timeoutMs)
    const found = answer()
    if (found !== undefined) return found
    this.#pending.delete(ref)
    throw new Error(`no result or problem frame with ref ${ref} answered ${frame.type} within ${timeoutMs} ms; ${this.describeSince(from)}`)
  }

  /** Acknowledges the events up to `cursor` (as clientListEvents with after = cursor does). Not answered. */
  ack (cursor: string): void {
    if (this.isOpen) this.send({ type: 'ack', cursor })
  }

  /**
   * Every frame the region wrote before it saw this call has arrived: a ping (RFC 6455 §5.5.2)
   * whose pong comes after them on the one connection. False when no pong came in time (5 s:
   * generous, for a loaded machine; a region answers a ping at once, RFC 6455 §5.5.2).
   */
  async barrier (timeoutMs = 5000): Promise<boolean> {
    if (!this.isOpen) return false
    let ponged = false
    const onPong = (): void => { ponged = true; this.#notify() }
    this.#ws.once('pong', onPong)
    this.#ws.ping()
    try {
      return await this.until(() => ponged || this.closed !== undefined, timeoutMs) && ponged
    } finally {
      this.#ws.off('pong', onPong)
    }
  }

  /** Closes the stream (a normal closure), and drops the connection if the region does not close in turn within timeoutMs. */
  async close (timeoutMs = 2000): Promise<void> {
    if (this.closed !== undefined) return
    if (this.#ws.readyState === WebSocket.OPEN || this.#ws.readyState === WebSocket.CONNECTING) this.#ws.close(1000)
    if (!await this.until(() => this.closed !== undefined, timeoutMs)) this.#ws.terminate()
    await this.until(() => this.closed !== undefined, 500)
  }
}
