// One user's client as a real one behaves under failures: logged in at its region, reading its
// event log with the cursor (`clientListEvents`, `after` = the last cursor, long poll `wait`,
// GRIDIM-CLI-9/-10), retrying what got no answer, and logging in again when its session has
// died (401 after its region restarted, or 400 for a cursor the region no longer knows,
// GRIDIM-CLI-12). It hands every event it reads to its owner.
import { ClientSession, type ClientEvent } from '../../conformance/lib/client-session.ts'
import { GridImError } from '../../reference/lib/errors/index.ts'

export type ChaosUser = { firstName: string, lastName: string, password: string, userId: string }

/** What a client does after a failed request. */
export type Disposition = 'retry' | 'login' | 'fail'

/** Codes a client repeats the same request after: the grid did not decide (GRIDIM-IM-5). */
const TRANSIENT = new Set(['unavailable', 'internal', 'rate-limited'])

export function disposition (err: unknown): Disposition {
  if (!(err instanceof GridImError)) return 'retry'
  if (err.code === 'unauthenticated') return 'login'
  return TRANSIENT.has(err.code) || err.status >= 500 ? 'retry' : 'fail'
}

export type ChaosClientOptions = {
  user: ChaosUser
  regionUrl: string
  /** Long-poll wait of clientListEvents, seconds. */
  waitSeconds?: number
  /** Pause after each page of events, as a client busy showing them (0: poll again at once). */
  readPauseMs?: number
  onEvent?: (event: ClientEvent, client: ChaosClient) => void
  /** Called after each sign-on, before the session is used (a group member rejoins its session here). */
  onSignOn?: (session: ClientSession, client: ChaosClient) => Promise<void>
}

export type PresenceSeen = { status: string, at: number }

const MAX_BACKOFF_MS = 1000

export class ChaosClient {
  readonly user: ChaosUser
  /** When each sign-on happened (Date.now()): a session that died and came back counts twice. */
  readonly signOns: number[] = []
  /** Why each session was dropped: the code of the answer that showed it dead. */
  readonly drops: string[] = []
  /** Codes a sign-off (clientLogout) was refused with, other than 401. */
  readonly signOffRefusals: string[] = []
  /** Every presence event read, per friend, with the time the client read it. */
  readonly presence = new Map<string, PresenceSeen[]>()
  readonly #options: ChaosClientOptions
  #current: ClientSession | undefined
  #loggingIn: Promise<ClientSession> | undefined
  #stopped = false
  /** Signed off by its user (signOff): no session until signOnAgain. */
  #away = false
  /** When the last event poll that succeeded was sent: the session was alive then. */
  aliveAt = 0
  #reading: Promise<void> | undefined
  readonly #wakers = new Set<() => void>()

  constructor (options: ChaosClientOptions) {
    this.user = options.user
    this.#options = options
  }

  get stopped (): boolean { return this.#stopped }
  get logins (): number { return this.signOns.length }

  /** The current session, logging in (and retrying while the grid cannot answer) when there is none. */
  async session (): Promise<ClientSession> {
    while (this.#away && !this.#stopped) await this.pause(60_000)
    if (this.#stopped && this.#away) throw new Error('stopped while signed off')
    if (this.#current !== undefined) return this.#current
    // Concurrent callers share one sign-on.
    this.#loggingIn ??= this.#login().then((s) => { this.#current = s; return s }).finally(() => { this.#loggingIn = undefined })
    return await this.#loggingIn
  }

  /** Forgets `stale` (it died); the next session() logs in again. */
  drop (stale: ClientSession, why = 'unauthenticated'): void {
    if (this.#current !== stale) return
    this.#current = undefined
    this.drops.push(why)
  }

  get signedOff (): boolean { return this.#away }

  /**
   * The user signs off (clientLogout), repeated while the grid cannot answer, as a client whose
   * user closed it; 401 means the session has ended anyway. Until signOnAgain the client holds
   * no session: its reader waits and a send to it is stored for later.
   */
  async signOff (): Promise<void> {
    this.#away = true
    for (let backoff = 100; !this.#stopped; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      const current = this.#current ?? await this.#loggingIn?.catch(() => undefined)
      if (current === undefined) return
      try {
        await current.call('clientLogout')
        break
      } catch (err) {
        // 401: the session had ended anyway. Anything else refused leaves the region's agent
        // in place (it is reattached when the user server cannot be told): recorded, not hidden.
        if (disposition(err) === 'fail') this.signOffRefusals.push((err as GridImError).code)
        if (disposition(err) !== 'retry') break
        await new Promise((resolve) => setTimeout(resolve, backoff))
      }
    }
    if (this.#current !== undefined) this.drop(this.#current, 'signed off')
  }

  /** Ends signOff: the next session() signs on again. */
  signOnAgain (): void {
    this.#away = false
    for (const wake of this.#wakers) wake()
  }

  /** The friend's last presence as this client was told it (undefined: never told). */
  lastPresence (userId: string): PresenceSeen | undefined {
    return this.presence.get(userId)?.at(-1)
  }

  /** Reads the event log until stop(), handing each event to onEvent. */
  startReading (): void {
    this.#reading ??= this.#read()
  }

  /** Stops reading and waits for the loop to end (a long poll in progress ends first). */
  async stop (): Promise<void> {
    this.#stopped = true
    for (const wake of this.#wakers) wake()
    await this.#reading
  }

  /** A pause that stop() cuts short. */
  async pause (ms: number): Promise<void> {
    if (this.#stopped) return
    await new Promise<void>((resolve) => {
      const done = (): void => { clearTimeout(timer); this.#wakers.delete(done); resolve() }
      const timer = setTimeout(done, ms)
      this.#wakers.add(done)
    })
  }

  async #login (): Promise<ClientSession> {
    const { user, regionUrl } = this.#options
    for (let backoff = 100; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      try {
        const session = await ClientSession.login(regionUrl, user.firstName, user.lastName, user.password)
        this.signOns.push(Date.now())
        await this.#options.onSignOn?.(session, this)
        return session
      } catch (err) {
        // A wrong password is a harness bug, not chaos; a stopped client gives up.
        if (disposition(err) === 'fail' || this.#stopped) throw err
        await this.pause(backoff)
      }
    }
  }

  async #read (): Promise<void> {
    let backoff = 100
    while (!this.#stopped) {
      let session: ClientSession
      try {
        session = await this.session()
      } catch {
        return // stopped while logging in
      }
      try {
        const polledAt = Date.now()
        const events = await session.poll(this.#options.waitSeconds ?? 5)
        this.aliveAt = polledAt
        for (const event of events) this.#seen(event)
        backoff = 100
        if (events.length > 0 && this.#options.readPauseMs) await this.pause(this.#options.readPauseMs)
      } catch (err) {
        // 400 invalid-request here is a cursor the (restarted) region never issued: start over.
        if (disposition(err) === 'login' || (err instanceof GridImError && err.code === 'invalid-request')) this.drop(session, (err as GridImError).code)
        else await this.pause(backoff)
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
      }
    }
  }

  #seen (event: ClientEvent): void {
    if (event.type === 'presence') {
      const seen = this.presence.get(event.data.userId) ?? []
      seen.push({ status: event.data.status, at: Date.now() })
      this.presence.set(event.data.userId, seen)
    }
    this.#options.onEvent?.(event, this)
  }
}
