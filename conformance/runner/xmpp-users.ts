// The xmpp-user actors of a flow, played by the runner: foreign users (at the Jabber server J,
// over its client port) and IM-only grid users (at the gateway, over BOSH or WebSocket). Signing
// on, sending stanzas built from the schemas, stanza expectations, and every stanza recorded in
// the flow's trace and judged against the schemas: a received one that breaks its schema
// becomes a failing check.
import { Element } from 'ltx'
import type { Expectation, SendAction } from '../../spec/flows/schema.ts'
import { connectBosh } from '../xmpp/bosh-connection.ts'
import { buildStanza } from '../xmpp/build-stanza.ts'
import type { Login, XmppConnection } from '../xmpp/connection.ts'
import { foreignUserId, gridUserJid, normaliseBareJid } from '../xmpp/foreign-user-id.ts'
import { checkObject, type ObservedName } from '../xmpp/judge-stanza.ts'
import { isStanzaName } from '../xmpp/read-as.ts'
import { buildIq, isIqName } from '../xmpp/read-iq.ts'
import { expectNoStanza, expectStanza, type StanzaQuery } from '../xmpp/stanza-expectation.ts'
import { STANZA_REQUIREMENTS } from '../xmpp/stanza-requirements.ts'
import { connectStream } from '../xmpp/stream-connection.ts'
import { XmppActor, type StanzaRecord } from '../xmpp/xmpp-actor.ts'
import type { ActionResult } from './actions.ts'
import { Impossible } from './expectations.ts'
import type { FlowContext } from './flow-context.ts'
import { resolveValue } from './vars.ts'

/** A received stanza that breaks its schema: a failing check of the step it arrived in. */
export type StanzaViolation = { step: string, schema: ObservedName, requirements: string[], message: string }

const NS_ROSTER = 'jabber:iq:roster'
const NS_PING = 'urn:xmpp:ping'
/** How long the runner waits, after a flow, for the target to sign its XMPP users off. */
const SIGN_OFF_WAIT_MS = 5000

/**
 * The stanza as text with an XML comment inside its <body/> (or before its end tag when it has
 * none), which RFC 6120 §11.1 forbids: hostile input for GRIDIM-XMPP-43 and -46. `from` is left
 * for the server to stamp, as for any stanza.
 */
export function withComment (el: Element): string {
  const wire = new Element(el.name, { ...el.attrs })
  delete wire.attrs.from
  for (const child of el.children) wire.children.push(child)
  const xml = wire.toString()
  const comment = '<!-- a comment -->'
  if (xml.includes('</body>')) return xml.replace('</body>', `${comment}</body>`)
  // An empty element is written <name …/>: opened and closed around the comment instead.
  if (xml.endsWith('/>') && !xml.includes('</')) return `${xml.slice(0, -2)}>${comment}</${wire.name}>`
  const at = xml.lastIndexOf('</')
  return `${xml.slice(0, at)}${comment}${xml.slice(at)}`
}

export class XmppUsers {
  readonly actors = new Map<string, XmppActor>()
  /** Clients of a user that a second sign-on (`secondClient`) left connected, oldest first. */
  readonly #earlier = new Map<string, XmppActor[]>()
  readonly violations: StanzaViolation[] = []
  /** Stanzas already used by a stanza expectation of this flow. */
  readonly claimed = new Set<number>()
  readonly #ctx: FlowContext
  readonly #accounts = new Map<string, { user: string, password: string }>()
  #seq = 0
  #since = 0
  #step = 'setup'
  /** Where each step's window would begin: the first sequence number after its start (`sinceStep`). */
  readonly #stepStarts = new Map<string, number>()

  constructor (ctx: FlowContext) {
    this.#ctx = ctx
  }

  /** The actor is an xmpp-user at the Jabber server: a foreign user (chapter 2). */
  isForeign (name: string): boolean {
    const actor = this.#ctx.flow.actors[name]
    return actor?.kind === 'xmpp-user' && this.#ctx.flow.actors[actor.at ?? '']?.kind === 'jabber-server'
  }

  /** The actor is an xmpp-user at the gateway: a grid user on an IM-only app. */
  isImOnly (name: string): boolean {
    const actor = this.#ctx.flow.actors[name]
    return actor?.kind === 'xmpp-user' && !this.isForeign(name)
  }

  /**
   * A step begins. Stanza expectations look only at what arrived since the latest step whose
   * action could change something, so a stanza an earlier action caused cannot meet them.
   */
  startStep (stepId: string, acts: boolean): void {
    this.#step = stepId
    this.#stepStarts.set(stepId, this.#seq)
    if (acts) this.#since = this.#seq
  }

  takeViolations (): StanzaViolation[] {
    return this.violations.splice(0)
  }

  #gateway () {
    const gw = this.#ctx.target.gateway
    if (gw === undefined) throw new Impossible('this target has no XMPP gateway')
    return gw
  }

  #jabber () {
    const j = this.#ctx.target.jabberServer
    if (j === undefined) throw new Impossible('this target names no Jabber server')
    return j
  }

  #actorNamed (kind: 'gateway' | 'jabber-server', fallback: string): string {
    return Object.entries(this.#ctx.flow.actors).find(([, a]) => a.kind === kind && !a.simulated)?.[0] ?? fallback
  }

  /** A JID's role in the flow, for the trace: an actor, the gateway, the Jabber server. */
  roleOfJid (jid: unknown): string | undefined {
    if (typeof jid !== 'string' || jid === '') return undefined
    const bare = normaliseBareJid(jid)
    for (const [name, actor] of this.actors) if (actor.bareJid.toLowerCase() === bare) return name
    const domain = bare.slice(bare.indexOf('@') + 1)
    if (domain === this.#ctx.target.gateway?.domain.toLowerCase()) return this.#actorNamed('gateway', 'GW')
    if (domain === this.#ctx.target.jabberServer?.domain.toLowerCase()) return this.#actorNamed('jabber-server', 'J')
    return undefined
  }

  /** A grid user's XMPP address (GRIDIM-ID-8), when the target has a gateway. */
  gridJid (firstName: string, lastName: string): string | undefined {
    const gw = this.#ctx.target.gateway
    return gw === undefined ? undefined : gridUserJid(firstName, lastName, gw.domain)
  }

  /** A foreign user's account at J, fresh per flow when J lets the runner make one. */
  async prepareForeign (name: string): Promise<{ jid: string, userId: string }> {
    const j = this.#jabber()
    let account = this.#accounts.get(name)
    if (account === undefined) {
      if (j.createAccount) account = await j.createAccount()
      else {
        const index = [...this.#accounts.keys()].length
        account = j.accounts?.[index]
        if (account === undefined) throw new Impossible(`the target's Jabber server has no account left for ${name}: list more under jabberServer.accounts`)
      }
      this.#accounts.set(name, account)
    }
    const jid = normaliseBareJid(`${account.user}@${j.domain}`)
    return { jid, userId: foreignUserId(jid) }
  }

  /** D's friendship with a grid user is a mutual subscription in D's roster at J (chapter 11). */
  async seedRoster (name: string, contact: { jid: string, name: string }): Promise<void> {
    const j = this.#jabber()
    const account = this.#accounts.get(name)
    if (account === undefined) throw new Error(`${name} has no account at the Jabber server`)
    if (!j.addRosterItem) throw new Impossible('the runner cannot put contacts in rosters at this Jabber server')
    await j.addRosterItem(account.user, { jid: contact.jid, name: contact.name, subscription: 'both' })
  }

  #record (actor: string, r: StanzaRecord): void {
    const el = r.element
    const own = this.isForeign(actor) ? this.#actorNamed('jabber-server', 'J') : this.#actorNamed('gateway', 'GW')
    const label = r.verdict.schema ?? `<${el.name}${el.attrs.type === undefined ? '' : ` ${String(el.attrs.type)}`}>`
    const [from, to] = r.direction === 'sent'
      ? [actor, this.roleOfJid(el.attrs.to) ?? own]
      : [this.roleOfJid(el.attrs.from) ?? own, actor]
    this.#ctx.record({ kind: 'stanza', operationId: label, from, to, request: r.xml, ...(r.verdict.problems.length > 0 ? { response: r.verdict.problems } : {}) })
    if (r.direction === 'received' && r.verdict.schema !== undefined && r.verdict.problems.length > 0) {
      this.violations.push({
        step: this.#step,
        schema: r.verdict.schema,
        requirements: STANZA_REQUIREMENTS[r.verdict.schema],
        message: `${from} sent ${actor} a ${r.verdict.schema} stanza that breaks its schema: ${r.verdict.problems.join('; ')} — ${r.xml.slice(0, 600)}`
      })
    }
  }

  async #connect (name: string, resource = 'conformance'): Promise<XmppConnection> {
    const user = this.#ctx.users.get(name)
    if (this.isForeign(name)) {
      const j = this.#jabber()
      const account = this.#accounts.get(name)
      if (account === undefined) throw new Error(`${name} has no account at the Jabber server`)
      if (j.connect) return await j.connect({ username: account.user, password: account.password, resource: 'conformance' })
      return await connectStream(`xmpp://${j.host}:${j.port}`, { username: account.user, password: account.password, domain: j.domain, resource: 'conformance' })
    }
    const gw = this.#gateway()
    if (user === undefined) throw new Error(`${name} is not a user of this flow`)
    // GRIDIM-XMPP-7: the localpart first.last, any case, and the account's password.
    const login: Login = { username: `${user.firstName}.${user.lastName}`.toLowerCase(), password: user.password, domain: gw.domain, resource }
    const base = new URL(gw.url)
    if (this.#ctx.flow.actors[name]?.transport === 'websocket') {
      return await connectStream(gw.websocketUrl ?? `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}/xmpp-websocket`, login)
    }
    return await connectBosh(gw.boshUrl ?? new URL('/http-bind', base).toString(), login)
  }

  /**
   * `signOn` for an xmpp-user: connect, fetch the roster (servers send subscription requests
   * only to resources that did, RFC 6121 §3.1.3), send initial presence (RFC 6121 §4.2) — what
   * every mainstream client does, and nothing more: no directed presence to the gateway domain,
   * which no ordinary client sends (a gateway must handle first contact without it, GRIDIM-XMPP-47).
   */
  async signOn (name: string, options: { secondClient?: boolean } = {}): Promise<ActionResult> {
    const earlier = this.actors.get(name)
    if (options.secondClient === true) {
      // Another app or device of the same person signs on while the first stays connected
      // (GRIDIM-XMPP-9): the first is kept, for what the server does to its stream.
      if (!this.isImOnly(name)) throw new Error(`secondClient is for an IM-only user at the gateway; ${name} is not one`)
      if (earlier === undefined || earlier.closed) throw new Error(`${name} has no client connected for a second one to join`)
      this.#earlier.set(name, [...(this.#earlier.get(name) ?? []), earlier])
    } else {
      await earlier?.close()
    }
    // A second app binds a resource of its own, so it is the user, not the resource, that conflicts.
    const others = this.#earlier.get(name)?.length ?? 0
    const connection = await this.#connect(name, others === 0 ? 'conformance' : `conformance-${others + 1}`)
    const actor = new XmppActor({
      name,
      connection,
      nextSeq: () => this.#seq++,
      judged: (el) => !this.isForeign(name) || this.roleOfJid(el.attrs.from) === this.#actorNamed('gateway', 'GW'),
      onRecord: (r) => this.#record(name, r)
    })
    this.actors.set(name, actor)
    this.#ctx.record({ kind: 'runner', operationId: 'signOn', from: name, to: this.isForeign(name) ? this.#actorNamed('jabber-server', 'J') : this.#actorNamed('gateway', 'GW') })
    await actor.iq(new Element('iq', { type: 'get', id: `roster-${this.#seq}` }).c('query', { xmlns: NS_ROSTER }).up())
    await actor.send(buildStanza('presence-available', {}, actor.jid).element)
    return { status: 200, body: { jid: actor.jid } }
  }

  /** `signOff` for an xmpp-user: its client closes the stream (RFC 6120 §4.4). */
  async signOff (name: string): Promise<ActionResult> {
    const actor = this.#actor(name)
    this.#ctx.record({ kind: 'runner', operationId: 'signOff', from: name, to: this.isForeign(name) ? this.#actorNamed('jabber-server', 'J') : this.#actorNamed('gateway', 'GW') })
    await actor.close()
    return { status: 200, body: undefined }
  }

  #actor (name: string): XmppActor {
    const actor = this.actors.get(name)
    if (actor === undefined || actor.closed) throw new Error(`${name}'s XMPP client is not connected (signOn first)`)
    return actor
  }

  /** A step's `send`: the stanza of the named schema, checked, mapped and sent on the actor's stream. */
  async send (action: SendAction): Promise<ActionResult> {
    if (isIqName(action.send)) return await this.#sendIq(action)
    if (!isStanzaName(action.send)) throw new Error(`no stanza schema ${action.send}`)
    const actor = this.#actor(action.as)
    const args = (resolveValue(action.args ?? {}, this.#ctx.scope) ?? {}) as Record<string, unknown>
    const built = buildStanza(action.send, args, actor.jid, action.attrs)
    if (built.problems.length > 0 && !action.offSchema) throw new Error(`the flow's ${action.send} breaks its schema: ${built.problems.join('; ')}`)
    if (built.problems.length === 0 && action.offSchema) throw new Error(`the flow marks its ${action.send} offSchema, but it conforms`)
    if (action.spoil === 'comment') {
      await actor.sendRaw(withComment(built.element), built.element)
      return { status: 200, body: built.stanza }
    }
    await actor.send(built.element, { schema: built.schema, stanza: built.stanza, problems: built.problems }, action.offSchema)
    return { status: 200, body: built.stanza }
  }

  /**
   * A step's `send` of an <iq/> request (a disco#info query, as Converse.js sends a room before
   * joining it, XEP-0045 §7.12): built from `args`, checked against its schema and sent; the
   * answer, a result or an error, arrives as a received stanza for the step's expectations.
   */
  async #sendIq (action: SendAction): Promise<ActionResult> {
    if (!isIqName(action.send)) throw new Error(`no iq schema ${action.send}`)
    if (action.offSchema === true || action.attrs !== undefined) throw new Error(`a ${action.send} is sent as its schema says: no offSchema, no attrs`)
    const actor = this.#actor(action.as)
    const args = (resolveValue(action.args ?? {}, this.#ctx.scope) ?? {}) as Record<string, unknown>
    const kind = action.send.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
    const query = { kind, id: `${action.send}-${this.#seq}`, ...args }
    const problems = checkObject(action.send, query)
    if (problems.length > 0) throw new Error(`the flow's ${action.send} breaks its schema: ${problems.join('; ')}`)
    const element = buildIq(action.send, query)
    // An error answer is the target's to explain: the expectations describe what arrived.
    await actor.iq(element).catch(() => undefined)
    return { status: 200, body: query }
  }

  #query (e: { stanza: string, match?: Record<string, unknown>, sinceStep?: string }): StanzaQuery {
    if (!isStanzaName(e.stanza) && !isIqName(e.stanza)) throw new Error(`no stanza schema ${e.stanza}`)
    const since = e.sinceStep === undefined ? this.#since : this.#stepStarts.get(e.sinceStep)
    if (since === undefined) throw new Error(`sinceStep ${e.sinceStep}: no such step has begun in this flow`)
    return { name: e.stanza, match: resolveValue(e.match ?? {}, this.#ctx.scope), since, claimed: this.claimed }
  }

  async expect (e: Extract<Expectation, { kind: 'stanza' }>): Promise<void> {
    const actor = this.actors.get(e.for)
    if (actor === undefined) throw new Error(`${e.for} has no XMPP client in this flow`)
    await expectStanza(actor, this.#query(e), this.#ctx.eventTimeoutMs)
  }

  /**
   * Checked after an XEP-0199 ping of the actor's own server is answered: a server handles a
   * client's stanzas in order and writes to its stream in order, so whatever it had sent before
   * the answer has arrived by then — a bounded window without a fixed sleep.
   */
  async expectNone (e: Extract<Expectation, { kind: 'no-stanza' }>): Promise<void> {
    const actor = this.actors.get(e.for)
    if (actor === undefined) throw new Error(`${e.for} has no XMPP client in this flow`)
    if (!actor.closed) {
      const server = actor.bareJid.slice(actor.bareJid.indexOf('@') + 1)
      const ping = new Element('iq', { type: 'get', to: server, id: `ping-${this.#seq}` }).c('ping', { xmlns: NS_PING }).up()
      await actor.iq(ping).catch(() => undefined)
    }
    expectNoStanza(actor, this.#query(e))
  }

  /**
   * The gateway ended one of the IM-only user's streams with the stream error `condition` (RFC
   * 6120 §4.9), since the step window began: waits, bounded, on every client of the user.
   */
  async expectStreamError (e: Extract<Expectation, { kind: 'stream-error' }>): Promise<void> {
    if (!this.isImOnly(e.for)) throw new Error(`stream-error is observed for an IM-only user at the gateway; ${e.for} is not one`)
    const clients = [...(this.#earlier.get(e.for) ?? []), ...[this.actors.get(e.for)].filter((a) => a !== undefined)]
    if (clients.length === 0) throw new Error(`${e.for} has no XMPP client in this flow`)
    const since = this.#since
    const hit = (a: XmppActor): true | undefined => a.ended !== undefined && a.ended.seq >= since && a.ended.streamError === e.condition ? true : undefined
    const describe = (): string => clients.map((a, i) => {
      const end = a.ended
      const which = `${e.for}'s client ${i + 1}`
      if (end === undefined) return `${which}: still open`
      if (end.seq < since) return `${which}: ended before this step`
      if (end.byClient) return `${which}: closed by the client`
      const terminate = end.terminate === undefined ? '' : ` (BOSH terminate condition ${end.terminate})`
      return `${which}: ended by the server ${end.streamError === undefined ? 'without a stream error' : `with the stream error ${end.streamError}`}${terminate}`
    }).join('; ')
    try {
      await Promise.any(clients.map(async (a) => await a.waitFor(() => hit(a), this.#ctx.eventTimeoutMs, describe)))
    } catch {
      throw new Error(`no stream of ${e.for} ended with the stream error ${e.condition} within ${this.#ctx.eventTimeoutMs} ms: ${describe()}`)
    }
  }

  /** Polls (quietly: housekeeping, not the flow's traffic) until the user is `online` or not, or the deadline. */
  async #untilState (name: string, online: boolean, deadline: number): Promise<void> {
    const userId = this.#ctx.users.get(name)?.userId
    if (userId === undefined) return
    for (;;) {
      const user = await this.#ctx.peer.call(this.#ctx.target.userServerUrl, 'adminGetUser', {
        params: { userId }, headers: { authorization: `Bearer ${this.#ctx.target.adminToken}` }
      }).then((res) => res.body, () => undefined)
      if (user === undefined || (user.online === true) === online || Date.now() > deadline) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  /**
   * After a sign-on in setup: until the gateway has signed the user on (GRIDIM-XMPP-7, -25),
   * bounded; a target that never does fails the flow's own checks, not this wait.
   */
  async untilOnline (name: string): Promise<void> {
    await this.#untilState(name, true, Date.now() + this.#ctx.eventTimeoutMs)
  }

  /**
   * Closes every stream and waits (bounded) until the user server has the users offline, so
   * that the gateway's sign-offs do not spill into the next flow's traffic.
   */
  async closeAll (): Promise<void> {
    const names = [...this.actors.entries()].filter(([, a]) => !a.closed).map(([n]) => n)
    const all = [...this.actors.values(), ...[...this.#earlier.values()].flat()]
    await Promise.all(all.map(async (a) => { await a.close().catch(() => {}) }))
    const deadline = Date.now() + SIGN_OFF_WAIT_MS
    for (const name of names) await this.#untilState(name, false, deadline)
  }
}
