// The embedded target: the reference grid started in this process (user server with an SQLite
// file in a temporary folder, three regions), with every optional ability the runner can use —
// and, unless `xmpp` is none, a Jabber server with the reference gateway linked to it as an
// XEP-0114 component: a real one (Prosody or ejabberd on free loopback ports) or the runner's own
// simulated one (conformance/jabber).
import { randomBytes } from 'node:crypto'
import { accessSync, constants, mkdtempSync, rmSync, statfsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger, PeerClient } from '../../reference/lib/http/index.ts'
import { loadOrCreateKeyPair } from '../../reference/grid/keys.ts'
import { startGrid } from '../../reference/grid/start-grid.ts'
import { THROWAWAY_GRID_PASSWORD_COST } from '../../reference/store/index.ts'
import type { Fault } from '../../reference/lib/faults.ts'
import { findBinary } from '../../tools/xmpp-servers/find-binary.ts'
import { XMPP_SERVERS } from '../../tools/xmpp-servers/servers.ts'
import type { RunningXmppServer, XmppServerOptions } from '../../tools/xmpp-servers/types.ts'
import { SimulatedJabberServer, simulatedEndpoint } from '../jabber/simulated-jabber-server.ts'
import { Links } from './links.ts'
import { embeddedLane, gridsLane } from '../runner/lane.ts'
import type { JabberServerEndpoint, Target } from './target.ts'
import { notControlled } from './xmpp-sections.ts'
import { originOf } from '../contract/roles.ts'

export type XmppChoice = 'prosody' | 'ejabberd' | 'simulated' | 'none'

export type EmbeddedOptions = {
  regionCount?: number
  leaseSeconds?: number
  /** Deliberate bugs, so that conformance/variants can show the suite catches them. */
  faults?: ReadonlySet<Fault>
  /** The Jabber server the gateway links to; none: no gateway, and the XMPP flows are impossible. */
  xmpp?: XmppChoice
  /**
   * Where a fork's grids run (run-suite.ts): `threads`, worker threads that use every core (the
   * default); `this-thread`, beside this one — for the test suite, whose coverage tool sees only
   * this thread.
   */
  lanes?: 'threads' | 'this-thread'
}

export const GATEWAY_DOMAIN = 'grid.localhost'

const BINARY: Record<'prosody' | 'ejabberd', string> = { prosody: 'prosody', ejabberd: 'ejabberdctl' }

/** What `npm run conformance` uses unless told: Prosody when it is installed, else the runner's own server. */
export function defaultXmpp (): XmppChoice {
  return findBinary(BINARY.prosody) === null ? 'simulated' : 'prosody'
}

export function isInstalled (choice: Exclude<XmppChoice, 'none'>): boolean {
  return choice === 'simulated' || findBinary(BINARY[choice]) !== null
}

const SIMULATED_DOMAIN = 'jabber.localhost'

/**
 * The reference gateway's link timers in this grid: far below the spec's bounds (GRIDIM-XMPP-2,
 * -3), so a silent or broken link is noticed and mended within seconds (an idle link is pinged
 * every second, not more often: a run has a dozen gateways, each pinging throughout). The gateway
 * declares them to the runner, which bounds its waits by them. The ping timeout leaves a flow
 * time to have a message written to a silent link before the gateway gives the link up
 * (x-xmpp-message-in-flight-resent), even on a loaded machine.
 */
const LINK_TIMINGS = { keepAliveMs: 1000, idlePingMs: 1000, pingTimeoutMs: 1500, ackDelayMs: 200, backoff: { initialMs: 50, maxMs: 500 } }
const DECLARED_LINK_TIMINGS = { idlePingMs: LINK_TIMINGS.idlePingMs, pingTimeoutMs: LINK_TIMINGS.pingTimeoutMs, retryStartMs: LINK_TIMINGS.backoff.initialMs }

/**
 * A grid's Jabber server: its component port and domain, the gateway domain and secret its
 * component account has, its endpoint for the runner, and how to let it go (stop it, or give a
 * shared server's component back).
 */
type JabberServer = { name: string, componentPort: number, domain: string, gatewayDomain: string, secret: string, endpoint: JabberServerEndpoint, stop: () => Promise<void> }

type RealServer = Exclude<XmppChoice, 'none' | 'simulated'>

async function startJabberServer (choice: Exclude<XmppChoice, 'none'>): Promise<JabberServer> {
  const secret = randomBytes(16).toString('hex')
  if (choice === 'simulated') {
    const server = new SimulatedJabberServer({ domain: SIMULATED_DOMAIN, component: { domain: GATEWAY_DOMAIN, secret } })
    const componentPort = await server.listen()
    return {
      name: 'the runner\'s simulated Jabber server',
      componentPort,
      domain: server.domain,
      gatewayDomain: GATEWAY_DOMAIN,
      secret,
      endpoint: simulatedEndpoint(server, DECLARED_LINK_TIMINGS),
      stop: () => server.close()
    }
  }
  const server = await XMPP_SERVERS[choice]({ components: [{ domain: GATEWAY_DOMAIN, secret }] })
  return realJabberServer(server, GATEWAY_DOMAIN, secret, () => server.stop())
}

function realJabberServer (server: RunningXmppServer, gatewayDomain: string, secret: string, stop: () => Promise<void>): JabberServer {
  return { name: server.name, componentPort: server.componentPort, domain: server.domain, gatewayDomain, secret, endpoint: jabberEndpoint(server), stop }
}

/**
 * One real Jabber server (Prosody, ejabberd) for the grids of one thread, each grid's gateway a
 * component of its own (grid1.localhost, grid2.localhost, …) with a secret of its own: a run
 * starts one Prosody a thread instead of one a grid (~0.1 s of CPU each, twenty in a run). Grids
 * do not meet there: the runner's accounts on it have random names, and a gateway answers only
 * for its own domain. The server starts with the first grid that takes a component and stops when
 * the last one gives its component back, so whoever starts the grids need not close it. (A run in
 * one thread, `lanes: this-thread`, has one for the grids of each startGrids.)
 */
export class SharedJabberServer {
  readonly #choice: RealServer
  readonly #start: (options: XmppServerOptions) => Promise<RunningXmppServer>
  readonly #components: Array<{ domain: string, secret: string }>
  readonly #taken = new Set<number>()
  #server: Promise<RunningXmppServer> | undefined

  /** `components`: how many grids at most use it at once; `start`: how the server is started (the tests' stand-in). */
  constructor (choice: RealServer, components: number, start: (options: XmppServerOptions) => Promise<RunningXmppServer> = XMPP_SERVERS[choice]) {
    this.#choice = choice
    this.#start = start
    this.#components = Array.from({ length: components }, (_, i) => ({ domain: `grid${i + 1}.localhost`, secret: randomBytes(16).toString('hex') }))
  }

  async take (): Promise<JabberServer> {
    const index = this.#components.findIndex((_, i) => !this.#taken.has(i))
    if (index < 0) throw new Error(`the thread's ${this.#choice} has components for ${this.#components.length} grids, all in use`)
    this.#taken.add(index)
    const { domain, secret } = this.#components[index]!
    let server: RunningXmppServer
    try {
      this.#server ??= this.#start({ components: this.#components })
      server = await this.#server
    } catch (err) {
      await this.#release(index)
      throw err
    }
    // Given back once: the component may be another grid's by a second call.
    let given = false
    return realJabberServer(server, domain, secret, async () => {
      if (given) return
      given = true
      await this.#release(index)
    })
  }

  async #release (index: number): Promise<void> {
    this.#taken.delete(index)
    if (this.#taken.size > 0 || this.#server === undefined) return
    const server = this.#server
    this.#server = undefined
    await server.then(async (s) => { await s.stop() }, () => {})
  }
}

/** The Jabber server the grids of one thread share, when their choice is a real one (the simulated one is a grid's own, in-process). */
export function sharedJabberServer (options: EmbeddedOptions, grids: number): SharedJabberServer | undefined {
  const { xmpp = 'none' } = options
  return xmpp === 'none' || xmpp === 'simulated' || grids < 2 ? undefined : new SharedJabberServer(xmpp, grids)
}

const NO_XMPP = 'no Jabber server in this run (--xmpp none): run with --xmpp simulated (the runner plays it), or install Prosody (sudo apt-get install -y prosody) or ejabberd and run with --xmpp prosody or --xmpp ejabberd'

function jabberEndpoint (server: RunningXmppServer): JabberServerEndpoint {
  return {
    kind: server.name,
    host: '127.0.0.1',
    port: server.c2sPort,
    domain: server.domain,
    async createAccount () {
      const account = { user: `u${randomBytes(5).toString('hex')}`, password: randomBytes(12).toString('base64url') }
      await server.register(account)
      return account
    },
    addRosterItem: (user, item) => server.addRosterItem(user, item)
  }
}

/**
 * The embedded grid's connection timeouts: the shortest header timeout chapter 13 allows (5 s,
 * GRIDIM-LIM-17), so that x-slow-clients-cut-off waits seconds less; the rest the reference's.
 */
export const EMBEDDED_HTTP_TIMEOUTS = { headersMs: 5_000 }

/**
 * The room an embedded grid's files need in memory to be kept there: twenty grids of a few
 * databases, each with its write-ahead log, and room to spare. A container's /dev/shm (64 MiB by
 * default in Docker) has less, and its grids keep their files on disk.
 */
export const SCRATCH_BYTES_NEEDED = 1024 * 1024 * 1024

/**
 * Where an embedded grid keeps its files: in memory (/dev/shm) when the machine has it with room
 * enough and no TMPDIR is set, else the temporary folder. The grid is thrown away when the run
 * ends; a region killed (as a crash: its process's memory is gone, its files are not) finds its
 * files as it would on disk, and the databases' checkpoints cost no disk writes (in a full run,
 * ~0.5 s of its ~2.5 s of system CPU).
 */
export function scratchRoot (env: NodeJS.ProcessEnv = process.env, shm = '/dev/shm', needed = SCRATCH_BYTES_NEEDED): string {
  if (env.TMPDIR !== undefined && env.TMPDIR !== '') return tmpdir()
  try {
    if (!statSync(shm).isDirectory()) return tmpdir()
    accessSync(shm, constants.W_OK)
    const room = statfsSync(shm)
    return room.bavail * room.bsize >= needed ? shm : tmpdir()
  } catch {
    return tmpdir()
  }
}

/** `count` embedded grids, all started or none (those that started are closed again). */
export async function startGrids (options: EmbeddedOptions, count: number): Promise<Target[]> {
  const jabber = sharedJabberServer(options, count)
  const started = await Promise.allSettled(Array.from({ length: count }, async () => await startEmbeddedTarget(options, jabber)))
  const targets = started.flatMap((s) => s.status === 'fulfilled' ? [s.value] : [])
  const failed = started.find((s) => s.status === 'rejected')
  if (failed !== undefined) {
    await Promise.all(targets.map(async (t) => { await t.close() }))
    throw failed.reason
  }
  return targets
}

/**
 * An embedded grid. `jabber`: the Jabber server this thread's grids share (sharedJabberServer),
 * when the grid is one of several; else the grid starts one of its own.
 */
export async function startEmbeddedTarget (options: EmbeddedOptions = {}, jabber?: SharedJabberServer): Promise<Target> {
  const { regionCount = 3, leaseSeconds = 5, faults, xmpp = 'none' } = options
  const dataDir = mkdtempSync(join(scratchRoot(), 'gridim-conformance-'))
  // The user server and every region behind a proxy of the runner (issue 14): their public URLs
  // are the proxies', so flows can cut, delay and hold the links between them. The traffic itself
  // the runner sees in-process (PeerClient.observe), so the proxies record nothing.
  const links = new Links()
  let server: JabberServer | undefined
  let grid: Awaited<ReturnType<typeof startGrid>>
  try {
    // A component of the thread's shared server when there is one, else a server of the grid's own.
    server = xmpp === 'none' ? undefined : jabber !== undefined ? await jabber.take() : await startJabberServer(xmpp)
    const userServerProxy = await links.front()
    const regionProxies = await Promise.all(Array.from({ length: regionCount }, async () => await links.front()))
    grid = await startGrid({
      dataDir,
      regionCount,
      logger: createLogger({ role: 'embedded' }),
      // Leases short enough that a crashed region is noticed soon; flows that test lapses set shorter ones.
      settings: { leaseSeconds },
      faults,
      publicUrls: { userServer: userServerProxy.url, regions: regionProxies.map((p) => p.url) },
      onListening: (role, url) => { (role === 'user-server' ? userServerProxy : regionProxies[role]!).upstream = url },
      httpTimeouts: EMBEDDED_HTTP_TIMEOUTS,
      // A throwaway grid (its folder goes when the run ends) that hashes hundreds of passwords:
      // the cheap scrypt cost, never the one a grid people sign on to uses.
      passwordCost: THROWAWAY_GRID_PASSWORD_COST,
      ...(server === undefined
        ? {}
        : { gateway: { domain: server.gatewayDomain, jabberServer: { host: '127.0.0.1', port: server.componentPort, secret: server.secret, serverDomain: server.domain, timings: LINK_TIMINGS } } })
    })
  } catch (err) {
    await links.close()
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
    throw err
  }
  const killed = new Set<number>()
  const gateway = grid.gatewayInfo
  const origins = new Set([grid.userServerUrl, ...grid.regionInfo.map((r) => r.url), ...(gateway === undefined ? [] : [gateway.url])].map(originOf))
  const signers = new Set(['user-server', ...grid.regionInfo.map((r) => r.regionId), ...(gateway === undefined ? [] : [gateway.regionId])])
  const name = ['embedded reference grid', ...(server === undefined ? [] : [`with ${server.name}`]), ...(faults?.size ? [`with faults: ${[...faults].join(', ')}`] : [])]
  return {
    name: name.join(' '),
    userServerUrl: grid.userServerUrl,
    adminToken: grid.adminToken,
    regions: grid.regionInfo.map((r) => ({ name: r.name, regionId: r.regionId, url: r.url })),
    ...(gateway === undefined ? {} : { gateway: { url: gateway.url, domain: gateway.domain, regionId: gateway.regionId, linkTimings: DECLARED_LINK_TIMINGS } }),
    ...(server === undefined ? {} : { jabberServer: server.endpoint }),
    // The grid keeps the user server's key in its data folder; the runner runs the grid, so it may use it.
    userServerKey: loadOrCreateKeyPair(join(dataDir, 'keys', 'user-server.pem')).privateKey,
    links,
    capabilities: new Set([
      'admin-settings', 'kill-region', 'stop-region', 'restart-user-server', 'observe-traffic', 'sign-as-user-server', 'link-faults', 'batching-sender',
      ...(server === undefined ? [] : ['xmpp', 'gateway', 'jabber-server', 'restart-gateway']),
      ...(server?.endpoint.link === undefined ? [] : ['control-jabber-server'])
    ]),
    ...(server === undefined
      ? { missing: { xmpp: NO_XMPP, gateway: NO_XMPP, 'jabber-server': NO_XMPP, 'restart-gateway': NO_XMPP, 'control-jabber-server': NO_XMPP } }
      : server.endpoint.link === undefined ? { missing: { 'control-jabber-server': notControlled(server.name) } } : {}),
    async killRegion (index) {
      killed.add(index)
      await grid.regions[index]!.kill()
    },
    async stopRegion (index) {
      killed.add(index)
      await grid.regions[index]!.stop()
    },
    async reviveRegion (index) {
      await grid.reviveRegion(index)
      killed.delete(index)
    },
    restartUserServer: async (downMs) => { await grid.restartUserServer(downMs) },
    async restartGateway (options) {
      try {
        await grid.reviveGateway(options)
        return { started: true }
      } catch (err) {
        return { started: false, error: (err as Error).message }
      }
    },
    // Every PeerClient of this process reports to PeerClient.observe, the other grids' too (a
    // fork's): traffic to this grid's roles, or signed by one of them, may be this grid's. (Every
    // user server signs as `user-server`: a flow keeps what went to its own roles, run-flow.ts.)
    observe: (observer) => PeerClient.observe((x) => {
      if (origins.has(originOf(x.url)) || (x.keyId !== undefined && signers.has(x.keyId))) observer(x)
    }),
    // More grids like this one, in a thread of their own, for flows replayed at the same time (run-suite.ts).
    fork: async (flowsAtOnce) => options.lanes === 'this-thread' ? gridsLane(await startGrids(options, flowsAtOnce)) : await embeddedLane(options, flowsAtOnce),
    keyIdUrl: (keyId) => keyId === 'user-server'
      ? grid.userServerUrl
      : grid.regionInfo.find((r) => r.regionId === keyId)?.url ?? (keyId === gateway?.regionId ? gateway.url : undefined),
    async close () {
      try {
        await grid.gateway?.stop()
        await Promise.all(grid.regions.map(async (r, i) => { if (!killed.has(i)) await r.stop() }))
        await grid.userServer.stop()
        await grid.store.close()
        await links.close()
        rmSync(dataDir, { recursive: true, force: true })
      } finally {
        // A shared server given back whatever failed above: else it would outlive the run.
        await server?.stop()
      }
    }
  }
}
