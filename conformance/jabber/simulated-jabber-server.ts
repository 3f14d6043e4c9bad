// The runner's own Jabber server, for a gateway under test when the target names no real one
// (issue 5: "a simulated Jabber server speaking the component protocol to a gateway under
// test"). The gateway links to it as an XEP-0114 external component, exactly as it would to
// Prosody or ejabberd; the flows' foreign users are accounts here and log in in-process (the
// runner is both their client and their server, so no client port is needed).
//
// It does what RFC 6121 asks of a user's server, as far as the flows go: rosters with
// subscription states and roster pushes (§2, §3), presence broadcast to subscribers, probes on
// initial presence and answers to probes (§4), routing of messages, presence and IQs to the
// component, offline messages held until the next initial presence (§8.5.2.1.1, XEP-0203 delay),
// and stanza errors for what it cannot route (RFC 6120 §8.3, §10.4).
import { randomBytes } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import { Element } from 'ltx'
import { errorReply, iqResult } from '../../reference/xmpp/c2s/iq.ts'
import { bareJid, NS_CLIENT, NS_COMPONENT, parseStanzaXml, resourceOf } from '../../reference/xmpp/stanza/index.ts'
import type { JabberAccount, JabberRosterItem, JabberServerEndpoint } from '../target/target.ts'
import type { Login, XmppConnection } from '../xmpp/connection.ts'
import { ComponentPort } from './component-port.ts'
import { LinkControl, type LinkTimings } from './link-control.ts'

const NS_ROSTER = 'jabber:iq:roster'
const NS_PING = 'urn:xmpp:ping'
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info'
const NS_DELAY = 'urn:xmpp:delay'
/** Offline messages kept per account, as a server's quota would (oldest dropped with an error to the sender). */
const MAX_OFFLINE = 100

type Subscription = JabberRosterItem['subscription']
type Item = { jid: string, name?: string, subscription: Subscription, ask?: 'subscribe' }
const hasFrom = (s: Subscription): boolean => s === 'from' || s === 'both'
const hasTo = (s: Subscription): boolean => s === 'to' || s === 'both'

class Session {
  readonly listeners: Array<(el: Element) => void> = []
  available = false
  lastPresence: Element | undefined
  /** RFC 6121 §4.6: where directed available presence went; they are told when the session ends. */
  readonly directed = new Set<string>()
  closed = false
  constructor (readonly account: Account, readonly resource: string) {}
  get jid (): string { return `${this.account.bare}/${this.resource}` }
  /** In order, after the current turn: as a stream would, never inside the sender's call. */
  deliver (el: Element): void {
    const copy = parseStanzaXml(el.toString())
    if (copy.attrs.xmlns === NS_COMPONENT || copy.attrs.xmlns === NS_CLIENT) delete copy.attrs.xmlns
    setImmediate(() => { if (!this.closed) for (const l of this.listeners) l(copy) })
  }
}

class Account {
  readonly roster = new Map<string, Item>()
  /** Subscription requests not yet answered (RFC 6121 §3.1.3), shown again at each login. */
  readonly pendingIn = new Map<string, Element>()
  readonly offline: Element[] = []
  session: Session | undefined
  constructor (readonly user: string, readonly password: string, readonly bare: string) {}
}

export type SimulatedJabberServerOptions = {
  /** The server's own domain: foreign users are user@domain. */
  domain: string
  /** The component that may link (the gateway's domain) and its shared secret (XEP-0114 §3). */
  component: { domain: string, secret: string }
}

export class SimulatedJabberServer {
  readonly domain: string
  readonly #component: { domain: string, secret: string }
  readonly #accounts = new Map<string, Account>()
  readonly #server: Server
  readonly #sockets = new Set<Socket>()
  /** The component link (XEP-0114), which the runner may also break, silence or refuse. */
  readonly port: ComponentPort

  constructor (options: SimulatedJabberServerOptions) {
    this.domain = options.domain.toLowerCase()
    this.#component = { domain: options.component.domain.toLowerCase(), secret: options.component.secret }
    this.port = new ComponentPort({ component: this.#component, route: (el) => this.#route(el) })
    this.#server = createServer((socket) => {
      this.#sockets.add(socket)
      socket.on('close', () => this.#sockets.delete(socket))
      this.port.serve(socket)
    })
  }

  /** Handshakes accepted, for tests and reports. */
  get handshakes (): number { return this.port.handshakes }
  /** The domain of the component that may link (the gateway domain). */
  get componentDomain (): string { return this.#component.domain }

  /** Listens for the component on loopback; returns the port. */
  async listen (port = 0, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(port, host, () => { this.#server.off('error', reject); resolve() })
    })
    return (this.#server.address() as { port: number }).port
  }

  get linked (): boolean { return this.port.linked }

  async close (): Promise<void> {
    for (const account of this.#accounts.values()) if (account.session) this.#endSession(account.session)
    this.port.close()
    for (const socket of this.#sockets) socket.destroy()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  // --- accounts ---------------------------------------------------------------------------------

  async createAccount (): Promise<JabberAccount> {
    const account = { user: `u${randomBytes(5).toString('hex')}`, password: randomBytes(12).toString('base64url') }
    this.#accounts.set(account.user, new Account(account.user, account.password, `${account.user}@${this.domain}`))
    return account
  }

  async addRosterItem (user: string, item: JabberRosterItem): Promise<void> {
    const account = this.#accounts.get(user.toLowerCase())
    if (account === undefined) throw new Error(`no account ${user} at ${this.domain}`)
    const jid = bareJid(item.jid).toLowerCase()
    account.roster.set(jid, { jid, subscription: item.subscription, ...(item.name === undefined ? {} : { name: item.name }) })
  }

  /** A client session of an account: what a c2s stream would give after SASL and binding. */
  async connect (login: Pick<Login, 'username' | 'password' | 'resource'>): Promise<XmppConnection> {
    const account = this.#accounts.get(login.username.toLowerCase())
    if (account === undefined || account.password !== login.password) throw new Error(`SASL failure: not-authorized (${login.username}@${this.domain})`)
    // RFC 6120 §7.7.2.2: a second session with the same resource replaces the first.
    if (account.session !== undefined) this.#endSession(account.session)
    const session = new Session(account, login.resource ?? `r${randomBytes(4).toString('hex')}`)
    account.session = session
    const waiting = new Map<string, (el: Element) => void>()
    session.listeners.push((el) => {
      const id = el.attrs.id
      if (el.name === 'iq' && (el.attrs.type === 'result' || el.attrs.type === 'error') && waiting.has(id)) {
        waiting.get(id)!(el)
        waiting.delete(id)
      }
    })
    return {
      jid: session.jid,
      send: async (el) => { if (!session.closed) this.#fromClient(session, parseStanzaXml(el.toString())) },
      iq: async (el, timeoutMs = 10_000) => await new Promise<Element>((resolve, reject) => {
        const id = String(el.attrs.id ?? `iq-${randomBytes(4).toString('hex')}`)
        el.attrs.id = id
        const timer = setTimeout(() => { waiting.delete(id); reject(new Error(`no answer to iq ${id} in ${timeoutMs} ms`)) }, timeoutMs)
        waiting.set(id, (answer) => {
          clearTimeout(timer)
          if (answer.attrs.type === 'error') reject(new Error(`iq ${id}: ${answer.getChild('error')?.children.map(String).join('') ?? 'error'}`))
          else resolve(answer)
        })
        this.#fromClient(session, parseStanzaXml(el.toString()))
      }),
      onStanza: (listener) => { session.listeners.unshift(listener) },
      close: async () => { this.#endSession(session) }
    }
  }

  #endSession (session: Session): void {
    if (session.closed) return
    // RFC 6121 §4.5.1: an ended session's subscribers learn it is unavailable.
    if (session.available) this.#broadcast(session, new Element('presence', { type: 'unavailable' }))
    session.closed = true
    session.available = false
    if (session.account.session === session) session.account.session = undefined
  }

  // --- from a client ----------------------------------------------------------------------------

  #fromClient (session: Session, el: Element): void {
    const { account } = session
    el.attrs.from = session.jid
    const to = typeof el.attrs.to === 'string' ? el.attrs.to.toLowerCase() : undefined
    if (el.name === 'iq' && (to === undefined || to === account.bare || to === this.domain)) { this.#serverIq(session, el); return }
    if (el.name === 'presence' && to === undefined) { this.#ownPresence(session, el); return }
    if (el.name === 'presence' && ['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed'].includes(el.attrs.type)) {
      this.#outboundSubscription(session, el, bareJid(to!)); return
    }
    if (el.name === 'presence' && el.attrs.type === 'probe') return
    if (el.name === 'presence' && el.attrs.type === undefined) session.directed.add(to!)
    if (el.name === 'presence' && el.attrs.type === 'unavailable') session.directed.delete(to!)
    this.#route(el)
  }

  #serverIq (session: Session, iq: Element): void {
    const { account } = session
    const query = iq.getChild('query', NS_ROSTER)
    if (query !== undefined && iq.attrs.type === 'get') {
      const result = iqResult(iq, account.bare)
      const q = result.c('query', { xmlns: NS_ROSTER })
      for (const item of account.roster.values()) q.c('item', { jid: item.jid, subscription: item.subscription, ...(item.ask ? { ask: item.ask } : {}), ...(item.name ? { name: item.name } : {}) })
      session.deliver(result)
      return
    }
    if (query !== undefined && iq.attrs.type === 'set') {
      const items = query.getChildren('item')
      if (items.length !== 1) { session.deliver(errorReply(iq, { type: 'modify', condition: 'bad-request', text: 'a roster set has exactly one item (RFC 6121 §2.1.5)' }, account.bare)); return }
      const jid = bareJid(String(items[0]!.attrs.jid ?? '')).toLowerCase()
      if (items[0]!.attrs.subscription === 'remove') {
        const item = account.roster.get(jid)
        // RFC 6121 §2.5.2: removing a contact ends the subscriptions both ways.
        if (item !== undefined && hasTo(item.subscription)) this.#route(new Element('presence', { type: 'unsubscribe', from: account.bare, to: jid }))
        if (item !== undefined && hasFrom(item.subscription)) this.#route(new Element('presence', { type: 'unsubscribed', from: account.bare, to: jid }))
        account.roster.delete(jid)
        this.#push(account, { jid, subscription: 'none' }, true)
      } else {
        const item = account.roster.get(jid) ?? { jid, subscription: 'none' as const }
        const name = items[0]!.attrs.name
        if (typeof name === 'string') item.name = name
        account.roster.set(jid, item)
        this.#push(account, item)
      }
      session.deliver(iqResult(iq, account.bare))
      return
    }
    if (iq.attrs.type === 'get' && iq.getChild('ping', NS_PING) !== undefined) { session.deliver(iqResult(iq, this.domain)); return }
    if (iq.attrs.type === 'get' || iq.attrs.type === 'set') session.deliver(errorReply(iq, { type: 'cancel', condition: 'service-unavailable' }, this.domain))
  }

  /** RFC 6121 §4.2–4.5: broadcast to subscribers; probes and held stanzas on initial presence. */
  #ownPresence (session: Session, el: Element): void {
    const { account } = session
    if (el.attrs.type === 'unavailable') {
      if (session.available) this.#broadcast(session, el)
      session.available = false
      return
    }
    if (el.attrs.type !== undefined) return
    const initial = !session.available
    session.available = true
    session.lastPresence = el
    this.#broadcast(session, el)
    if (!initial) return
    for (const item of account.roster.values()) {
      if (hasTo(item.subscription)) this.#route(new Element('presence', { type: 'probe', from: account.bare, to: item.jid }))
    }
    for (const request of account.pendingIn.values()) session.deliver(request)
    for (const message of account.offline.splice(0)) session.deliver(message)
  }

  /** To every subscriber; an unavailable presence also to where directed presence went (RFC 6121 §4.6.3). */
  #broadcast (session: Session, presence: Element): void {
    const to = [...session.account.roster.values()].filter((item) => hasFrom(item.subscription)).map((item) => item.jid)
    if (presence.attrs.type === 'unavailable') {
      for (const jid of session.directed) if (!to.includes(bareJid(jid))) to.push(jid)
      session.directed.clear()
    }
    for (const jid of to) {
      const copy = parseStanzaXml(presence.toString())
      copy.attrs.from = session.jid
      copy.attrs.to = jid
      this.#route(copy)
    }
  }

  #push (account: Account, item: Item, removed = false): void {
    const session = account.session
    if (session === undefined) return
    const push = new Element('iq', { type: 'set', id: `push-${randomBytes(4).toString('hex')}`, to: session.jid })
    push.c('query', { xmlns: NS_ROSTER }).c('item', { jid: item.jid, subscription: removed ? 'remove' : item.subscription, ...(item.ask ? { ask: item.ask } : {}), ...(item.name ? { name: item.name } : {}) })
    session.deliver(push)
  }

  /** RFC 6121 §3: the user's side of a subscription, stamped with the bare JID. */
  #outboundSubscription (session: Session, el: Element, contact: string): void {
    const { account } = session
    const item = account.roster.get(contact) ?? { jid: contact, subscription: 'none' as Subscription }
    const type = el.attrs.type as string
    const out = parseStanzaXml(el.toString())
    out.attrs.from = account.bare
    out.attrs.to = contact
    if (type === 'subscribe') {
      if (!hasTo(item.subscription)) item.ask = 'subscribe'
      account.roster.set(contact, item)
      this.#push(account, item)
      this.#route(out)
    } else if (type === 'subscribed') {
      const pending = account.pendingIn.delete(contact)
      if (hasFrom(item.subscription)) return // §3.1.5: already approved, nothing to route
      if (!pending && !account.roster.has(contact)) account.roster.set(contact, item) // pre-approval, kept simple
      item.subscription = item.subscription === 'to' ? 'both' : 'from'
      account.roster.set(contact, item)
      this.#push(account, item)
      this.#route(out)
      // §3.1.5: the contact now gets the user's current presence.
      if (session.available && session.lastPresence) {
        const presence = parseStanzaXml(session.lastPresence.toString())
        presence.attrs.from = session.jid
        presence.attrs.to = contact
        this.#route(presence)
      }
    } else if (type === 'unsubscribe') {
      if (!account.roster.has(contact)) { this.#route(out); return }
      item.subscription = item.subscription === 'both' ? 'from' : item.subscription === 'to' ? 'none' : item.subscription
      delete item.ask
      this.#push(account, item)
      this.#route(out)
    } else {
      account.pendingIn.delete(contact)
      if (account.roster.has(contact)) {
        item.subscription = item.subscription === 'both' ? 'to' : item.subscription === 'from' ? 'none' : item.subscription
        this.#push(account, item)
      }
      this.#route(out)
      // §3.2.2: the contact no longer sees the user: it gets unavailable from the session.
      if (session.available) this.#route(new Element('presence', { type: 'unavailable', from: session.jid, to: contact }))
    }
  }

  // --- routing ----------------------------------------------------------------------------------

  #route (el: Element): void {
    const to = String(el.attrs.to ?? '').toLowerCase()
    const domain = to.slice(to.indexOf('@') + 1).split('/')[0]!
    if (domain === this.domain) { this.#toLocal(el, to); return }
    if (domain === this.#component.domain) {
      const copy = parseStanzaXml(el.toString())
      if (copy.attrs.xmlns === NS_CLIENT) delete copy.attrs.xmlns
      if (this.port.write(copy)) return
      this.#bounce(el, 'service-unavailable', `the component ${this.#component.domain} is not connected`)
      return
    }
    this.#bounce(el, 'remote-server-not-found', `this simulated server routes only to ${this.domain} and ${this.#component.domain}`)
  }

  /** RFC 6120 §10.4, RFC 6121 §8: an error back to the sender, never in answer to an error. */
  #bounce (el: Element, condition: 'service-unavailable' | 'remote-server-not-found' | 'item-not-found', text: string): void {
    if (el.attrs.type === 'error' || el.attrs.type === 'result') return
    if (el.name === 'presence' && el.attrs.type !== 'subscribe') return // §8.5.1: presence is dropped silently
    const from = String(el.attrs.from ?? '')
    if (from === '') return
    this.#route(errorReply(el, { type: 'cancel', condition, text }, this.domain))
  }

  #toLocal (el: Element, to: string): void {
    const bare = bareJid(to)
    if (bare === this.domain) { this.#toServer(el); return }
    const account = this.#accounts.get(bare.slice(0, bare.indexOf('@')))
    if (account === undefined) { this.#bounce(el, 'service-unavailable', `no account ${bare}`); return }
    const session = account.session
    const resource = resourceOf(to)
    const fromBare = bareJid(String(el.attrs.from ?? '')).toLowerCase()
    if (el.name === 'message') {
      const type = el.attrs.type ?? 'normal'
      // RFC 6121 §8.5.3.1: to the full JID of a connected resource; §8.5.2.1.1: chat and normal to
      // the bare JID (or a resource that is gone) go to the available resource.
      if (session !== undefined && resource !== undefined && resource === session.resource.toLowerCase()) { session.deliver(el); return }
      if (session?.available && (type === 'chat' || type === 'normal')) { session.deliver(el); return }
      if (type === 'chat' || type === 'normal') {
        // No available resource: the server stores it (RFC 6121 §8.5.2.2.1, XEP-0160).
        if (account.offline.length >= MAX_OFFLINE) { this.#bounce(el, 'service-unavailable', 'offline storage is full'); return }
        const held = parseStanzaXml(el.toString())
        held.c('delay', { xmlns: NS_DELAY, from: this.domain, stamp: new Date().toISOString() })
        account.offline.push(held)
        return
      }
      if (type === 'groupchat') this.#bounce(el, 'service-unavailable', `${to} has no session`)
      return
    }
    if (el.name === 'iq') {
      if (session !== undefined && resource !== undefined && resource === session.resource.toLowerCase()) { session.deliver(el); return }
      if (el.attrs.type === 'get' && el.getChild('ping', NS_PING) !== undefined && resource === undefined) { this.#route(iqResult(el, bare)); return }
      this.#bounce(el, 'service-unavailable', `${to} cannot answer`)
      return
    }
    this.#inboundPresence(account, el, fromBare)
  }

  /** RFC 6121 §3 and §4.3: subscriptions and presence arriving for a local user. */
  #inboundPresence (account: Account, el: Element, from: string): void {
    const session = account.session
    const item = account.roster.get(from)
    switch (el.attrs.type) {
      case 'probe': {
        // §4.3.2: presence only to a subscriber; nothing when there is no available resource.
        if (item === undefined || !hasFrom(item.subscription) || !session?.available || session.lastPresence === undefined) return
        const presence = parseStanzaXml(session.lastPresence.toString())
        presence.attrs.from = session.jid
        presence.attrs.to = String(el.attrs.from)
        this.#route(presence)
        return
      }
      case 'subscribe':
        // §3.1.3: already approved → answered by the server; else shown to the user, now or at login.
        if (item !== undefined && hasFrom(item.subscription)) { this.#route(new Element('presence', { type: 'subscribed', from: account.bare, to: from })); return }
        account.pendingIn.set(from, el)
        if (session?.available) session.deliver(el)
        return
      case 'subscribed':
        if (item === undefined || item.ask !== 'subscribe') return // §3.1.6: unsolicited, ignored
        item.subscription = item.subscription === 'from' ? 'both' : 'to'
        delete item.ask
        this.#push(account, item)
        session?.deliver(el)
        return
      case 'unsubscribe':
        account.pendingIn.delete(from)
        if (item === undefined || !hasFrom(item.subscription)) return
        item.subscription = item.subscription === 'both' ? 'to' : 'none'
        this.#push(account, item)
        session?.deliver(el)
        return
      case 'unsubscribed':
        if (item === undefined || (!hasTo(item.subscription) && item.ask === undefined)) return
        item.subscription = item.subscription === 'both' ? 'from' : item.subscription === 'to' ? 'none' : item.subscription
        delete item.ask
        this.#push(account, item)
        session?.deliver(el)
        return
      default:
        // available, unavailable and errors: to the session, if it is there (§4.6.3 directed presence too).
        if (session !== undefined) session.deliver(el)
    }
  }

  /** Stanzas to the server's own address: XEP-0199 pings and disco#info answered, the rest refused. */
  #toServer (el: Element): void {
    if (el.name !== 'iq' || (el.attrs.type !== 'get' && el.attrs.type !== 'set')) return
    if (el.attrs.type === 'get' && el.getChild('ping', NS_PING) !== undefined) { this.#route(iqResult(el, this.domain)); return }
    if (el.attrs.type === 'get' && el.getChild('query', NS_DISCO_INFO) !== undefined) {
      const result = iqResult(el, this.domain)
      result.c('query', { xmlns: NS_DISCO_INFO }).c('identity', { category: 'server', type: 'im', name: 'GridIM conformance runner' }).up().c('feature', { var: NS_PING })
      this.#route(result)
      return
    }
    this.#bounce(el, 'service-unavailable', 'not served by this simulated server')
  }
}

/**
 * The server as a target's Jabber server: fresh accounts, seeded rosters, in-process logins, and
 * the component link under the runner's control; `timings`: what the gateway says it waits.
 */
export function simulatedEndpoint (server: SimulatedJabberServer, timings?: LinkTimings): JabberServerEndpoint {
  return {
    kind: 'simulated',
    domain: server.domain,
    link: new LinkControl(server.port, { server: server.domain, component: server.componentDomain }, timings),
    createAccount: () => server.createAccount(),
    addRosterItem: (user, item) => server.addRosterItem(user, item),
    connect: (login) => server.connect(login)
  }
}
