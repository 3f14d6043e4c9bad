// A user's client, as the conformance runner and the end-to-end tests drive it: logged in at a
// region, calling the client interface with its session secret, and reading its event log.
// Every event ever read is kept, so "B never saw C" can be checked over the whole history.
// Its shapes are the contract's (client.yaml): the login answer, the event page, each event.
import { PeerClient, type CallArgs, type CallOptions, type CallResult, type CallResultFor } from '../../reference/lib/http/index.ts'
import type { ClientEvent, DocumentOperations, SuccessBody } from '../../reference/lib/contract/types.ts'
import { asCaller } from './caller.ts'

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

  private constructor (peer: PeerClient, regionUrl: string, login: LoginAnswer) {
    this.#peer = peer
    this.#regionUrl = regionUrl
    this.login = login
  }

  static async login (regionUrl: string, firstName: string, lastName: string, password: string, peer = new PeerClient()): Promise<ClientSession> {
    const res = await peer.call(regionUrl, 'clientLogin', { body: { firstName, lastName, password } })
    return new ClientSession(peer, regionUrl, res.body)
  }

  get userId (): string { return this.login.userId }
  get regionUrl (): string { return this.#regionUrl }

  /** After a teleport the client talks to its new region; cursors do not carry over (GRIDIM-CLI-12). */
  moveTo (regionUrl: string): void {
    this.#regionUrl = regionUrl
    this.#cursor = undefined
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

  /** Reads what is new in the event log (long-polling up to waitSeconds). */
  async poll (waitSeconds = 0): Promise<ClientEvent[]> {
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
