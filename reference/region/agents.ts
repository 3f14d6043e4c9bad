// The agents this region hosts: one signed-on session each, found by session secret (client
// requests) or by user id (deliveries). Each has its own event log.
import { createHash, timingSafeEqual } from 'node:crypto'
import { EventLog, type EventLogOptions } from './event-log.ts'
import type { Friend } from '../lib/contract/types.ts'

export type AgentState = {
  sessionId: string
  sessionSecret: string
  userId: string
  name: string
  friends: Friend[]
}

export type Agent = AgentState & {
  log: EventLog
  /** Milliseconds since the epoch of the client's last request or stream activity. */
  lastActive: number
  /** Open event streams (SSE); an agent with one is never idle. */
  streams: number
  /** Offline messages put in the log and not yet acknowledged to the user server. */
  unacknowledged: Array<{ cursor: string, messageId: string }>
  /** The user server holds more offline messages than it has handed over. */
  moreOffline: boolean
  /** GRIDIM-IM-16: what this agent last learned of who grants it CanSeeOnline, newest wins. */
  seesOnline: Map<string, boolean>
  /** GRIDIM-CLI-17: outcomes of messages accepted from this session, by messageId. */
  sent: Map<string, Promise<unknown>>
}

/** GRIDIM-CLI-21: how long a handed-over session may still read its old log here. */
export const DEPARTED_MS = 60_000

// GRIDIM-SEC-10: secrets are found by their digest and then compared in constant time, so the
// time taken does not depend on how much of a guessed secret is right.
const digest = (secret: string): string => createHash('sha256').update(secret).digest('base64url')
export const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export type AgentHooks = {
  /** A session now has its agent here (what was accepted for it while it signed on is its own). */
  onAdmitted?: (agent: Agent) => void
  /**
   * A session's agent is gone from here for good: dropped, or handed over and its read window
   * over (GRIDIM-OFFL-11: what it left unread goes back); `windowClosed` for the latter (GRIDIM-CLI-24).
   */
  onEnded?: (agent: Agent, windowClosed?: boolean) => void
}

export class Agents {
  readonly #now: () => number
  readonly #logOptions: EventLogOptions
  readonly #bySecret = new Map<string, Agent>()
  readonly #byUser = new Map<string, Agent>()
  readonly #reserved = new Map<string, EventLog>()
  readonly #signingOn = new Map<string, Promise<void>>()
  readonly #departed = new Map<string, { agent: Agent, until: number }>()
  readonly #hooks: AgentHooks
  readonly #departures = new Set<NodeJS.Timeout>()
  /** GRIDIM-CLI-21: the read window, read at each hand-over (the grid's handoverSeconds, GRIDIM-LIM-27). */
  readonly #departedMs: () => number

  constructor ({ now = Date.now, retention, departedMs = DEPARTED_MS, sameTickSameId, ...hooks }: { now?: () => number, retention?: number, departedMs?: number | (() => number), sameTickSameId?: boolean } & AgentHooks = {}) {
    this.#now = now
    this.#logOptions = { now, retention, ...(sameTickSameId === true ? { sameTickSameId } : {}) }
    this.#departedMs = typeof departedMs === 'number' ? () => departedMs : departedMs
    this.#hooks = hooks
  }

  get size (): number {
    return this.#byUser.size
  }

  list (): Agent[] {
    return [...this.#byUser.values()]
  }

  bySecret (secret: string): Agent | undefined {
    const agent = this.#bySecret.get(digest(secret))
    return agent !== undefined && sameSecret(agent.sessionSecret, secret) ? agent : undefined
  }

  /** A session handed over in the last minute, which may still read its old log (GRIDIM-CLI-21). */
  departedBySecret (secret: string): Agent | undefined {
    const entry = this.#departed.get(digest(secret))
    if (entry === undefined || !sameSecret(entry.agent.sessionSecret, secret)) return undefined
    if (entry.until > this.#now()) return entry.agent
    this.#departed.delete(digest(secret))
    return undefined
  }

  byUserId (userId: string): Agent | undefined {
    return this.#byUser.get(userId)
  }

  /**
   * GRIDIM-SIGN-5: from the moment this region sends signOn for a user, deliveries for that user
   * are accepted into the log the session will have. Call `release` when the sign-on is over.
   */
  reserve (userId: string): { log: EventLog, release: () => void } {
    const log = new EventLog(this.#logOptions)
    let settle = (): void => {}
    const settled = new Promise<void>((resolve) => { settle = resolve })
    this.#reserved.set(userId, log)
    this.#signingOn.set(userId, settled)
    return {
      log,
      release: () => {
        if (this.#reserved.get(userId) === log) this.#reserved.delete(userId)
        if (this.#signingOn.get(userId) === settled) this.#signingOn.delete(userId)
        if (this.#byUser.get(userId)?.log !== log) log.close()
        settle()
      }
    }
  }

  /**
   * GRIDIM-SIGN-22: while a sign-on for userId is in flight, settles when it is over (hosted or
   * failed); undefined when none is. An instant message waits for it rather than being answered
   * `delivered` for a session that may never exist.
   */
  signingOn (userId: string): Promise<void> | undefined {
    return this.#byUser.has(userId) ? undefined : this.#signingOn.get(userId)
  }

  /** The log deliveries for userId go to: its session's, or the one reserved while it signs on. */
  logFor (userId: string): EventLog | undefined {
    return this.#byUser.get(userId)?.log ?? this.#reserved.get(userId)
  }

  /** Where a delivery for userId goes: the log and its sessionId ('' while the session signs on). */
  recipient (userId: string): { log: EventLog, sessionId: string } | undefined {
    const agent = this.#byUser.get(userId)
    if (agent !== undefined) return { log: agent.log, sessionId: agent.sessionId }
    const log = this.#reserved.get(userId)
    return log === undefined ? undefined : { log, sessionId: '' }
  }

  /** Hosts a session; an earlier session of the same user here is dropped. */
  admit (state: AgentState, log?: EventLog): Agent {
    const previous = this.#byUser.get(state.userId)
    if (previous !== undefined) this.drop(previous)
    if (log !== undefined && this.#reserved.get(state.userId) === log) this.#reserved.delete(state.userId)
    const agent: Agent = {
      ...state,
      friends: state.friends.map((f) => ({ ...f })),
      log: log ?? new EventLog(this.#logOptions),
      lastActive: this.#now(),
      streams: 0,
      unacknowledged: [],
      moreOffline: false,
      seesOnline: new Map(),
      sent: new Map()
    }
    this.#attach(agent)
    this.#hooks.onAdmitted?.(agent)
    return agent
  }

  /** Stops hosting the agent: its secret stops working and its streams and long polls end. */
  drop (agent: Agent): void {
    this.detach(agent)
    agent.log.close()
    this.#hooks.onEnded?.(agent)
  }

  /** The agent hosting sessionId here, if any. */
  bySessionId (sessionId: string): Agent | undefined {
    return this.list().find((a) => a.sessionId === sessionId)
  }

  /** Deliveries and client requests stop finding the agent, its log stays open (a hand-over begins). */
  detach (agent: Agent): void {
    if (this.#byUser.get(agent.userId) === agent) this.#byUser.delete(agent.userId)
    if (this.#bySecret.get(digest(agent.sessionSecret)) === agent) this.#bySecret.delete(digest(agent.sessionSecret))
  }

  /** Undoes detach (a hand-over that failed), unless the user has meanwhile signed on again here. */
  reattach (agent: Agent): boolean {
    if (this.#byUser.has(agent.userId)) return false
    this.#attach(agent)
    return true
  }

  /** The hand-over is done: the log takes no more events, and is readable for the read window. */
  depart (agent: Agent): void {
    const windowMs = this.#departedMs()
    this.detach(agent)
    agent.log.close()
    for (const [key, entry] of this.#departed) if (entry.until <= this.#now()) this.#departed.delete(key)
    this.#departed.set(digest(agent.sessionSecret), { agent, until: this.#now() + windowMs })
    // GRIDIM-CLI-24: once the read window is over, what the old log holds unread goes back,
    // unless the session has meanwhile come back here (its unread then waits for its end).
    const timer = setTimeout(() => {
      this.#departures.delete(timer)
      if (this.bySessionId(agent.sessionId) === undefined) this.#hooks.onEnded?.(agent, true)
    }, windowMs)
    timer.unref()
    this.#departures.add(timer)
  }

  /** A stop: read windows still open end now. */
  endDepartures (): void {
    for (const timer of this.#departures) clearTimeout(timer)
    this.#departures.clear()
    for (const { agent } of this.#departed.values()) if (this.bySessionId(agent.sessionId) === undefined) this.#hooks.onEnded?.(agent)
    this.#departed.clear()
  }

  /** Agents whose client has made no request and held no stream since `before` (GRIDIM-SIGN-13). */
  idleSince (before: number): Agent[] {
    return this.list().filter((a) => a.streams === 0 && a.lastActive < before)
  }

  touch (agent: Agent): void {
    agent.lastActive = this.#now()
  }

  #attach (agent: Agent): void {
    this.#bySecret.set(digest(agent.sessionSecret), agent)
    this.#byUser.set(agent.userId, agent)
  }
}
