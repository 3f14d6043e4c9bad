// An xmpp-user of a flow, played by the runner: its client stream, and the record of every
// stanza it sent and received, each judged against the stanza schemas on the way. Expectations
// read the record; nothing here waits a fixed time.
import type { Element } from 'ltx'
import { Element as LtxElement } from 'ltx'
import type { StreamEnd, XmppConnection } from './connection.ts'
import { judgeStanza, type StanzaVerdict } from './judge-stanza.ts'
import type { Direction } from './read-as.ts'

export type StanzaRecord = {
  /** Order across all actors of a flow. */
  seq: number
  direction: Direction
  at: number
  xml: string
  element: Element
  verdict: StanzaVerdict
  /** Sent breaking the schema on purpose (a negative check): its problems are not the target's. */
  deliberate?: boolean
}

export type XmppActorOptions = {
  name: string
  connection: XmppConnection
  /** The next sequence number, shared by the actors of a flow. */
  nextSeq: () => number
  /** Whether a received stanza is the target's to answer for (judged) or its own server's. */
  judged: (el: Element) => boolean
  onRecord: (record: StanzaRecord) => void
}

export class XmppActor {
  readonly name: string
  readonly records: StanzaRecord[] = []
  readonly #options: XmppActorOptions
  readonly #waiters = new Set<() => void>()
  /** How each wait still pending ends at once: when the actor closes (close). */
  readonly #giveUps = new Set<() => void>()
  #closed = false
  /** How the stream ended, in the flow's order of stanzas: by the server, or by this client's close. */
  #ended: (StreamEnd & { seq: number, at: number, byClient: boolean }) | undefined

  constructor (options: XmppActorOptions) {
    this.name = options.name
    this.#options = options
    options.connection.onStanza((el) => this.#record('received', el))
    options.connection.onEnd?.((end) => {
      this.#ended = { ...end, seq: options.nextSeq(), at: Date.now(), byClient: this.#closed }
      for (const wake of [...this.#waiters]) wake()
    })
  }

  get ended (): (StreamEnd & { seq: number, at: number, byClient: boolean }) | undefined { return this.#ended }

  /** The full JID its stream is bound to. */
  get jid (): string { return this.#options.connection.jid }
  get bareJid (): string { return this.jid.split('/')[0]! }
  get closed (): boolean { return this.#closed }

  #record (direction: Direction, element: Element, verdict?: StanzaVerdict, deliberate?: boolean): StanzaRecord {
    const judged = direction === 'sent' || this.#options.judged(element)
    const record: StanzaRecord = {
      seq: this.#options.nextSeq(),
      direction,
      at: Date.now(),
      xml: element.toString(),
      element,
      verdict: verdict ?? (judged ? judgeStanza(element, direction) : { problems: [] }),
      ...(deliberate ? { deliberate } : {})
    }
    this.records.push(record)
    this.#options.onRecord(record)
    for (const wake of [...this.#waiters]) wake()
    return record
  }

  /**
   * Sends a stanza built for this actor. The `from` it was built with is what the server stamps
   * (RFC 6120 §8.1.2.1), so it is left for the server to write.
   */
  async send (element: Element, verdict?: StanzaVerdict, deliberate?: boolean): Promise<StanzaRecord> {
    const judged = verdict ?? judgeStanza(element, 'sent')
    const wire = new LtxElement(element.name, { ...element.attrs })
    delete wire.attrs.from
    for (const child of element.children) wire.children.push(child)
    const record = this.#record('sent', wire, judged, deliberate)
    await this.#options.connection.send(wire)
    return record
  }

  /** An IQ and its answer, both recorded (the answer as the connection hands it on). */
  async iq (element: Element): Promise<Element> {
    this.#record('sent', element, judgeStanza(element, 'sent'))
    return await this.#options.connection.iq(element)
  }

  /**
   * Resolves with what `pick` finds in the record, looking again at every new stanza, or
   * rejects after `timeoutMs` with `describe()`'s account of what was seen.
   */
  async waitFor<T> (pick: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const found = pick()
    if (found !== undefined) return found
    return await new Promise<T>((resolve, reject) => {
      const done = (): void => { clearTimeout(timer); this.#waiters.delete(wake); this.#giveUps.delete(giveUp) }
      const wake = (): void => {
        const hit = pick()
        if (hit !== undefined) { done(); resolve(hit) }
      }
      const giveUp = (): void => { done(); reject(new Error(`${this.name}'s client was closed: ${describe()}`)) }
      const timer = setTimeout(() => { done(); reject(new Error(`timed out after ${timeoutMs} ms: ${describe()}`)) }, timeoutMs)
      this.#waiters.add(wake)
      this.#giveUps.add(giveUp)
    })
  }

  /**
   * Closes the client's stream. A wait still pending ends with it (a step's, or one that lost a
   * Promise.any): none keeps its timer, and so the run's process, going after the flow.
   */
  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    for (const giveUp of [...this.#giveUps]) giveUp()
    await this.#options.connection.close()
  }

  /**
   * Writes text that is not a well-formed stanza (hostile input, RFC 6120 §11.1), recorded as
   * sent on purpose; `like` is the stanza it spoils, which names it in the trace.
   */
  async sendRaw (xml: string, like: Element = new LtxElement('raw')): Promise<void> {
    const raw = this.#options.connection.sendRaw
    if (raw === undefined) throw new Error(`${this.name}'s transport cannot write raw XML: use transport websocket`)
    this.#options.onRecord({ seq: this.#options.nextSeq(), direction: 'sent', at: Date.now(), xml, element: like, verdict: { problems: [] }, deliberate: true })
    await raw(xml)
  }
}
