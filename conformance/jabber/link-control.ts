// What the runner, as the gateway's Jabber server, does to the component link in a flow, and
// what it then measures (issue 14). Each act does only what Prosody or ejabberd could do to a
// component — drop its connection, stop answering, refuse its stream or handshake with a stream
// error, send it a stanza from the server's own address — and waits, bounded by the timings the
// spec allows (or the shorter ones the target declares), for what the component does about it.
import { randomBytes } from 'node:crypto'
import { Element } from 'ltx'
import { BACKOFF_OK, judgeBackoff, longestDelay, MEASURE_SLACK_MS, RETRY_START_MAX_MS } from './backoff-verdict.ts'
import { REFUSALS, type ComponentPort, type LinkEvent, type Refusal } from './component-port.ts'

/**
 * How long the gateway's link waits (GRIDIM-XMPP-2, -3), in ms: the spec's bounds, or the
 * shorter values a target says its gateway is configured with, so that flows need not wait 60 s.
 */
export type LinkTimings = { idlePingMs: number, pingTimeoutMs: number, retryStartMs: number }
export const SPEC_LINK_TIMINGS: LinkTimings = { idlePingMs: 30_000, pingTimeoutMs: 30_000, retryStartMs: RETRY_START_MAX_MS }
/** GRIDIM-XMPP-4: a ping within 5 s of a message stanza. */
const ACK_PING_MS = 5000
/** How long the server waits for the gateway's answer to a stanza it sent (RFC 6120 §8.2.3: an IQ is always answered). */
const ANSWER_MS = 3000

/** Stream errors after which GRIDIM-XMPP-59 says the component stops trying. */
const CONFIGURATION: readonly Refusal[] = ['not-authorized', 'host-unknown']

export const LINK_ACTS = ['go-silent', 'await-link-failure', 'cut-link', 'refuse-links', 'accept-links', 'await-ping', 'send-from-server'] as const
export type LinkAct = typeof LINK_ACTS[number]

export type LinkActArgs = {
  /** cut-link: refuse the next `refuse` stream openings (a number), or every one until accept-links (`all`). */
  refuse?: number | 'all'
  /** cut-link: the stream error of the refusals (default system-shutdown). */
  condition?: Refusal
  /** send-from-server: a chat `message` with a body, or an `iq` get. */
  stanza?: 'message' | 'iq'
  /** accept-links: wait for the gateway to link (default true). */
  wait?: boolean
}

type Domains = { server: string, component: string }

const since = (events: readonly LinkEvent[], at: number): LinkEvent[] => events.filter((e) => e.at >= at)

/** The delays from each failure (the cut, then each refusal) to the component's next connection. */
function delaysOf (events: readonly LinkEvent[], cutAt: number): number[] {
  const delays: number[] = []
  let failedAt: number | undefined = cutAt
  for (const e of events) {
    if (e.kind === 'connected' && failedAt !== undefined) { delays.push(e.at - failedAt); failedAt = undefined }
    if (e.kind === 'refused') failedAt = e.at
  }
  return delays
}

export class LinkControl {
  constructor (private readonly port: ComponentPort, private readonly domains: Domains, private readonly timings: LinkTimings = SPEC_LINK_TIMINGS) {}

  async perform (act: string, args: LinkActArgs = {}): Promise<Record<string, unknown>> {
    switch (act) {
      case 'go-silent': return this.goSilent()
      case 'await-link-failure': return await this.awaitLinkFailure()
      case 'cut-link': return await this.cutLink(args)
      case 'refuse-links': return this.refuseLinks(args.condition ?? 'system-shutdown')
      case 'accept-links': return args.wait === false ? (this.port.acceptLinks(), { accepting: true }) : await this.acceptLinks()
      case 'await-ping': return await this.awaitPing()
      case 'send-from-server': return await this.sendFromServer(args.stanza ?? 'message')
      default: throw new Error(`unknown jabber-server act ${act}: one of ${LINK_ACTS.join(', ')}`)
    }
  }

  /** The link stays open, but the server reads and drops what comes and sends nothing. */
  goSilent (): Record<string, unknown> {
    if (!this.port.silence()) throw new Error('the gateway is not linked to the Jabber server: there is no link to silence')
    return { silent: true }
  }

  /**
   * GRIDIM-XMPP-2: after the link went silent, the component pings within the idle time and,
   * unanswered, closes the link within the ping timeout; GRIDIM-XMPP-3: then links again.
   */
  async awaitLinkFailure (): Promise<Record<string, unknown>> {
    const silenced = this.port.last('silenced')
    if (silenced === undefined) throw new Error('await-link-failure follows go-silent')
    const silentAt = silenced.event.at
    const from = silenced.position + 1
    const { idlePingMs, pingTimeoutMs, retryStartMs } = this.timings
    const closed = await this.port.waitFor(from, (events) => events.find((e) => e.kind === 'closed'), silentAt + idlePingMs + pingTimeoutMs + 2 * MEASURE_SLACK_MS + 1000 - Date.now())
    const pings = this.port.eventsFrom(from).filter((e) => e.kind === 'ping' && e.silent)
    if (closed === undefined) {
      this.port.cut() // the flow goes on with a live link
      return { pinged: pings.length > 0, closed: false, note: pings.length === 0 ? 'the gateway sent no XEP-0199 ping over the silent link' : `the gateway pinged ${pings.length} times but kept the silent link open` }
    }
    const relinked = await this.port.waitFor(from, (events) => events.find((e) => e.kind === 'linked'), longestDelay(0, retryStartMs) + 1000)
    return { pinged: pings.length > 0, closed: closed.kind === 'closed' && closed.by === 'component', relinked: relinked !== undefined }
  }

  /** Every stream opening from now on is refused with `condition`, until accept-links; the link, if any, stays. */
  refuseLinks (condition: Refusal): Record<string, unknown> {
    if (!REFUSALS.includes(condition)) throw new Error(`unknown refusal ${String(condition)}: one of ${REFUSALS.join(', ')}`)
    this.port.refuse(condition)
    return { refusing: condition }
  }

  /** Drops the link; with `refuse`, the next openings are refused. Waits for what the component does. */
  async cutLink ({ refuse, condition = 'system-shutdown' }: LinkActArgs): Promise<Record<string, unknown>> {
    if (!REFUSALS.includes(condition)) throw new Error(`unknown refusal ${String(condition)}: one of ${REFUSALS.join(', ')}`)
    if (refuse !== undefined && refuse !== 'all' && !(Number.isInteger(refuse) && refuse >= 0 && refuse <= 6)) throw new Error(`refuse is a count from 0 to 6, or all; got ${String(refuse)}`)
    const count = refuse === 'all' ? Infinity : refuse ?? 0
    let from = this.port.position
    const { retryStartMs } = this.timings
    this.port.refuse(condition, count)
    let cutAt = Date.now()
    if (!this.port.cut()) {
      // The gateway gave the link up itself (a silent link, say): its retries are timed from then.
      const closed = this.port.last('closed')
      if (closed === undefined || closed.position < (this.port.last('linked')?.position ?? 0)) throw new Error('the gateway is not linked to the Jabber server: there is no link to cut')
      cutAt = closed.event.at
      from = closed.position + 1
    }
    if (count === Infinity) {
      // The link stays down: wait for the first refused attempt, so the gateway knows it is down.
      const refused = await this.port.waitFor(from, (events) => events.find((e) => e.kind === 'refused'), longestDelay(0, retryStartMs) + 1000)
      if (refused === undefined || !CONFIGURATION.includes(condition)) return { attempts: refused === undefined ? 0 : 1, relinked: false }
      // GRIDIM-XMPP-59: no more attempts; a component that retries would within twice its start delay.
      const again = await this.port.waitFor(from, (events) => events.filter((e) => e.kind === 'connected')[1], 2 * longestDelay(1, retryStartMs))
      return { attempts: again === undefined ? 1 : 2, relinked: false }
    }
    let budget = 1000
    for (let i = 0; i <= count; i++) budget += longestDelay(i, retryStartMs)
    const linked = await this.port.waitFor(from, (events) => events.find((e) => e.kind === 'linked'), budget)
    const events = since(this.port.eventsFrom(from), cutAt)
    const delaysMs = delaysOf(events, cutAt)
    const refused = events.filter((e) => e.kind === 'refused').length
    const backoff = linked === undefined
      ? (refused < count ? `the component made ${refused + (delaysMs.length > refused ? 1 : 0)} attempts in ${budget} ms, then no more` : 'the component did not link again after the refusals')
      : judgeBackoff(delaysMs, retryStartMs)
    return { relinked: linked !== undefined, refused, delaysMs, backoff }
  }

  /** Stream openings are served again; waits for the component to link (bounded by its back-off). */
  async acceptLinks (): Promise<Record<string, unknown>> {
    this.port.acceptLinks()
    if (this.port.linked) return { relinked: true }
    const failures = this.port.eventsFrom((this.port.last('linked')?.position ?? -1) + 1).filter((e) => e.kind === 'refused').length
    const linked = await this.port.waitFor(this.port.position, (list) => list.find((e) => e.kind === 'linked'), longestDelay(failures, this.timings.retryStartMs) + 1000)
    return { relinked: linked !== undefined }
  }

  /** After a flow: links served again, a silent one dropped; resolves with whether the gateway is linked. */
  async restore (): Promise<boolean> {
    this.port.acceptLinks()
    if (this.port.silent) await this.cutLink({})
    if (this.port.linked) return true
    return (await this.acceptLinks()).relinked === true
  }

  /** GRIDIM-XMPP-4: a ping follows the last message stanza the component wrote, within 5 s. */
  async awaitPing (): Promise<Record<string, unknown>> {
    // The message may still be on its way over the socket when the step that caused it is answered.
    const linked = this.port.last('linked')?.position ?? 0
    await this.port.waitFor(linked, (events) => events.find((e) => e.kind === 'message'), 1000)
    const last = this.port.last('message')
    if (last === undefined || last.position < linked) throw new Error('the gateway wrote no message stanza on this link to ping after')
    const message = last.event
    const ping = await this.port.waitFor(last.position + 1, (list) => list.find((e) => e.kind === 'ping'), message.at + ACK_PING_MS + MEASURE_SLACK_MS - Date.now())
    return ping === undefined ? { pinged: false } : { pinged: true, withinMs: ping.at - message.at <= ACK_PING_MS + MEASURE_SLACK_MS }
  }

  /** GRIDIM-XMPP-60: a stanza from the server's own address; the answer the component gives, if any. */
  async sendFromServer (stanza: 'message' | 'iq'): Promise<Record<string, unknown>> {
    if (stanza !== 'message' && stanza !== 'iq') throw new Error(`send-from-server sends a message or an iq, not ${String(stanza)}`)
    const id = `server-${randomBytes(5).toString('hex')}`
    const to = `${this.domains.component}`
    const el = stanza === 'message'
      ? new Element('message', { type: 'chat', id, from: this.domains.server, to }).c('body').t('Scheduled maintenance tonight at 22:00.').root()
      : new Element('iq', { type: 'get', id, from: this.domains.server, to }).c('query', { xmlns: 'jabber:iq:last' }).root()
    const from = this.port.position
    if (!this.port.write(el)) throw new Error('the gateway is not linked to the Jabber server')
    const answer = await this.port.waitFor(from, (events) => events.find((e): e is Extract<LinkEvent, { kind: 'stanza' | 'message' }> =>
      (e.kind === 'stanza' || e.kind === 'message') && e.el.attrs.id === id), ANSWER_MS)
    if (answer === undefined) return { answered: false }
    const error = answer.el.getChild('error')
    const condition = error?.children.find((c): c is Element => typeof c !== 'string' && c.attrs.xmlns === 'urn:ietf:params:xml:ns:xmpp-stanzas' && c.name !== 'text')?.name
    return { answered: true, name: answer.el.name, type: answer.el.attrs.type, to: answer.el.attrs.to, ...(condition === undefined ? {} : { condition }) }
  }
}

export { BACKOFF_OK }
