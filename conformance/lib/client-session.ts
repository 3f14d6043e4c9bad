// A user's client, as the conformance runner and the end-to-end tests drive it: logged in at a
// region, calling the client interface with its session secret, and reading its event log.
// Every event ever read is kept, so "B never saw C" can be checked over the whole history.
// Its shapes are the contract's (client.yaml): the login answer, the event page, each event.
// Over `http` it reads the log with clientListEvents; over `stream` it holds the client stream
// open from sign-on (client-stream.ts), takes the log's events from its event frames, and sends
// instant messages and chat states there — what the stream carries; the rest stays HTTP.
import { PeerClient, type CallArgs, type CallOptions, type CallResult, type CallResultFor } from '../../reference/lib/http/index.ts'
import type { ClientEvent, DocumentOperations, SuccessBody } from '../../reference/lib/contract/types.ts'
import { asCaller } from './caller.ts'
import { ClientStream, type FrameRecord, type StreamAnswer } from './client-stream.ts'

type ClientOperations = DocumentOperations['client']
/** An operation of the client interface (client.yaml). */
export type ClientOperationId = keyof ClientOperations & string

export type { ClientEvent }
/** What a client event's `type` may be. */
export type ClientEventType = ClientEvent['type']
/** The event of one `type`, its `data` typed accordingly. */
export type EventOf<T extends ClientEventType> = Extract<ClientEvent, { type: T }>
/** clientLogin's answer: the session's id and secret, the user, its friends, the region. */
export type LoginAnswer = SuccessBody<ClientOperations['clientLogin']>

/** How a client reaches its region: the HTTP operations (and clientListEvents), or the client stream for what it carries. */
export type ClientInterface = 'http' | 'stream'
export const CLIENT_INTERFACES: readonly ClientInterface[] = ['http', 'stream']

/** The operations the client stream carries, by the request frame that carries each. */
export const STREAM_OPERATIONS = { clientSendInstantMessage: 'sendInstantMessage', clientSendChatState: 'sendChatState' } as const
export type StreamOperationId = keyof typeof STREAM_OPERATIONS

export type SessionOptions = {
  clientInterface?: ClientInterface
  /** Hears every frame of the session's streams (the flow's trace). */
  onFrame?: (record: FrameRecord) => void
}

/** How many of the last events a timed-out wait names. */
const WHAT_WAS_SEEN = 5

/** An event in a failure's message: its type and its data, cut short. */
export function describeEvent (e: ClientEvent): string {
  const data = JSON.stringify(e.data)
  return `${e.type} ${data.length > 160 ? data.slice(0, 157) + '...' : data}`
}

export class ClientSession {
  readonly events: ClientEvent[] = []
  #cursor: string | undefined
  #regionUrl: string
  readonly #peer: PeerClient
  readonly login: LoginAnswer
  /** Who this client is in a flow (A, B, ...): its requests are traced as theirs. */
  actor?: string
  readonly clientInterface: ClientInterface
  readonly #options: SessionOptions
  #stream: ClientStream | undefined
  /** Every stream this session opened, for the frame violations of each (a reopened one included). */
  readonly streams: ClientStream[] = []
  /** The last event acknowledged on the stream, and whether an ack is already on its way. */
  #acked: string | undefined
  #ackScheduled = false

  private constructor (peer: PeerClient, regionUrl: string, login: LoginAnswer, options: SessionOptions) {
    this.#peer = peer
    this.#regionUrl = regionUrl
    this.login = login
    this.clientInterface = options.clientInterface ?? 'http'
    this.#options = options
  }

  /** Logs in; over the stream, opens it at once, as a stream client does after clientLogin. */
  static async login (regionUrl: string, firstName: string, lastName: string, password: string, peer = new PeerClient(), options: SessionOptions = {}): Promise<ClientSession> {
    const res = await peer.call(regionUrl, 'clientLogin', { body: { firstName, lastName, password } })
    const session = new ClientSession(peer, regionUrl, res.body, options)
    if (session.clientInterface === 'stream') {
      try {
        await session.#openStream()
      } catch (err) {
        // The region holds a session whose client is gone: ended, as a client that gives up ends it.
        await session.call('clientLogout').catch(() => {})
        throw err
      }
    }
    return session
  }

  get userId (): string { return this.login.userId }
  get regionUrl (): string { return this.#regionUrl }
  /** The open client stream, over `stream`. */
  get stream (): ClientStream | undefined { return this.#stream }

  /**
   * After a teleport the client talks to its new region; cursors do not carry over
   * (GRIDIM-CLI-12): over the stream it closes the old one and says hello at the new region.
   */
  async moveTo (regionUrl: string): Promise<void> {
    this.#regionUrl = regionUrl
    this.#cursor = undefined
    this.#acked = undefined
    if (this.#stream === undefined) return
    await this.#stream.close()
    await this.#openStream()
  }

  /** Opens the client stream at the session's region and says hello after the cursor held (none at first: every retained event). */
  async #openStream (): Promise<void> {
    const stream = await ClientStream.connect(this.#regionUrl, { onFrame: this.#options.onFrame, onEvent: (e) => { this.#onEvent(e) } })
    this.streams.push(stream)
    this.#stream = stream
    try {
      await stream.hello(this.login.sessionSecret, this.#cursor)
    } catch (err) {
      await stream.close()
      throw err
    }
  }

  /** An event frame: kept, then acknowledged once the frames that came with it are taken too (GRIDIM-CLI-10), as a client acknowledges what it has processed. */
  #onEvent (event: ClientEvent): void {
    this.events.push(event)
    this.#cursor = event.id
    if (this.#ackScheduled) return
    this.#ackScheduled = true
    setImmediate(() => {
      this.#ackScheduled = false
      const cursor = this.#cursor
      if (cursor === undefined || cursor === this.#acked || this.#stream?.isOpen !== true) return
      this.#acked = cursor
      this.#stream.ack(cursor)
    })
  }

  /**
   * An operation the stream carries, sent there: the answer as HTTP would give it — a result
   * frame as 200 with the SendInstantMessageResponse (204 for a chat state), a problem frame as
   * its problem's status with the problem.
   */
  async viaStream (operationId: StreamOperationId, body: unknown): Promise<{ status: number, body: unknown }> {
    if (this.#stream === undefined) throw new Error(`${this.actor ?? 'the client'} has no client stream`)
    if (!this.#stream.isOpen) {
      const refused = await this.#reopenOrRefusal()
      if (refused !== undefined) return refused
    }
    const stream = this.#stream
    let answer: StreamAnswer
    try {
      answer = operationId === 'clientSendInstantMessage'
        ? await stream.request({ type: 'sendInstantMessage', message: body as never })
        : await stream.request({ type: 'sendChatState', chatState: body as never })
    } catch (err) {
      // Closed before the answer: a client says hello again; a region that refuses it (the
      // session ended) has refused the request with it, as HTTP would have answered it.
      if (stream.closed === undefined) throw err
      const refused = await this.#reopenOrRefusal()
      if (refused === undefined) throw err
      return refused
    }
    if (answer.type === 'problem') return { status: answer.problem.status, body: answer.problem }
    return { status: operationId === 'clientSendInstantMessage' ? 200 : 204, body: answer.result }
  }

  /**
   * A stream the region closed, opened again after the last event taken, as a client reconnects
   * before it sends: nothing when it is ready again; the problem as an HTTP answer would give it
   * when the region refuses the hello (a session that ended is refused as unauthenticated, as
   * the request would be over HTTP).
   */
  async #reopenOrRefusal (): Promise<{ status: number, body: unknown } | undefined> {
    const stream = await ClientStream.connect(this.#regionUrl, { onFrame: this.#options.onFrame, onEvent: (e) => { this.#onEvent(e) } })
    this.streams.push(stream)
    this.#stream = stream
    const answer = await stream.helloAnswer(this.login.sessionSecret, this.#cursor)
    if (answer?.type === 'ready') return undefined
    await stream.close()
    if (answer?.type === 'problem') return { status: answer.problem.status, body: answer.problem }
    throw new Error(`the client stream closed and, opened again, did not answer hello; ${stream.describeSince(0)}`)
  }

  /** A stream the region closed (a region restarted, a connection lost): opened again after the last event taken, as a client reconnects. */
  async #reopen (): Promise<void> {
    try {
      await this.#openStream()
    } catch (err) {
      throw new Error(`the client stream closed (${this.#stream?.closed?.code ?? '?'}) and could not be opened again: ${(err as Error).message}`)
    }
  }

  /** Ends what the session holds open on the client's side: its stream. */
  async close (): Promise<void> {
    await this.#stream?.close()
  }

  /** Calls an operation of the client interface with this session's secret; its successful answer's body. */
  async call<K extends ClientOperationId> (operationId: K, ...args: CallArgs<ClientOperations[K]>): Promise<CallResultFor<ClientOperations[K]>['body']> {
    return (await this.request(operationId, ...args)).body
  }

  /** Like call, with the status too. */
  async request<K extends ClientOperationId> (operationId: K, ...[options]: CallArgs<ClientOperations[K]>): Promise<CallResultFor<ClientOperations[K]>> {
    return await this.callUnchecked(operationId, (options ?? {}) as CallOptions) as CallResultFor<ClientOperations[K]>
  }

  /** Any operation by name, with whatever it is given (a flow's step, or what the contract forbids on purpose). */
  async callUnchecked<T = unknown> (operationId: string, options: CallOptions = {}): Promise<CallResult<T>> {
    return await asCaller({ name: this.actor ?? `client ${this.userId}` }, async () => await this.#peer.callUnchecked<T>(this.#regionUrl, operationId, {
      ...options, headers: { authorization: `Bearer ${this.login.sessionSecret}`, ...options.headers }
    }))
  }

  /**
   * Reads what is new in the event log (long-polling up to waitSeconds). Over the stream, waits
   * up to waitSeconds for event frames, or with 0 until every frame the region wrote before the
   * call has arrived (a ping's pong follows them).
   */
  async poll (waitSeconds = 0): Promise<ClientEvent[]> {
    if (this.#stream !== undefined) return await this.#pollStream(waitSeconds)
    const page = await this.call('clientListEvents', {
      query: { after: this.#cursor, wait: waitSeconds }, timeoutMs: (waitSeconds + 10) * 1000
    })
    this.events.push(...page.events)
    // The contract requires `cursor`; a target under test that leaves it out still gets polled
    // from its last event rather than from the start again.
    if (page.cursor !== undefined) this.#cursor = page.cursor
    else if (page.events.length > 0) this.#cursor = page.events[page.events.length - 1]!.id
    return page.events
  }

  async #pollStream (waitSeconds: number): Promise<ClientEvent[]> {
    if (!this.#stream!.isOpen) await this.#reopen()
    const stream = this.#stream!
    const before = this.events.length
    if (waitSeconds > 0) await stream.until(() => this.events.length > before || stream.closed !== undefined, waitSeconds * 1000)
    else if (!await stream.barrier()) throw new Error(`the client stream answered no ping within 5 s${stream.closed === undefined ? '' : `: it closed (${stream.closed.code})`}`)
    return this.events.slice(before)
  }

  /**
   * Waits until an event matching `predicate` has been seen (including earlier ones), polling
   * the log; bounded by timeoutMs. No fixed sleeps: each poll returns as soon as events arrive.
   * With a type guard (the `is` predicates) the event comes back narrowed to its type.
   */
  async waitFor<E extends ClientEvent> (predicate: (e: ClientEvent) => e is E, timeoutMs?: number, what?: string): Promise<E>
  async waitFor (predicate: (e: ClientEvent) => boolean, timeoutMs?: number, what?: string): Promise<ClientEvent>
  async waitFor (predicate: (e: ClientEvent) => boolean, timeoutMs = 10_000, what = 'event'): Promise<ClientEvent> {
    const deadline = Date.now() + timeoutMs
    const before = this.events.length
    for (;;) {
      const found = this.events.find(predicate)
      if (found) return found
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${this.#whatWasSeen(before)}`)
      try {
        await this.poll(Math.max(0, Math.min(5, Math.floor(left / 1000))))
      } catch (err) {
        // A refused poll (a cursor the region does not accept, a session it dropped) is the cause, not a missing event.
        throw new Error(`the event log could not be read while waiting for ${what}: ${(err as Error).message}; ${this.#whatWasSeen(before)}`)
      }
    }
  }

  /** What a wait saw instead (issue 14): how many events, how many new during the wait, and the last few. */
  #whatWasSeen (before: number): string {
    if (this.events.length === 0) return `${this.actor ?? 'the client'} saw no event at all`
    const last = this.events.slice(-WHAT_WAS_SEEN)
    return `${this.actor ?? 'the client'} saw ${this.events.length} events (${this.events.length - before} during the wait), the last ${last.length}: ${last.map(describeEvent).join(', ')}`
  }

  seen<E extends ClientEvent> (predicate: (e: ClientEvent) => e is E): E[]
  seen (predicate: (e: ClientEvent) => boolean): ClientEvent[]
  seen (predicate: (e: ClientEvent) => boolean): ClientEvent[] {
    return this.events.filter(predicate)
  }
}

type PresenceStatus = EventOf<'presence'>['data']['status']

/** Predicates for the usual events; each narrows the event to its type, so `data` reads typed. */
export const is = {
  presence: (userId: string, status: PresenceStatus) => (e: ClientEvent): e is EventOf<'presence'> =>
    e.type === 'presence' && e.data.userId === userId && e.data.status === status,
  presenceAbout: (userId: string) => (e: ClientEvent): e is EventOf<'presence'> => e.type === 'presence' && e.data.userId === userId,
  message: (fromUserId: string, body?: string) => (e: ClientEvent): e is EventOf<'instantMessage'> =>
    e.type === 'instantMessage' && e.data.fromUserId === fromUserId && (body === undefined || e.data.body === body),
  groupMessage: (groupSessionId: string, body?: string) => (e: ClientEvent): e is EventOf<'groupMessage'> =>
    e.type === 'groupMessage' && e.data.groupSessionId === groupSessionId && (body === undefined || e.data.body === body),
  /** An event of `type`, and when `where` is given, one whose data it accepts. */
  type: <T extends ClientEventType>(type: T, where?: (data: EventOf<T>['data']) => boolean) => (e: ClientEvent): e is EventOf<T> =>
    // The cast only restates what `e.type === type` established, which TypeScript cannot follow for a generic T.
    e.type === type && (where === undefined || where(e.data as EventOf<T>['data']))
}
