// The simulated Jabber server's side of the XEP-0114 component link: the stream header, the
// handshake, then stanzas both ways. Besides serving the link as Prosody or ejabberd would, it
// can do what such a server does to a component when things go wrong (issue 14: "as the Jabber
// server it can break or silence the component link"): drop the connection (a restart, a broken
// network), go silent while the connection stays open (a hung server, a black-holed route), and
// refuse the next stream openings with a stream error (shutting down, or a changed component
// secret or domain). It records what happened on the link, with times, so the runner can judge
// what the component did about it (GRIDIM-XMPP-2, -3, -4, -59).
import { randomBytes } from 'node:crypto'
import type { Socket } from 'node:net'
import type { Element } from 'ltx'
import { handshakeDigest } from '../../reference/xmpp/component/handshake.ts'
import { NS_COMPONENT, StreamError } from '../../reference/xmpp/stanza/index.ts'
import { CLOSE_STREAM_XML, openStreamXml, streamErrorElement, XmlStreamParser } from '../../reference/xmpp/stream/index.ts'

const NS_PING = 'urn:xmpp:ping'

/** Stream errors a server answers a component's stream or handshake with (RFC 6120 §4.9.3, XEP-0114 §3). */
export const REFUSALS = ['system-shutdown', 'internal-server-error', 'not-authorized', 'host-unknown'] as const
export type Refusal = typeof REFUSALS[number]

/** What happened on the component port, in order; `at` in ms (Date.now()). */
export type LinkEvent =
  | { kind: 'connected', at: number }
  | { kind: 'linked', at: number }
  | { kind: 'refused', at: number, condition: Refusal }
  /** A linked stream ended: closed by the component, or cut by the server. */
  | { kind: 'closed', at: number, by: 'component' | 'server' }
  /** An XEP-0199 ping from the component to the server, answered or not. */
  | { kind: 'ping', at: number, id: string, silent: boolean }
  /** A message stanza the component wrote, delivered or (on a silent link) lost. */
  | { kind: 'message', at: number, id: string, silent: boolean, el: Element }
  /** The runner silenced the link. */
  | { kind: 'silenced', at: number }
  /** Any other stanza from the component (answers to what the server sent, say). */
  | { kind: 'stanza', at: number, el: Element }

export type ComponentPortOptions = {
  component: { domain: string, secret: string }
  /** Where the component's stanzas go once the handshake is done (the server's router). */
  route: (el: Element) => void
}

const MAX_EVENTS = 2000

export class ComponentPort {
  /** The latest events (at most MAX_EVENTS); positions count from the first event ever. */
  readonly #events: LinkEvent[] = []
  #dropped = 0
  /** Handshakes accepted, for tests and reports. */
  handshakes = 0
  #link: Socket | undefined
  readonly #silent = new WeakSet<Socket>()
  readonly #cut = new WeakSet<Socket>()
  #refuse: { condition: Refusal, remaining: number } | undefined
  #streams = 0
  #listeners: Array<() => void> = []

  constructor (private readonly options: ComponentPortOptions) {}

  get linked (): boolean { return this.#link !== undefined }
  /** Whether the current link is silent (the server neither reads nor answers it). */
  get silent (): boolean { return this.#link !== undefined && this.#silent.has(this.#link) }

  /** Writes to the link; false when there is none, or it is silent (the stanza is lost, as in a hung server). */
  write (el: Element): boolean {
    const link = this.#link
    if (link === undefined) return false
    if (this.#silent.has(link)) return true
    link.write(el.toString())
    return true
  }

  /** The current link goes silent: what the component writes is read and dropped, nothing is sent on it. */
  silence (): boolean {
    if (this.#link === undefined) return false
    this.#silent.add(this.#link)
    this.#record({ kind: 'silenced', at: Date.now() })
    return true
  }

  /** Drops the current link's connection at once, as a server restart or a broken route does. */
  cut (): boolean {
    const link = this.#link
    if (link === undefined) return false
    this.#cut.add(link)
    this.#link = undefined
    this.#record({ kind: 'closed', at: Date.now(), by: 'server' })
    link.destroy()
    return true
  }

  /** The next `count` stream openings (Infinity: all, until accept()) are refused with `condition`. */
  refuse (condition: Refusal, count = Infinity): void {
    this.#refuse = count > 0 ? { condition, remaining: count } : undefined
  }

  /** Stream openings are served again. */
  acceptLinks (): void { this.#refuse = undefined }

  /** The position the next event will have. */
  get position (): number { return this.#dropped + this.#events.length }

  /** The events at and after position `from` (those still kept). */
  eventsFrom (from: number): LinkEvent[] { return this.#events.slice(Math.max(0, from - this.#dropped)) }

  /** The latest event of `kind` and its position. */
  last<K extends LinkEvent['kind']> (kind: K): { position: number, event: Extract<LinkEvent, { kind: K }> } | undefined {
    for (let i = this.#events.length - 1; i >= 0; i--) {
      const event = this.#events[i]!
      if (event.kind === kind) return { position: this.#dropped + i, event: event as Extract<LinkEvent, { kind: K }> }
    }
    return undefined
  }

  /** Resolves when `pick` finds something in the events from position `from`, or with undefined after `timeoutMs`. */
  async waitFor<T> (from: number, pick: (events: readonly LinkEvent[]) => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const found = pick(this.eventsFrom(from))
    if (found !== undefined) return found
    return await new Promise((resolve) => {
      const listener = (): void => {
        const now = pick(this.eventsFrom(from))
        if (now === undefined) return
        done(now)
      }
      const done = (value: T | undefined): void => {
        clearTimeout(timer)
        this.#listeners = this.#listeners.filter((l) => l !== listener)
        resolve(value)
      }
      const timer = setTimeout(() => done(undefined), Math.max(0, timeoutMs))
      this.#listeners.push(listener)
    })
  }

  close (): void {
    this.#link?.destroy()
    this.#link = undefined
  }

  #record (event: LinkEvent): void {
    this.#events.push(event)
    if (this.#events.length > MAX_EVENTS) this.#dropped += this.#events.splice(0, this.#events.length - MAX_EVENTS).length
    for (const listener of [...this.#listeners]) listener()
  }

  /** One TCP connection from the component: XEP-0114 §3, or the refusal the runner ordered. */
  serve (socket: Socket): void {
    const { component } = this.options
    const id = `gridim-${++this.#streams}-${randomBytes(6).toString('hex')}`
    let authenticated = false
    let refusal: Refusal | undefined
    /** A stream error was sent: the stream is over, whatever else arrives (RFC 6120 §4.9.1.1). */
    let ended = false
    this.#record({ kind: 'connected', at: Date.now() })
    const fail = (error: StreamError): void => {
      ended = true
      if (socket.destroyed) return
      socket.end(streamErrorElement(error).toString() + CLOSE_STREAM_XML)
    }
    const refuse = (condition: Refusal): void => {
      this.#record({ kind: 'refused', at: Date.now(), condition })
      fail(new StreamError(condition, `refused by the conformance runner's Jabber server (${condition})`))
    }
    socket.on('error', () => {})
    socket.on('close', () => {
      if (this.#link !== socket) return
      this.#link = undefined
      if (!this.#cut.has(socket)) this.#record({ kind: 'closed', at: Date.now(), by: 'component' })
    })
    const parser = new XmlStreamParser({
      open: (header) => {
        socket.write(openStreamXml({ xmlns: NS_COMPONENT, from: header.to, id }))
        if (header.xmlns !== NS_COMPONENT) { fail(new StreamError('invalid-namespace', `the component namespace is ${NS_COMPONENT}`)); return }
        if (header.to?.toLowerCase() !== component.domain) { fail(new StreamError('host-unknown', `no component ${header.to ?? '(none)'} is configured here`)); return }
        // An ordered refusal: at once for the stream, after the handshake for not-authorized (XEP-0114 §3).
        if (this.#refuse !== undefined) {
          refusal = this.#refuse.condition
          if (--this.#refuse.remaining <= 0) this.#refuse = undefined
          if (refusal !== 'not-authorized') refuse(refusal)
        }
      },
      element: (el) => {
        if (ended) return
        if (!authenticated) {
          if (refusal === 'not-authorized') { refuse(refusal); return }
          if (el.name !== 'handshake' || el.getText() !== handshakeDigest(id, component.secret)) { fail(new StreamError('not-authorized', 'wrong handshake (XEP-0114 §3)')); return }
          authenticated = true
          this.handshakes++
          // A new link replaces an older one that has not noticed its end yet.
          if (this.#link !== undefined && this.#link !== socket) this.#link.destroy()
          this.#link = socket
          socket.write('<handshake/>')
          this.#record({ kind: 'linked', at: Date.now() })
          return
        }
        this.#heard(socket, el)
      },
      close: () => {
        if (this.#silent.has(socket)) return
        socket.end(CLOSE_STREAM_XML)
      }
    })
    socket.on('data', (chunk: Buffer) => {
      try { parser.write(chunk) } catch (error) { if (!this.#silent.has(socket)) fail(error instanceof StreamError ? error : new StreamError('not-well-formed', String(error))) }
    })
  }

  /** A stanza on an authenticated link: recorded, then routed — unless the link is silent. */
  #heard (socket: Socket, el: Element): void {
    const silent = this.#silent.has(socket)
    const at = Date.now()
    const id = String(el.attrs.id ?? '')
    if (el.name === 'iq' && el.attrs.type === 'get' && el.getChild('ping', NS_PING) !== undefined) this.#record({ kind: 'ping', at, id, silent })
    else if (el.name === 'message') this.#record({ kind: 'message', at, id, silent, el })
    else this.#record({ kind: 'stanza', at, el })
    if (silent) return
    const from = String(el.attrs.from ?? '').toLowerCase()
    const fromDomain = from.slice(from.indexOf('@') + 1).split('/')[0]
    // RFC 6120 §8.1.2.1, XEP-0114: a component may only send from its own domain.
    if (fromDomain !== this.options.component.domain) {
      socket.end(streamErrorElement(new StreamError('invalid-from', `from must be at ${this.options.component.domain}`)).toString() + CLOSE_STREAM_XML)
      return
    }
    if (el.attrs.xmlns === NS_COMPONENT) delete el.attrs.xmlns
    this.options.route(el)
  }
}
