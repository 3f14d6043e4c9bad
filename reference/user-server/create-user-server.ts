// The GridIM user server: user-server.yaml and admin.yaml on one hapi server, over a Store.
// Nothing here is protocol logic; it wires the routes, the authenticators, the courier that
// talks to regions, and the sweepers.
import type { KeyObject } from 'node:crypto'
import { NO_FAULTS, type Fault } from '../lib/faults.ts'
import { createServer, PeerClient, registerOperations, signerFor, type HttpTimeouts, type Logger } from '../lib/http/index.ts'
import { NonceCache } from '../lib/signatures/index.ts'
import { INTERACTIVE_PASSWORD_COST, openSqliteStore, type PasswordCost, type Store } from '../store/index.ts'
import { adminTokenAuthenticator } from './auth/admin-token.ts'
import { withLeaseCheck } from './auth/lease-check.ts'
import { regionSignatureAuthenticator } from './auth/region-signature.ts'
import type { UserServerContext } from './context.ts'
import { Metrics } from './metrics.ts'
import { GroupDestinationCache } from './group-sessions/destinations.ts'
import { GroupOutbox } from './group-sessions/outbox.ts'
import { Courier, type Peer } from './notices/courier.ts'
import { locator } from './notices/locator.ts'
import { NoticeBatch } from './notices/notice-batch.ts'
import { AcknowledgedIds } from './offline/acknowledged-ids.ts'
import { Redelivery } from './offline/redelivery.ts'
import { DAY_MS } from './recent.ts'
import { recentInMemory, recentInStore, storeNonces } from './recent-facts.ts'
import { USER_SERVER_KEY_ID } from './routes/get-directory.ts'
import { adminRoutes, handlers, userServerRoutes } from './routes/index.ts'
import { startSweeper, sweep, type SweepResult } from './sweepers/sweep.ts'

export type UserServerOptions = {
  store: Store
  privateKey: KeyObject
  publicKey: KeyObject
  adminToken: string
  logger: Logger
  host?: string
  port?: number
  /** Epoch milliseconds; tests pass a clock they move. */
  now?: () => number
  /** Domain of grid users' XMPP addresses (getDirectory). */
  gatewayDomain?: string
  /** Sends requests to regions; default a PeerClient signing as `user-server`. */
  peer?: Peer
  /**
   * GRIDIM-SEC-4: the base URL regions use, which signatures are checked against; default the
   * listening address (server.info.uri), never the Host a request names.
   */
  publicUrl?: string
  /** How often the lease and idle sweepers run; default 1 s. */
  sweepIntervalMs?: number
  /** Pauses before retrying a group message to a region that failed (default 0.5 s, 2 s). */
  groupRetryDelaysMs?: readonly number[]
  /** How long a group outbox row stays this process's without a renewal (GRIDIM-GRP-31); default 10 s. */
  groupOutboxLeaseMs?: number
  /** GRIDIM-LIM-17..19: header, request and idle timeouts; tests shorten them. */
  httpTimeouts?: Partial<HttpTimeouts>
  /**
   * scrypt's cost for passwords; default INTERACTIVE_PASSWORD_COST (RFC 7914). Only throwaway
   * grids (the conformance runner's, tests') pass THROWAWAY_GRID_PASSWORD_COST. Fixed for a
   * store's life: hashes are verified at the cost the server has now.
   */
  passwordCost?: PasswordCost
  /** Deliberate bugs, only for conformance/variants (reference/lib/faults.ts). */
  faults?: ReadonlySet<Fault>
}

export type UserServer = ReturnType<typeof createUserServer>

export function createUserServer (options: UserServerOptions) {
  const { store, logger } = options
  // A store other instances share (PostgreSQL): what one instance remembers, all must (issue 16).
  const shared = store.version() === null
  const now = options.now ?? Date.now
  const metrics = new Metrics()
  const peer = options.peer ?? new PeerClient({ signer: signerFor(USER_SERVER_KEY_ID, options.privateKey) })
  const locate = locator(store, now)
  // The fault notices-held-to-combine holds each batch of notices 3 s, to combine it with later ones.
  const noticeDelayMs = options.faults?.has('notices-held-to-combine') === true ? 3000 : 0
  const groupOutbox = new GroupOutbox(store, logger, options.groupOutboxLeaseMs)
  const courier = new Courier(peer, metrics, logger, locate, {
    groupRetryDelaysMs: options.groupRetryDelaysMs, noticeDelayMs, faults: options.faults, groupSettled: (ids) => groupOutbox.settled(ids)
  })
  // The fault keeps them where a restart loses them, as the reference once did (in memory).
  const inMemory = options.faults?.has('acknowledged-ids-in-memory') === true
  const acknowledged = new AcknowledgedIds(inMemory ? openSqliteStore(':memory:') : store, inMemory)
  const ctx: UserServerContext = {
    store,
    now,
    logger,
    publicKey: options.publicKey,
    gatewayDomain: options.gatewayDomain ?? 'grid.localhost',
    courier,
    locate,
    batch: () => new NoticeBatch(courier, locate),
    redelivery: new Redelivery({ store, courier, locate, acknowledged, now, logger }),
    acknowledged,
    groupReplies: shared ? recentInStore(store, 'group-reply', DAY_MS) : recentInMemory(DAY_MS),
    groupOutbox,
    groupDestinations: new GroupDestinationCache(store, locate, now),
    handovers: shared ? recentInStore(store, 'handover', 60_000) : recentInMemory(60_000),
    passwordCost: options.passwordCost ?? INTERACTIVE_PASSWORD_COST,
    faults: options.faults ?? NO_FAULTS
  }

  const server = createServer({ host: options.host, port: options.port, logger, timeouts: options.httpTimeouts, faults: ctx.faults })
  const authenticators = {
    gridimSignature: withLeaseCheck(regionSignatureAuthenticator({ store, nonces: shared ? storeNonces(store) : new NonceCache(), baseUrl: () => options.publicUrl ?? server.info.uri, faults: ctx.faults }), server, ctx),
    adminToken: adminTokenAuthenticator(options.adminToken)
  }
  registerOperations(server, { document: 'user-server', handlers: handlers(userServerRoutes, ctx, metrics), authenticators })
  registerOperations(server, { document: 'admin', handlers: handlers(adminRoutes, ctx, metrics), authenticators })

  let stopSweeper: (() => Promise<void>) | undefined
  return {
    server,
    metrics,
    get url (): string {
      return server.info.uri
    },
    async start (): Promise<string> {
      await server.start()
      stopSweeper = startSweeper(ctx, options.sweepIntervalMs ?? 1000)
      logger.info('user server started', { url: server.info.uri })
      return server.info.uri
    },
    async stop (): Promise<void> {
      await stopSweeper?.()
      ctx.redelivery.stop()
      await server.stop()
      await groupOutbox.flushed()
    },
    /** Runs the lease and idle sweepers once, as the timer does. */
    sweep: async (at: number = now()): Promise<SweepResult> => await sweep(ctx, at),
    /** Resolves when every request queued for regions has been answered (or has failed), and the group outbox rows they settled are deleted. */
    idle: async (): Promise<void> => {
      await courier.idle()
      await groupOutbox.flushed()
    },
    groupOutbox
  }
}
