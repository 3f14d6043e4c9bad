// The gateway's XEP-0114 component: one link at a time, kept up by keep-alives and pings
// (GRIDIM-XMPP-2), re-established with back-off (GRIDIM-XMPP-3), losing no message stanza
// across a failure (GRIDIM-XMPP-4), and queueing (bounded) while it is down. A handshake the
// server refuses for the secret or the domain is a configuration error: no retry (GRIDIM-XMPP-59).
import { EventEmitter } from 'node:events'
import type { Element } from 'ltx'
import { GridImError } from '../../lib/errors/index.ts'
import type { Fault } from '../../lib/faults.ts'
import { StreamError } from '../stanza/index.ts'
import { backoffDelay, type BackoffOptions } from './backoff.ts'
import { openLink, type Link, type LinkOptions } from './link.ts'
import { Outbox } from './outbox.ts'
import { Pinger, type PingTimings } from './pinger.ts'
import { isPing, pongFor } from './ping.ts'

export interface ComponentOptions extends LinkOptions, PingTimings {
  /** The Jabber server's own domain, which pings are addressed to. */
  serverDomain: string
  backoff?: BackoffOptions
  /** Stanzas kept while the link is down; beyond it send() refuses (default 1000). */
  maxQueued?: number
  /** Deliberate bugs, only for conformance/variants (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
}

export interface ComponentEvents {
  online: []
  offline: [error: Error | undefined]
  stanza: [el: Element]
  reconnecting: [info: { attempt: number, delayMs: number }]
  error: [error: Error]
  /** The server refused the handshake for the secret or the domain; the component stopped trying. */
  refused: [error: StreamError]
}

/**
 * GRIDIM-XMPP-59: stream errors at the handshake that only a change of configuration cures —
 * XEP-0114 §3 `not-authorized` (the secret, or for ejabberd also an unknown domain) and RFC 6120
 * §4.9.3.6 `host-unknown` (no component for this domain). Retrying cannot succeed.
 */
export function isConfigurationRefusal (error: unknown, faults?: ReadonlySet<Fault>): error is StreamError {
  if (faults?.has('component-retries-refused-handshake')) return false
  if (faults?.has('component-gives-up-on-any-stream-error') && error instanceof StreamError) return true
  return error instanceof StreamError && (error.condition === 'not-authorized' || error.condition === 'host-unknown')
}

export class Component extends EventEmitter<ComponentEvents> {
  private link: Link | undefined
  private readonly outbox: Outbox
  private readonly pinger: Pinger
  private failures = 0
  private retryTimer: NodeJS.Timeout | undefined
  private stopped = false
  private firstAttempt: { resolve: () => void, reject: (error: Error) => void } | undefined
  #refusal: StreamError | undefined

  constructor (private readonly options: ComponentOptions) {
    super()
    this.outbox = new Outbox(options.maxQueued ?? 1000, options.faults?.has('component-forgets-unacked-messages') === true)
    this.pinger = new Pinger(options, {
      write: (el) => this.link?.write(el.toString()),
      writeRaw: (text) => this.link?.write(text),
      acked: (seq) => this.outbox.acked(seq),
      // The fault component-keeps-silent-link: an unanswered ping is noted, and the link kept.
      failed: (error) => { if (options.faults?.has('component-keeps-silent-link') !== true) this.link?.fail(error) },
      lastSeq: () => this.outbox.lastSeq
    }, options.domain, options.serverDomain)
  }

  get online (): boolean { return this.link !== undefined }
  /** Why the server refused the handshake, when it did: the component then tries no more (GRIDIM-XMPP-59). */
  get refusal (): StreamError | undefined { return this.#refusal }
  /** Message stanzas written but not yet acknowledged by an answered ping. */
  get unacked (): number { return this.outbox.unackedCount }
  get queued (): number { return this.outbox.waitingCount }

  /** Connects; resolves at the first handshake, rejects if the first attempt fails (retries go on). */
  start (): Promise<void> {
    this.stopped = false
    this.#refusal = undefined
    return new Promise((resolve, reject) => {
      this.firstAttempt = { resolve, reject }
      void this.attempt()
    })
  }

  /**
   * Writes a stanza now, or keeps it for the next link. When the link is down and the queue is
   * full, throws GridImError `unavailable` (service-unavailable / 503 to whoever sent it).
   */
  send (el: Element): 'sent' | 'queued' {
    if (this.stopped) throw new GridImError('unavailable', 'the XMPP component is stopped')
    if (this.link === undefined) {
      this.outbox.enqueue(el)
      return 'queued'
    }
    this.write(el)
    return 'sent'
  }

  /** Closes the stream cleanly; resolves with every stanza not known to be delivered. */
  async stop (): Promise<Element[]> {
    this.stopped = true
    clearTimeout(this.retryTimer)
    const link = this.link
    if (link !== undefined) {
      await this.pinger.flush(1000)
      await link.close()
    }
    this.pinger.stop()
    return this.outbox.takeAll()
  }

  private write (el: Element): void {
    this.link!.write(el.toString())
    this.pinger.wrote()
    if (el.name === 'message') this.pinger.messageWritten(this.outbox.wrote(el))
  }

  private async attempt (): Promise<void> {
    try {
      const link = await openLink(this.options, {
        element: (el) => this.receive(el),
        closed: (error) => this.lost(link, error)
      })
      if (this.stopped) return void link.close()
      this.link = link
      if (this.options.faults?.has('component-backoff-not-reset') !== true) this.failures = 0
      this.pinger.start()
      for (const el of this.outbox.drain()) this.write(el)
      this.firstAttempt?.resolve()
      this.firstAttempt = undefined
      this.emit('online')
    } catch (error) {
      if (isConfigurationRefusal(error, this.options.faults)) return this.refused(error)
      this.failed(error as Error)
    }
  }

  /** GRIDIM-XMPP-59: stop trying; whoever started the link reports the error once. */
  private refused (error: StreamError): void {
    this.stopped = true
    this.#refusal = error
    if (this.firstAttempt !== undefined) {
      this.firstAttempt.reject(error)
      this.firstAttempt = undefined
    }
    this.emit('refused', error)
  }

  private receive (el: Element): void {
    this.pinger.heard()
    if (this.pinger.answered(el)) return
    if (isPing(el) && el.attrs.to === this.options.domain) return void this.link?.write(pongFor(el).toString())
    this.emit('stanza', el)
  }

  private lost (link: Link, error: Error | undefined): void {
    if (this.link !== link) return
    this.link = undefined
    this.pinger.stop()
    this.outbox.linkFailed()
    this.emit('offline', error)
    if (!this.stopped) this.failed(error ?? new Error('the link closed'))
  }

  private failed (error: Error): void {
    if (this.firstAttempt !== undefined) {
      this.firstAttempt.reject(error)
      this.firstAttempt = undefined
    } else if (this.listenerCount('error') > 0) {
      this.emit('error', error)
    }
    if (this.stopped) return
    const delayMs = backoffDelay(this.failures++, this.options.backoff)
    this.emit('reconnecting', { attempt: this.failures, delayMs })
    this.retryTimer = setTimeout(() => void this.attempt(), delayMs)
  }
}
