// Spec chapter 5: a region holds a lease at the user server and renews it well before it
// expires (every third of leaseSeconds, GRIDIM-LEASE-5). A region that dies stops renewing, the
// lease lapses and its agents go offline (no ghosts). A graceful stop ends the lease at once.
import type { RegionKind } from '../lib/contract/types.ts'
import type { Logger } from '../lib/http/index.ts'
import { GridImError } from '../lib/errors/index.ts'
import { bodiesOf, type UserServer } from './upstream.ts'

export type LeaseOptions = {
  regionId: string
  userServer: UserServer
  logger: Logger
  now: () => number
  /** What renewRegionLease registers: this region's base URL, kind and name. */
  registration: () => { url: string, kind: RegionKind, name: string }
  /** The lease lapsed: the user server has ended every session placed here. */
  onLapsed: () => void
  /** A lease is held again after a lapse (GRIDIM-LEASE-11: what the lapse left unread goes back now). */
  onRegained?: () => void
}

/** Calls that act for no agent here (a login, a key for verifying a peer): renewed, they go ahead. */
const RETRY_AFTER_RENEWAL = new Set(['lookupUser', 'signOn', 'getRegion', 'getDirectory'])

export class LeaseKeeper {
  readonly #options: LeaseOptions
  #timer: NodeJS.Timeout | undefined
  #expiresAt: number | undefined
  #leaseSeconds = 60
  /** GRIDIM-LIM-22: the grid's replay window, from the directory; the default until it is read. */
  #replayWindowSeconds = 60
  /** GRIDIM-LIM-27: the client idle time and hand-over read window, likewise. */
  #clientIdleSeconds = 120
  #handoverSeconds = 60
  #keepAliveSeconds = 15
  #running = false
  #recovering: Promise<void> | undefined
  /** Set when the lease lapsed, until a renewal succeeds again (onRegained). */
  #lapsed = false

  constructor (options: LeaseOptions) {
    this.#options = options
  }

  /** The first renewal; throws when the user server refuses (e.g. the region is not provisioned). */
  async start (): Promise<void> {
    this.#running = true
    await this.renew()
    this.#schedule(this.#leaseSeconds / 3)
  }

  async renew (): Promise<void> {
    const { regionId, userServer, now } = this.#options
    const lease = await userServer('renewRegionLease', { params: { regionId }, body: this.#options.registration() })
    if (this.#expiresAt !== undefined && now() > this.#expiresAt && this.#recovering === undefined) {
      this.#options.logger.warn('the lease had lapsed; agents were signed off by the user server', { regionId })
      this.#options.onLapsed()
      this.#lapsed = true
    }
    this.#leaseSeconds = lease.leaseSeconds
    this.#expiresAt = Date.parse(lease.expiresAt)
    if (this.#lapsed) {
      this.#lapsed = false
      this.#options.onRegained?.()
    }
    await this.#readDirectory()
  }

  /** The replay window this region verifies `created` against (GRIDIM-SEC-5, GRIDIM-LIM-22). */
  get replayWindowSeconds (): number {
    return this.#replayWindowSeconds
  }

  /** GRIDIM-SIGN-13: how long a client may neither ask nor listen (GRIDIM-LIM-27). */
  get clientIdleSeconds (): number {
    return this.#clientIdleSeconds
  }

  /** GRIDIM-CLI-21: how long a handed-over session's log is still read here (GRIDIM-LIM-27). */
  get handoverSeconds (): number {
    return this.#handoverSeconds
  }

  /** GRIDIM-CLI-15: how long an event stream may be silent (GRIDIM-LIM-27). */
  get keepAliveSeconds (): number {
    return this.#keepAliveSeconds
  }

  /**
   * GRIDIM-LIM-22, GRIDIM-LIM-27: read at every renewal, so a changed setting applies here within a third of
   * a lease. A directory that cannot be read leaves the last value: the lease is what matters.
   */
  async #readDirectory (): Promise<void> {
    try {
      const directory = await this.#options.userServer('getDirectory')
      this.#replayWindowSeconds = directory.replayWindowSeconds
      // A user server of before GRIDIM-LIM-26 publishes neither: the defaults stay.
      if (Number.isInteger(directory.clientIdleSeconds) && directory.clientIdleSeconds > 0) this.#clientIdleSeconds = directory.clientIdleSeconds
      if (Number.isInteger(directory.handoverSeconds) && directory.handoverSeconds > 0) this.#handoverSeconds = directory.handoverSeconds
      if (Number.isInteger(directory.keepAliveSeconds) && directory.keepAliveSeconds > 0) this.#keepAliveSeconds = directory.keepAliveSeconds
    } catch (err) {
      this.#options.logger.warn('could not read the directory; the replay window stays as it was', { error: (err as Error).message })
    }
  }

  /**
   * GRIDIM-LEASE-8: calls through the returned UserServer that meet `lease-expired` make the
   * region treat its agents as signed off and renew, and later calls wait for that renewal.
   */
  guard (inner: UserServer): UserServer {
    return bodiesOf(async (operationId, ...args) => {
      await this.#recovering
      try {
        return await inner.withStatus(operationId, ...args)
      } catch (err) {
        if (!(err instanceof GridImError) || err.code !== 'lease-expired') throw err
        this.#recover()
        // A login acts for nobody this region hosted: once the lease is renewed it can go ahead.
        if (!RETRY_AFTER_RENEWAL.has(operationId)) throw err
        await this.#recovering
        return await inner.withStatus(operationId, ...args)
      }
    })
  }

  #recover (): void {
    if (this.#recovering !== undefined) return
    this.#options.logger.warn('the lease has lapsed; agents are signed off', { regionId: this.#options.regionId })
    this.#options.onLapsed()
    this.#lapsed = true
    this.#recovering = this.renew()
      .catch((err: Error) => { this.#options.logger.warn('lease renewal failed', { error: err.message }) })
      .finally(() => { this.#recovering = undefined })
  }

  /** Stops renewing, without telling the user server (a crash looks like this). */
  stop (): void {
    this.#running = false
    clearTimeout(this.#timer)
  }

  /** Stops renewing and ends the lease: the user server signs the agents off now. */
  async end (): Promise<void> {
    this.stop()
    try {
      await this.#options.userServer('endRegionLease', { params: { regionId: this.#options.regionId } })
    } catch (err) {
      this.#options.logger.warn('endRegionLease failed; the lease will lapse instead', { error: (err as Error).message })
    }
  }

  #schedule (seconds: number): void {
    if (!this.#running) return
    this.#timer = setTimeout(() => {
      this.renew().then(
        () => { this.#schedule(this.#leaseSeconds / 3) },
        (err: Error) => {
          this.#options.logger.warn('lease renewal failed; retrying', { error: err.message })
          this.#schedule(Math.max(1, this.#leaseSeconds / 6))
        })
    }, Math.max(0.05, seconds) * 1000)
    this.#timer.unref()
  }
}
