// The reference region: serves openapi/region.yaml (signed, to the grid) and openapi/client.yaml
// (bearer, to its agents' clients) on one hapi server, holds a lease at the user server, and
// delivers 1:1 messages straight to other regions (seed step 9).
import type { KeyObject } from 'node:crypto'
import { GridImError } from '../lib/errors/index.ts'
import { NO_FAULTS, type Fault } from '../lib/faults.ts'
import { createServer, PeerClient, registerOperations, signerFor, type HttpTimeouts, type Logger } from '../lib/http/index.ts'
import { Agents } from './agents.ts'
import { bearerAuthenticator, sessionRateLimit } from './client-auth.ts'
import { forbiddenListedOperations, withinClientContract } from './client-contract.ts'
import { eventHandlers } from './client-events.ts'
import { clientMessaging, messagingHandlers } from './client-messaging.ts'
import { mountClientStream, streamHandlers } from './client-stream.ts'
import { relayHandlers } from './client-relay.ts'
import { sessionHandlers } from './client-session.ts'
import type { RegionContext } from './context.ts'
import { Inbox } from './inbox.ts'
import { LeaseKeeper } from './lease.ts'
import { LocationCache } from './location-cache.ts'
import { MessageStore } from './message-store.ts'
import { OfflineMessages } from './offline-messages.ts'
import { peerAuthenticator } from './peer-auth.ts'
import { createKeyResolver } from './peer-keys.ts'
import { regionHandlers, type RegionHandlers } from './region-api.ts'
import { signOffAgent } from './sign-off.ts'
import type { RegionKind } from '../lib/contract/types.ts'
import { UnreadReturns } from './unread-returns.ts'
import { countingPeer, createMetrics, userServerCaller, type Peer } from './upstream.ts'

export type RegionOptions = {
  regionId: string
  name: string
  kind?: RegionKind
  privateKey: KeyObject
  publicKey: KeyObject
  userServerUrl: string
  /** The user server's key; read from getDirectory when absent. */
  userServerKey?: KeyObject
  logger: Logger
  host?: string
  port?: number
  /** The base URL registered with the lease; default the listening address. */
  publicUrl?: string
  /** Milliseconds since the epoch. */
  now?: () => number
  /** Outgoing calls; default a PeerClient signing as this region. Tests pass a fake. */
  peer?: Peer
  /** GRIDIM-SIGN-13: sign off agents idle this long (default: the directory's clientIdleSeconds, GRIDIM-LIM-27; 0 never). */
  idleSeconds?: number
  /** Keep-alive comments on event streams (default: the directory's keepAliveSeconds, GRIDIM-LIM-27). */
  heartbeatSeconds?: number
  delivery?: RegionContext['delivery']
  /** GRIDIM-LIM-17..19: header, request and idle timeouts; tests shorten them. */
  httpTimeouts?: Partial<HttpTimeouts>
  /** Deliberate bugs, only for conformance/variants (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
  /**
   * GRIDIM-IM-20: the SQLite file that keeps accepted messages until they are read or returned;
   * default `:memory:` (tests). A restart from the same file returns what was left unread.
   */
  messageFile?: string
  /** First pause before returnUnreadMessages (1 s, doubling) or a restart's signOff (5 s) is tried again. */
  returnRetryMs?: number
  /**
   * The gateway's hook: given the context and the region's own handlers of openapi/region.yaml,
   * returns the handlers to serve (GRIDIM-ROLE-4: the same behaviour, XMPP users hosted).
   */
  gridHandlers?: (ctx: RegionContext & { url: () => string }, base: RegionHandlers) => RegionHandlers
}

export function createRegion (options: RegionOptions) {
  const { regionId, name, kind = 'region', logger, now = Date.now } = options
  const metrics = createMetrics()
  const peer = countingPeer(options.peer ?? new PeerClient({ signer: signerFor(regionId, options.privateKey), faults: options.faults }), metrics)
  const faults = options.faults ?? NO_FAULTS
  const messages = new MessageStore(options.messageFile, now)
  // GRIDIM-OFFL-13: every session of an earlier run is over; what it left unread goes back.
  const leftUnread = messages.endAllSessions()
  const leftHosted = messages.hostedSessions()
  let url = options.publicUrl ?? ''
  const dropAll = (): void => { for (const agent of agents.list()) agents.drop(agent) }
  const lease = new LeaseKeeper({
    regionId, userServer: userServerCaller(peer, options.userServerUrl), logger, now, registration: () => ({ url, kind, name }), onLapsed: dropAll,
    // GRIDIM-LEASE-11: what the lapse left unread goes back as soon as the lease is held again, not at the next back-off retry.
    onRegained: () => { void returns.flush() }
  })
  const userServer = lease.guard(userServerCaller(peer, options.userServerUrl))
  const returns = new UnreadReturns({ store: messages, userServer, logger, firstRetryMs: options.returnRetryMs })
  const agents = new Agents({
    now,
    sameTickSameId: faults.has('event-ids-share-a-tick'),
    departedMs: () => lease.handoverSeconds * 1000,
    onAdmitted: (agent) => {
      if (!messages.open) return
      messages.bind(agent.userId, agent.sessionId)
      messages.hosting(agent.sessionId, agent.userId)
    },
    onEnded: (agent, windowClosed) => {
      if (messages.open) messages.notHosting(agent.sessionId)
      // The fault handover-unread-kept returns nothing when a hand-over's read window closes.
      if (windowClosed === true && faults.has('handover-unread-kept')) return
      returns.ended(agent.sessionId)
    }
  })
  const cache = new LocationCache()
  const inbox = new Inbox(agents, cache, metrics, { messages, now, faults })
  const server = createServer({ host: options.host, port: options.port, logger, timeouts: options.httpTimeouts, faults: options.faults })

  const ctx: RegionContext & { url: () => string } = {
    regionId,
    name,
    kind,
    agents,
    inbox,
    cache,
    offline: new OfflineMessages(inbox, userServer, logger),
    messages,
    returns,
    peer,
    userServer,
    metrics,
    logger,
    now,
    // The fault: a peer's silence is waited out three times as long as GRIDIM-LIM-16 allows.
    delivery: { ...(options.faults?.has('peer-silence-awaited-30s') === true ? { timeoutMs: 30_000 } : {}), ...options.delivery },
    // GRIDIM-CLI-15: read when a stream opens; the fault keep-alive-ignores-directory keeps 15 s.
    get heartbeatSeconds (): number { return options.heartbeatSeconds ?? (faults.has('keep-alive-ignores-directory') ? 15 : lease.keepAliveSeconds) },
    faults,
    url: () => url
  }

  registerOperations(server, {
    document: 'region',
    handlers: options.gridHandlers?.(ctx, regionHandlers(ctx)) ?? regionHandlers(ctx),
    authenticators: { gridimSignature: peerAuthenticator(createKeyResolver(userServer, options.userServerKey, ctx.faults), () => url, ctx.faults, () => lease.replayWindowSeconds) }
  })
  // Chapter 1: the gateway serves everything a region serves except the client interface.
  if (kind === 'region') {
    // One sender and one rate limit per region, whether a request comes over HTTP or the client stream.
    const messaging = clientMessaging(ctx)
    const contract = { forbiddenListed: forbiddenListedOperations() }
    const limit = sessionRateLimit(faults)
    registerOperations(server, {
      document: 'client',
      handlers: withinClientContract(ctx, { ...sessionHandlers(ctx), ...messagingHandlers(ctx, messaging), ...eventHandlers(ctx), ...relayHandlers(ctx), ...streamHandlers() }, contract),
      authenticators: { sessionSecret: bearerAuthenticator(agents, faults, limit) },
      // The fault's region hands its client the user server's GroupSession as it came; a region
      // with that bug does not check its answers against the client contract either.
      validateResponses: !faults.has('group-session-regions-to-client')
    })
    mountClientStream(server, ctx, { messaging, contract, limit })
  }

  // GRIDIM-SIGN-13: a client that neither asks nor listens for two minutes has gone. What it
  // left unread goes back before the session ends (GRIDIM-SIGN-21).
  // The grid's clientIdleSeconds from the directory (GRIDIM-LIM-27), unless the options fix it.
  const idleSeconds = (): number => options.idleSeconds ?? lease.clientIdleSeconds
  const signOffIdle = async (): Promise<void> => {
    if (idleSeconds() <= 0) return
    for (const agent of agents.idleSince(now() - idleSeconds() * 1000)) {
      try {
        await signOffAgent(ctx, agent, { dropUnread: faults.has('unread-dropped-on-idle') })
      } catch (err) {
        if (!(err instanceof GridImError) || err.code === 'unavailable') continue
        agents.drop(agent)
      }
      logger.info('signed off an idle agent', { userId: agent.userId })
    }
  }
  // GRIDIM-SIGN-12: the sessions an earlier run hosted are over; a crash did not tell the user
  // server, so a restart does (those that lapsed, moved or were replaced meanwhile are refused).
  const signOffLeftovers = async (): Promise<void> => {
    for (const { sessionId, userId } of leftHosted) {
      try {
        await userServer('signOff', { params: { sessionId } })
        logger.info('signed off a session of the last run', { userId, sessionId })
      } catch (err) {
        if (!(err instanceof GridImError && (err.code === 'unknown-session' || err.code === 'not-your-agent'))) {
          logger.warn('could not sign off a session of the last run; trying again soon', { userId, error: (err as Error).message })
          if (!halted) setTimeout(() => { void signOffLeftovers() }, options.returnRetryMs ?? 5000).unref()
          return
        }
      }
      if (messages.open) messages.notHosting(sessionId)
    }
    leftHosted.length = 0
  }
  let idleTimer: NodeJS.Timeout | undefined
  let halted = false

  const halt = async (): Promise<void> => {
    halted = true
    clearTimeout(idleTimer)
    returns.stop()
    messages.close()
    dropAll()
    await server.stop({ timeout: 2000 })
  }

  return {
    server,
    agents,
    metrics,
    /** The context the handlers share; for tests and embedding (e.g. the gateway). */
    context: ctx,
    get url (): string {
      return url
    },
    /** Listens, then takes the lease; resolves with the base URL. */
    async start (): Promise<string> {
      await server.start()
      url = options.publicUrl ?? server.info.uri
      try {
        await lease.start()
      } catch (err) {
        await server.stop()
        throw err
      }
      if (leftUnread > 0) logger.info('returning what sessions of the last run left unread', { messages: leftUnread })
      await returns.flush()
      await signOffLeftovers()
      // Checked every second (a scan of the agents; half the idle time when that is shorter), so
      // a shortened setting takes hold at once (GRIDIM-LIM-27).
      const checkIdle = (): void => {
        if (halted || options.idleSeconds === 0) return
        idleTimer = setTimeout(() => { void signOffIdle().finally(checkIdle) }, Math.max(0.1, Math.min(1, idleSeconds() / 2)) * 1000)
        idleTimer.unref()
      }
      checkIdle()
      logger.info('region started', { regionId, name, url })
      return url
    },
    /**
     * Graceful: returns what the sessions left unread (GRIDIM-OFFL-11), ends the lease (the user
     * server signs the agents off), then closes. What could not be returned stays in the file.
     */
    async stop (): Promise<void> {
      if (halted) return
      // GRIDIM-LEASE-13: no signOff per agent; the fault signs each one off first, as a region
      // that reads GRIDIM-SIGN-12 alone would.
      if (faults.has('shutdown-signs-agents-off')) for (const agent of agents.list()) await signOffAgent(ctx, agent).catch(() => {})
      for (const agent of agents.list()) returns.ended(agent.sessionId)
      agents.endDepartures()
      await returns.flush()
      await lease.end()
      await halt()
    },
    /**
     * Stops without ending the lease or returning anything, as a crash would: the lease lapses on
     * its own, and a restart from the same messageFile returns what was left unread.
     */
    async kill (): Promise<void> {
      lease.stop()
      // Already stopped (an orderly shutdown before): nothing is left to halt.
      if (halted) return
      await halt()
    },
    signOffIdle
  }
}

export type Region = ReturnType<typeof createRegion>
