// One BOSH session (XEP-0124) carrying one XMPP stream (XEP-0206) for a C2sSession: requests
// handled in rid order, held up to `wait` seconds for stanzas, at most `hold` held, the
// session ended after `inactivity` seconds without a request (GRIDIM-XMPP-10, -11).
import { randomUUID } from 'node:crypto'
import type { Element } from 'ltx'
import type { C2sSession, C2sTransport } from '../c2s/index.ts'
import type { StreamError } from '../stanza/index.ts'
import { NS_STREAM } from '../stream/index.ts'
import { BoshError, creationAttrs, responseBody, terminateBody } from './body.ts'
import { classifyRid } from './rid-window.ts'

export type Respond = (body: Element) => void

export interface BoshTimings { wait: number, hold: number, inactivity: number, polling: number, domain: string, secure: boolean }

interface Held { rid: number, respond: Respond, timer: NodeJS.Timeout }

export class BoshSession implements C2sTransport {
  readonly sid = randomUUID()
  readonly requests: number
  c2s!: C2sSession
  private lastRid: number
  private authid = ''
  private creationSent = false
  private pending: Element[] = []
  private held: Held[] = []
  private readonly early = new Map<number, { body: Element, respond: Respond }>()
  private readonly kept = new Map<number, Element>()
  private inactivityTimer: NodeJS.Timeout | undefined
  private ended: Element | undefined
  private gone = false

  constructor (readonly timings: BoshTimings, firstRid: number, private readonly onGone: (session: BoshSession) => void) {
    this.requests = timings.hold + 1
    this.lastRid = firstRid - 1
  }

  get secure (): boolean { return this.timings.secure }

  // --- C2sTransport ---------------------------------------------------------------------------

  openStream (header: { id: string }): void {
    this.authid = header.id
  }

  send (el: Element): void {
    if (this.ended !== undefined) return
    if (el.attrs.xmlns === undefined && (el.name === 'message' || el.name === 'presence' || el.name === 'iq')) el.attrs.xmlns = 'jabber:client'
    this.pending.push(el)
    this.flush()
  }

  /** Children added after responseBody() was built need the stream prefix declared too. */
  private static declare (body: Element): Element {
    if (body.children.some((c) => typeof c !== 'string' && c.name.startsWith('stream:'))) body.attrs['xmlns:stream'] = NS_STREAM
    return body
  }

  /** XEP-0206 §6: the stream ends with a terminate body, carrying the stream error if any. */
  closeStream (error?: StreamError): void {
    if (this.ended !== undefined) return
    const body = terminateBody(undefined, error)
    for (const el of this.pending.reverse()) body.children.unshift(el)
    this.pending = []
    this.ended = body
    for (const held of [...this.held]) this.answer(held, this.ended)
    // Kept briefly so that the client's next request still learns how the stream ended.
    this.resetInactivity(Math.min(this.timings.wait, 10))
  }

  // --- requests -------------------------------------------------------------------------------

  /** The session creation request (XEP-0124 §7.1): rid already checked by the caller. */
  create (respond: Respond, header: { to?: string, lang?: string }): void {
    this.accept(this.lastRid + 1, respond)
    this.c2s.streamOpened(header)
  }

  /** A later request (XEP-0124 §9), in whatever order it arrived. */
  request (rid: number, body: Element, respond: Respond): void {
    if (this.ended !== undefined) return respond(this.ended)
    const verdict = classifyRid(rid, this.lastRid, this.requests, (r) => this.early.has(r) || this.kept.has(r) || this.held.some((h) => h.rid === r))
    if (verdict === 'repeat') return respond(this.kept.get(rid) ?? responseBody())
    if (verdict === 'invalid') return this.terminate(respond, new BoshError('item-not-found', `rid ${rid} is outside the window (XEP-0124 §14.1)`))
    // XEP-0124 §11 (overactivity): more simultaneous requests than 'requests' allows.
    if (this.held.length + this.early.size >= this.requests) return this.terminate(respond, new BoshError('policy-violation', 'more simultaneous requests than allowed (XEP-0124 §11)'))
    if (rid !== this.lastRid + 1) return void this.early.set(rid, { body, respond })
    this.process(rid, body, respond)
    for (let next = this.early.get(this.lastRid + 1); next !== undefined; next = this.early.get(this.lastRid + 1)) {
      this.early.delete(this.lastRid + 1)
      this.process(this.lastRid + 1, next.body, next.respond)
    }
  }

  /** The HTTP connection of a held request went away: nothing more is written to it. */
  abandon (rid: number): void {
    const held = this.held.find((h) => h.rid === rid)
    if (held === undefined) return
    clearTimeout(held.timer)
    this.held = this.held.filter((h) => h !== held)
    if (this.held.length === 0) this.resetInactivity(this.timings.inactivity)
  }

  /** Ends the session with a terminal condition, answering `respond` with it. */
  terminate (respond: Respond, error: BoshError): void {
    respond(terminateBody(error.condition, error.streamError))
    this.ended ??= terminateBody(error.condition)
    for (const held of [...this.held]) this.answer(held, this.ended)
    for (const early of this.early.values()) early.respond(this.ended)
    this.c2s.transportLost()
    this.destroy()
  }

  private process (rid: number, body: Element, respond: Respond): void {
    this.accept(rid, respond)
    // XEP-0206 §5: after SASL success the client asks for a stream restart.
    if (body.attrs['xmpp:restart'] === 'true') this.c2s.streamOpened({ ...(body.attrs.to === undefined ? {} : { to: body.attrs.to }) })
    for (const child of body.getChildElements()) this.c2s.element(child)
    if (body.attrs.type === 'terminate') this.c2s.streamClosed()
  }

  private accept (rid: number, respond: Respond): void {
    this.lastRid = rid
    clearTimeout(this.inactivityTimer)
    const held: Held = { rid, respond, timer: setTimeout(() => this.answer(held, responseBody()), this.timings.wait * 1000) }
    this.held.push(held)
    // XEP-0124 §10: never more than 'hold' requests held; the oldest is answered.
    while (this.held.length > this.timings.hold) this.answer(this.held[0]!, this.takePending())
    this.flush()
  }

  private flush (): void {
    if (this.pending.length > 0 && this.held.length > 0) this.answer(this.held[0]!, this.takePending())
  }

  private takePending (): Element {
    const body = responseBody({}, this.pending)
    this.pending = []
    return body
  }

  private answer (held: Held, body: Element): void {
    clearTimeout(held.timer)
    this.held = this.held.filter((h) => h !== held)
    if (!this.creationSent) {
      this.creationSent = true
      const { wait, hold, inactivity, polling, domain } = this.timings
      Object.assign(body.attrs, creationAttrs({ sid: this.sid, wait, requests: this.requests, hold, inactivity, polling, from: domain, authid: this.authid }))
    }
    BoshSession.declare(body)
    this.kept.set(held.rid, body)
    for (const rid of this.kept.keys()) if (rid <= held.rid - this.requests) this.kept.delete(rid)
    held.respond(body)
    if (this.held.length === 0) this.resetInactivity(this.ended === undefined ? this.timings.inactivity : Math.min(this.timings.wait, 10))
  }

  private resetInactivity (seconds: number): void {
    clearTimeout(this.inactivityTimer)
    // GRIDIM-XMPP-10: the user is signed off, as when the gateway stops.
    this.inactivityTimer = setTimeout(() => { this.close() }, seconds * 1000)
  }

  /**
   * The session ends, its timers and held requests with it, and its user is signed off
   * (GRIDIM-XMPP-10): after `inactivity` seconds without a request, or when the gateway stops
   * (nothing more then once the gateway has closed its sessions itself).
   */
  close (): void {
    if (this.gone) return
    this.c2s.transportLost()
    this.destroy()
  }

  private destroy (): void {
    if (this.gone) return
    this.gone = true
    clearTimeout(this.inactivityTimer)
    for (const held of this.held) clearTimeout(held.timer)
    this.held = []
    this.early.clear()
    this.onGone(this)
  }
}
