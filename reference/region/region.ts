// The reference region: serves openapi/region.yaml (signed, to the grid) and openapi/client.yaml
// (bearer, to its agents' clients) on one hapi server, holds a lease at the user server, and
// delivers 1:1 messages straight to other regions (seed step 9).
import type { KeyObject } from 'node:crypto'
import { GridImError } from '../lib/errors/index.ts'
import { NO_FAULTS, type Fault } from '../lib/faults.ts'
import { createServer, PeerClient, registerOperations, signerFor, type HttpTimeouts, type Logger } from '../lib/http/index.ts'
import { Agents } from './agents.ts'
import { allOperations } from '../lib/contract/operations.ts'
import { bearerAuthenticator } from './client-auth.ts'
import { withinClientContract } from './client-contract.ts'
import { eventHandlers } from './client-events.ts'
import { messagingHandlers } from './client-messaging.ts'
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
  /** GRIDIM-SIGN-13: sign off agents idle this long (default 120 s; 0 never). */
  idleSeconds?: number
  /** Keep-alive comments on event streams (default 15 s). */
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
  const { regionId, name, kind = 'region', logger, now = Date.now, idleSeconds = 120 } = options
  const metrics = createMetrics()
  const peer = countingPeer(options.peer ?? new PeerClient({ signer: signerFor(regionId, options.privateKey) }), metrics)
  const faults = options.faults ?? NO_FAULTS
  const messages = new MessageStore(options.messageFile, now)
  // GRIDIM-OFFL-13: every session of an earlier run is over; what it left unread goes back.
  const leftUnread = messages.endAllSessions()
  const leftHosted = messages.hostedSessions()
  let url = options.publicUrl ?? ''
  const dropAll = (): void => { for (const agent of agents.list()) agents.drop(agent) }
  const lease = new LeaseKeeper({
    regionId, userServer: userServerCaller(peer, options.userServerUrl), logger, now, registration: () => ({ url, kind, name }), onLapsed: dropAll
  })
  const userServer = lease.guard(userServerCaller(peer, options.userServerUrl))
  const returns = new UnreadReturns({ store: messages, userServer, logger, firstRetryMs: options.returnRetryMs })
  const agents = new Agents({
    now,
    onAdmitted: (agent) => {
      if (!messages.open) return
      messages.bind(agent.userId, agent.sessionId)
      messages.hosting(agent.sessionId, agent.userId)
    },
    onEnded: (agent) => {
      if (messages.open) messages.notHosting(agent.sessionId)
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
    heartbeatSeconds: options.heartbeatSeconds ?? 15,
    faults,
    url: () => url
  }

  registerOperations(server, {
    document: 'region',
    handlers: options.gridHandlers?.(ctx, regionHandlers(ctx)) ?? regionHandlers(ctx),
    authenticators: { gridimSignature: peerAuthenticator(createKeyResolver(userServer, options.userServerKey), () => url, ctx.faults, () => lease.replayWindowSeconds) }
  })
  // Chapter 1: the gateway serves everything a region serves except the client interface.
  if (kind === 'region') {
    registerOperations(server, {
      document: 'client',
      handlers: withinClientContract(ctx, { ...sessionHandlers(ctx), ...messagingHandlers(ctx), ...eventHandlers(ctx), ...relayHandlers(ctx) }, {
        forbiddenListed: new Set([...allOperations().values()].filter((op) => op.document === 'client' && op.responses.has('403')).map((op) => op.operationId))
      }),
      authenticators: { sessionSecret: bearerAuthenticator(agents, faults) }
    })
  }

  // GRIDIM-SIGN-13: a client that neither asks nor listens for two minutes has gone. What it
  // left unread goes back before the session ends (GRIDIM-SIGN-21).
  const signOffIdle = async (): Promise<void> => {
    for (const agent of agents.idleSince(now() - idleSeconds * 1000)) {
      try {
        await signOffAgent(ctx, agent)
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
    clearInterval(idleTimer)
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
      if (idleSeconds > 0) {
        idleTimer = setInterval(() => { void signOffIdle() }, Math.min(30, idleSeconds) * 1000)
        idleTimer.unref()
      }
      logger.info('region started', { regionId, name, url })
      return url
    },
    /**
     * Graceful: returns what the sessions left unread (GRIDIM-OFFL-11), ends the lease (the user
     * server signs the agents off), then closes. What could not be returned stays in the file.
     */
    async stop (): Promise<void> {
      if (halted) return
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
      await halt()
    },
    signOffIdle
  }
}

export type Region = ReturnType<typeof createRegion>
