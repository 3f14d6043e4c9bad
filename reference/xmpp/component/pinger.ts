// The link's timers: a whitespace keep-alive when nothing was written for a while (RFC 6120
// §4.6.1), an XEP-0199 ping after 30 s of silence, failing the link when a ping is unanswered
// for 30 s (GRIDIM-XMPP-2), and a ping within 5 s of each message stanza so that the server's
// answer acknowledges it (GRIDIM-XMPP-4).
import type { Element } from 'ltx'
import { XmppError } from '../stanza/index.ts'
import { isAnswerTo, pingIq } from './ping.ts'

export interface PingTimings {
  keepAliveMs?: number
  idlePingMs?: number
  pingTimeoutMs?: number
  /** Delay from writing a message stanza to the ping that acknowledges it (≤ 5000). */
  ackDelayMs?: number
}

export interface PingerPort {
  write (el: Element): void
  writeRaw (text: string): void
  acked (seq: number): void
  failed (error: Error): void
  lastSeq (): number
}

export class Pinger {
  private readonly keepAliveMs: number
  private readonly idlePingMs: number
  private readonly pingTimeoutMs: number
  private readonly ackDelayMs: number
  private timers: NodeJS.Timeout[] = []
  private ackTimer: NodeJS.Timeout | undefined
  private readonly outstanding = new Map<string, { seq: number, timer: NodeJS.Timeout }>()
  private counter = 0
  private lastWrite = 0
  private lastHeard = 0
  private flushWaiters: Array<() => void> = []

  constructor (timings: PingTimings, private readonly port: PingerPort, private readonly from: string, private readonly to: string) {
    this.keepAliveMs = timings.keepAliveMs ?? 20_000
    this.idlePingMs = timings.idlePingMs ?? 30_000
    this.pingTimeoutMs = timings.pingTimeoutMs ?? 30_000
    this.ackDelayMs = Math.min(timings.ackDelayMs ?? 1000, 5000)
  }

  start (): void {
    this.stop()
    this.lastWrite = this.lastHeard = Date.now()
    const tick = Math.max(10, Math.min(this.keepAliveMs, this.idlePingMs) / 4)
    this.timers.push(setInterval(() => this.tick(), tick))
  }

  stop (): void {
    for (const timer of this.timers) clearInterval(timer)
    this.timers = []
    clearTimeout(this.ackTimer)
    this.ackTimer = undefined
    for (const { timer } of this.outstanding.values()) clearTimeout(timer)
    this.outstanding.clear()
    this.releaseFlush()
  }

  wrote (): void { this.lastWrite = Date.now() }
  heard (): void { this.lastHeard = Date.now() }

  /** A message stanza `seq` was written: make sure a ping follows it soon. */
  messageWritten (_seq: number): void {
    this.ackTimer ??= setTimeout(() => { this.ackTimer = undefined; this.ping() }, this.ackDelayMs)
  }

  /** True when `el` answers one of our pings (and is consumed here). */
  answered (el: Element): boolean {
    const id = el.attrs.id
    if (typeof id !== 'string') return false
    const entry = this.outstanding.get(id)
    if (entry === undefined || !isAnswerTo(el, id)) return false
    clearTimeout(entry.timer)
    this.outstanding.delete(id)
    this.port.acked(entry.seq)
    if (this.outstanding.size === 0) this.releaseFlush()
    return true
  }

  /** Pings now and waits (bounded) for every outstanding ping to be answered. */
  async flush (timeoutMs: number): Promise<void> {
    clearTimeout(this.ackTimer)
    this.ackTimer = undefined
    this.ping()
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs)
      this.flushWaiters.push(() => { clearTimeout(timer); resolve() })
    })
  }

  private releaseFlush (): void {
    for (const waiter of this.flushWaiters.splice(0)) waiter()
  }

  private ping (): void {
    const id = `gridim-ping-${++this.counter}`
    const timer = setTimeout(() => this.port.failed(new XmppError('connection-timeout', `ping ${id} unanswered for ${this.pingTimeoutMs} ms`)), this.pingTimeoutMs)
    this.outstanding.set(id, { seq: this.port.lastSeq(), timer })
    this.port.write(pingIq(id, this.from, this.to))
    this.wrote()
  }

  private tick (): void {
    const now = Date.now()
    if (now - this.lastHeard >= this.idlePingMs && this.outstanding.size === 0) this.ping()
    else if (now - this.lastWrite >= this.keepAliveMs) {
      this.port.writeRaw(' ')
      this.wrote()
    }
  }
}
