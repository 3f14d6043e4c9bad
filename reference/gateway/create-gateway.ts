// The reference XMPP gateway (spec chapter 11): to the grid a region of kind `gateway` where XMPP
// users are located (GRIDIM-ROLE-1, -4); to XMPP the server of the gateway domain — an XEP-0114
// component of an outside Jabber server for foreign users, and BOSH (XEP-0124/0206) and
// WebSocket (RFC 7395) for grid users on IM-only apps. One hapi listener serves the region
// interface, /http-bind and /xmpp-websocket.
import type { Element } from 'ltx'
import { foreignUserId, normaliseBareJid } from '../lib/identifiers/index.ts'
import { createRegion, type RegionOptions } from '../region/index.ts'
import { boshPlugin } from '../xmpp/bosh/index.ts'
import { OriginPolicy, isLoopbackHost } from '../xmpp/origin/index.ts'
import { C2sServer, errorReply, stanzaErrorFor, type C2sSessionHandle, type RosterItem } from '../xmpp/c2s/index.ts'
import { Component, type ComponentOptions } from '../xmpp/component/index.ts'
import { StanzaError, StreamError } from '../xmpp/stanza/index.ts'
import { websocketPlugin } from '../xmpp/websocket/index.ts'
import { Addresses } from './addresses.ts'
import type { GatewayContext } from './context.ts'
import { Inbound } from './from-xmpp.ts'
import { gatewayHandlers } from './grid-handlers.ts'
import { HostedUsers, type HostedUser } from './hosted-users.ts'
import { answerToNonUser } from './not-from-a-user.ts'
import { GridSender } from './outbound-grid.ts'
import { Sessions } from './sessions.ts'
import { checkGatewayDomain, componentRefusal } from './start-up-checks.ts'

const NO_OFFERS: ReadonlyMap<string, string> = new Map()

/** `subscribed` and `unsubscribed`: the presence stanzas that may answer an offer (GRIDIM-XMPP-17). */
function isAnswer (el: Element): boolean {
  return el.name === 'presence' && (el.attrs.type === 'subscribed' || el.attrs.type === 'unsubscribed')
}

export type JabberServerLink = {
  host: string
  port: number
  /** The XEP-0114 shared secret. */
  secret: string
  /** The Jabber server's own domain (pings go there). */
  serverDomain: string
  /**
   * Shorter timers than the spec's bounds (GRIDIM-XMPP-2, -3): a test grid's, so that a silent
   * or broken link is noticed in a second. Unset: the bounds themselves (30 s, 30 s, 1 s).
   */
  timings?: Pick<ComponentOptions, 'keepAliveMs' | 'idlePingMs' | 'pingTimeoutMs' | 'ackDelayMs' | 'backoff'>
}

export type GatewayOptions = Omit<RegionOptions, 'kind' | 'gridHandlers' | 'idleSeconds'> & {
  /** The gateway domain: grid users are first.last@domain, rooms <groupSessionId>@domain. */
  domain: string
  /** The outside Jabber server this gateway is a component of; none: IM-only users only. */
  jabberServer?: JabberServerLink
  /** GRIDIM-XMPP-8: offer SASL PLAIN on connections without TLS (loopback, TLS in front). */
  plainOnInsecure?: boolean
  /** XEP-0124 settings for /http-bind (seconds). */
  bosh?: { inactivity?: number, maxWait?: number, polling?: number }
  /**
   * GRIDIM-XMPP-57: origins (`https://chat.example.org`, or `*`) whose pages may use BOSH and
   * WebSocket from a browser. None given: pages served from loopback, when the gateway listens
   * on loopback; else only same-origin pages.
   */
  boshAllowOrigins?: readonly string[]
}

export function createGateway (options: GatewayOptions) {
  const addresses = new Addresses(options.domain)
  const users = new HostedUsers()
  const logger = options.logger
  // Built here, so a bad origin fails createGateway, before anything listens.
  const origins = new OriginPolicy({ allow: options.boshAllowOrigins ?? [], loopback: isLoopbackHost(options.host ?? '127.0.0.1') })
  let component: Component | undefined

  const toJabberServer = (el: Element): void => {
    if (component === undefined) throw new StanzaError('remote-server-not-found', 'this gateway has no link to a Jabber server')
    component.send(el)
  }
  const send = (user: HostedUser, el: Element): void => {
    logger.debug('stanza to XMPP', { userId: user.userId, stanza: el.toString().slice(0, 300) })
    try {
      if (user.kind === 'im-only') user.stream?.send(el)
      else toJabberServer(el)
    } catch (err) {
      logger.warn('a stanza could not be sent', { userId: user.userId, stanza: el.name, error: (err as Error).message })
    }
  }
  // The fault gateway-queues-while-link-down: a delivery for a foreign user is taken while the link is down.
  const linkUp = (): boolean => component?.online === true || (component !== undefined && options.faults?.has('gateway-queues-while-link-down') === true)
  const gw = { addresses, users, logger, toJabberServer, linkUp, send, out: { addresses, users, send, faults: new Set() } } as unknown as GatewayContext
  let sender: GridSender | undefined

  const region = createRegion({
    ...options,
    kind: 'gateway',
    // XMPP users make no HTTP requests: their streams (and BOSH inactivity) say when they go.
    idleSeconds: 0,
    gridHandlers: (ctx, base) => {
      gw.region = ctx
      gw.out.faults = ctx.faults
      sender = new GridSender(gw)
      return gatewayHandlers(gw, base, sender)
    }
  })
  const sessions = new Sessions(gw)
  const inbound = new Inbound(gw, sessions, sender!)

  const userOf = (stream: C2sSessionHandle): HostedUser => {
    const user = users.get(stream.userId)
    if (user === undefined || user.stream !== stream) throw new StreamError('not-authorized', 'this stream\'s session has ended')
    return user
  }
  const roster = async (userId: string): Promise<RosterItem[]> => {
    const friends = await region.context.userServer('listFriends', { params: { userId } })
    return friends.map((f) => {
      users.learn(f.userId, f.name)
      // The gateway-roster-full-jids fault: items named by the address presence comes from, resource and all.
      const jid = region.context.faults.has('gateway-roster-full-jids') ? addresses.of(f.name) : addresses.bare(f.name)
      return { jid, name: f.name, subscription: 'both' as const }
    })
  }
  /**
   * GRIDIM-XMPP-63: a subscription answer can answer only the offers pending when it arrived, so
   * they are copied then — for a client's stanza when its stream hands it over, before it waits
   * behind the stream's earlier stanzas.
   */
  const offersAtArrival = new WeakMap<Element, ReadonlyMap<string, string>>()
  const offersOf = (user: HostedUser, el: Element): ReadonlyMap<string, string> => isAnswer(el) ? new Map(user.offers) : NO_OFFERS
  const c2s = new C2sServer({
    domain: addresses.domain,
    authenticate: async (username, password) => await sessions.login(username, password),
    roster,
    plainOnInsecure: options.plainOnInsecure,
    faults: region.context.faults,
    gridPort: {
      sessionStarted: (stream) => { sessions.streamStarted(stream) },
      onMessage: async (stream, el) => {
        const user = userOf(stream)
        await users.inOrder(user, async () => { await inbound.message(user, el) })
      },
      arrived: (stream, el) => {
        // The gateway-reads-offers-when-handled fault: no snapshot here, so onPresence takes it late.
        const user = users.get(stream.userId)
        if (isAnswer(el) && user?.stream === stream && !region.context.faults.has('gateway-reads-offers-when-handled')) offersAtArrival.set(el, new Map(user.offers))
      },
      onPresence: async (stream, el) => {
        const user = userOf(stream)
        const pending = offersAtArrival.get(el) ?? offersOf(user, el)
        await users.inOrder(user, async () => { await inbound.presence(user, el, pending) })
      },
      onIq: async (stream, el) => await inbound.iq(userOf(stream), el),
      sessionEnded: async (stream) => { await sessions.streamEnded(stream) }
    }
  })

  /** A stanza from the Jabber server: from a foreign user, to the gateway domain. */
  const fromJabberServer = (el: Element): void => {
    const from = el.attrs.from
    logger.debug('stanza from the Jabber server', { stanza: el.name, type: el.attrs.type, from, to: el.attrs.to })
    if (typeof from !== 'string' || from === '' || addresses.isLocal(from)) return
    if (!from.includes('@') && options.faults?.has('gateway-drops-server-stanzas') === true) return
    if (!from.includes('@')) {
      // GRIDIM-XMPP-60: from the server or a service, not a user: answered, never dropped unseen.
      const answer = answerToNonUser(el, addresses.domain)
      logger.info('a stanza from the Jabber server names no user as its sender', { stanza: el.name, type: el.attrs.type, from, to: el.attrs.to, answered: answer !== undefined })
      if (answer !== undefined) try { toJabberServer(answer) } catch { /* the link is gone */ }
      return
    }
    const jid = normaliseBareJid(from)
    const user = users.ensure({ userId: foreignUserId(jid), name: jid, jid, kind: 'foreign' })
    const pending = offersOf(user, el) // GRIDIM-XMPP-63: on arrival, before it waits its turn
    void users.inOrder(user, async () => {
      try {
        if (el.attrs.type !== 'error') await inbound.recordForeign(user) // GRIDIM-XMPP-47
        if (el.name === 'message') return await inbound.message(user, el)
        if (el.name === 'presence') return await inbound.presence(user, el, pending)
        if (el.name !== 'iq') return
        const answer = await inbound.iq(user, el)
        if (answer !== undefined) return toJabberServer(answer)
        if (el.attrs.type === 'get' || el.attrs.type === 'set') throw new StanzaError('service-unavailable', 'no handler for this IQ (RFC 6120 §8.4)')
      } catch (err) {
        if (el.attrs.type === 'error') return // GRIDIM-XMPP-31
        logger.debug('answering a stanza with an error', { from, error: (err as Error).message })
        if (!(err instanceof StanzaError)) logger.warn('a stanza from the Jabber server was refused', { from, error: (err as Error).message })
        try {
          toJabberServer(errorReply(el, stanzaErrorFor(err), addresses.domain))
        } catch { /* the link is gone; the sender's server times out */ }
      }
    })
  }

  /** Set by an orderly stop: the link it closes is not down, and the log does not say so. */
  let stopping = false
  /** Graceful: streams closed (their users signed off), link closed, lease ended. */
  const stop = async (): Promise<void> => {
    stopping = true
    c2s.closeAll(new StreamError('system-shutdown'))
    await sessions.signOffAll()
    await component?.stop()
    await region.stop()
  }

  let started = false
  return {
    region,
    c2s,
    users,
    domain: addresses.domain,
    get component (): Component | undefined { return component },
    get url (): string { return region.url },
    get regionId (): string { return options.regionId },
    /** Listens (region interface, BOSH, WebSocket), takes the lease, links to the Jabber server. */
    async start (): Promise<string> {
      stopping = false
      if (!started) {
        started = true
        await region.server.register([
          { plugin: boshPlugin, options: { c2s, ...options.bosh, origins, faults: options.faults } },
          { plugin: websocketPlugin, options: { c2s, origins, faults: options.faults } }
        ])
      }
      // GRIDIM-XMPP-58: before taking the lease, the domain must be the user server's.
      const directory = await region.context.userServer('getDirectory')
      if (options.faults?.has('gateway-domain-unchecked') !== true) checkGatewayDomain(addresses.domain, directory.gatewayDomain)
      const url = await region.start()
      if (options.jabberServer !== undefined) {
        const link = options.jabberServer
        component = new Component({ ...link.timings, host: link.host, port: link.port, secret: link.secret, domain: addresses.domain, serverDomain: link.serverDomain, faults: options.faults })
        component.on('stanza', fromJabberServer)
        component.on('online', () => { logger.info('linked to the Jabber server', { server: link.serverDomain }) })
        component.on('offline', (error) => {
          if (stopping) logger.info('unlinked from the Jabber server', { server: link.serverDomain })
          else logger.warn('the link to the Jabber server is down', { error: error?.message })
        })
        component.on('error', (error) => { logger.warn('component link error', { error: error.message }) })
        // GRIDIM-XMPP-59: refused after start-up (say the server's configuration changed): one
        // error in the log, no retries. At start-up the refusal is start()'s error instead.
        let running = false
        component.on('refused', (error) => { if (running) logger.error(componentRefusal(link, addresses.domain, error).message) })
        try {
          await component.start()
        } catch (err) {
          if (component.refusal !== undefined && options.faults?.has('gateway-starts-without-link') !== true) {
            await stop()
            throw componentRefusal(link, addresses.domain, component.refusal)
          }
          // Retries go on with back-off (GRIDIM-XMPP-3); meanwhile foreign users are unavailable.
          logger.warn('could not link to the Jabber server yet', { error: (err as Error).message })
        }
        running = true
      }
      return url
    },
    stop,
    /** As a crash would: nothing signed off, the lease lapses on its own. */
    async kill (): Promise<void> {
      c2s.closeAll()
      await component?.stop()
      await region.kill()
    }
  }
}

export type Gateway = ReturnType<typeof createGateway>
