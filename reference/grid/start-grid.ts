// The embedded default: one call starts a whole grid — user server with an SQLite file, N
// regions — in one process on loopback. Keys and the database live in dataDir, so a restart
// keeps users, friendships, stored messages and region identities.
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Fault } from '../lib/faults.ts'
import { createLogger, PeerClient, type HttpTimeouts, type Logger } from '../lib/http/index.ts'
import { exportPublicKey } from '../lib/signatures/index.ts'
import { openSqliteStore, type PasswordCost } from '../store/index.ts'
import { createUserServer } from '../user-server/index.ts'
import { createRegion, type Region } from '../region/index.ts'
import { createGateway, type Gateway, type JabberServerLink } from '../gateway/index.ts'
import { loadOrCreateKeyPair } from './keys.ts'

export type GridOptions = {
  dataDir: string
  regionCount?: number
  host?: string
  /** First port; the user server takes it and regions the next ones. 0 = any free ports. */
  basePort?: number
  adminToken?: string
  logger?: Logger
  settings?: { leaseSeconds?: number, groupIdleSeconds?: number, replayWindowSeconds?: number, clientIdleSeconds?: number, handoverSeconds?: number, keepAliveSeconds?: number }
  /** Deliberate bugs in the user server and every region, only for conformance/variants. */
  faults?: ReadonlySet<Fault>
  /**
   * The user server's scrypt cost (reference/store/password.ts); default RFC 7914's interactive
   * one. THROWAWAY_GRID_PASSWORD_COST only for grids whose folder is thrown away (the
   * conformance runner's, tests'): never for a grid people sign on to.
   */
  passwordCost?: PasswordCost
  /** The connection timeouts of the user server and the regions (GRIDIM-LIM-17..19; default the reference's). */
  httpTimeouts?: Partial<HttpTimeouts>
  /**
   * The XMPP gateway (spec chapter 11): its domain, and the Jabber server it is a component of
   * (none: only IM-only grid users, over BOSH and WebSocket). Absent: no gateway.
   */
  gateway?: { domain: string, jabberServer?: JabberServerLink, port?: number, boshAllowOrigins?: readonly string[] }
  /**
   * Public base URLs other than the listening addresses, for roles behind a proxy (the conformance
   * runner's, issue 14): the user server's is what the regions and the gateway call, and what it
   * forms `@target-uri` from (GRIDIM-SEC-4); a region's is what its lease registers.
   */
  publicUrls?: { userServer?: string, regions?: readonly string[] }
  /** Told where a role listens as soon as it does (the user server, or region `index`), so a proxy can forward there. */
  onListening?: (role: 'user-server' | number, url: string) => void
}

export type RegionInfo = { regionId: string, name: string, url: string }

type GridState = { adminToken: string, regions: Array<{ regionId: string, name: string }>, gatewayId?: string }

function loadState (dataDir: string, regionCount: number, adminToken?: string): GridState {
  const file = join(dataDir, 'grid.json')
  const state: GridState = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : { adminToken: adminToken ?? randomBytes(24).toString('base64url'), regions: [] }
  if (adminToken) state.adminToken = adminToken
  while (state.regions.length < regionCount) {
    state.regions.push({ regionId: randomUUID(), name: `Region ${state.regions.length + 1}` })
  }
  state.gatewayId ??= randomUUID()
  writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 })
  return state
}

export async function startGrid (options: GridOptions) {
  const { dataDir, regionCount = 3, host = '127.0.0.1', basePort = 0 } = options
  const logger = options.logger ?? createLogger({ grid: dataDir })
  mkdirSync(dataDir, { recursive: true })
  const state = loadState(dataDir, regionCount, options.adminToken)
  const adminHeaders = { authorization: `Bearer ${state.adminToken}` }

  const userServerKeys = loadOrCreateKeyPair(join(dataDir, 'keys', 'user-server.pem'))
  const openUserServer = async (port: number) => {
    const store = openSqliteStore(join(dataDir, 'user-server.sqlite'))
    const server = createUserServer({
      store, ...userServerKeys, adminToken: state.adminToken, host, port, logger: logger.child({ role: 'user-server' }), faults: options.faults, httpTimeouts: options.httpTimeouts,
      ...(options.passwordCost === undefined ? {} : { passwordCost: options.passwordCost }),
      ...(options.publicUrls?.userServer === undefined ? {} : { publicUrl: options.publicUrls.userServer }),
      ...(options.gateway === undefined ? {} : { gatewayDomain: options.gateway.domain })
    })
    const url = await server.start()
    return { store, server, url }
  }
  let us = await openUserServer(basePort)
  options.onListening?.('user-server', us.url)
  if (options.settings) await us.store.updateSettings(options.settings)
  /** Where it listens (a restart keeps the port); what the other roles call may be a proxy in front of it. */
  const userServerListenUrl = us.url
  const userServerUrl = options.publicUrls?.userServer ?? us.url

  const admin = new PeerClient()
  const openRegion = async (index: number, port: number): Promise<Region> => {
    const r = state.regions[index]!
    const keys = loadOrCreateKeyPair(join(dataDir, 'keys', `${r.regionId}.pem`))
    const region = createRegion({
      regionId: r.regionId, name: r.name, ...keys, userServerUrl, userServerKey: userServerKeys.publicKey,
      host, port, logger: logger.child({ role: 'region', region: r.name }), faults: options.faults, httpTimeouts: options.httpTimeouts,
      ...(options.publicUrls?.regions?.[index] === undefined ? {} : { publicUrl: options.publicUrls.regions[index] }),
      messageFile: join(dataDir, `region-${r.regionId}.sqlite`)
    })
    await region.start()
    options.onListening?.(index, region.server.info.uri)
    return region
  }
  const regions: Region[] = []
  for (const [index, r] of state.regions.slice(0, regionCount).entries()) {
    const keys = loadOrCreateKeyPair(join(dataDir, 'keys', `${r.regionId}.pem`))
    await admin.call(userServerListenUrl, 'adminProvisionRegion', {
      headers: adminHeaders,
      body: { regionId: r.regionId, name: r.name, kind: 'region', publicKey: exportPublicKey(keys.publicKey) }
    })
    regions.push(await openRegion(index, basePort === 0 ? 0 : basePort + 1 + index))
  }

  const regionInfo: RegionInfo[] = regions.map((region, i) => ({ ...state.regions[i]!, url: region.url }))
  /** Where each region listens, which a revival keeps. */
  const regionListenUrls = regions.map((region) => region.server.info.uri)

  let gateway: Gateway | undefined
  const gatewayOptions = options.gateway
  /** Whether the gateway is down: killed for a restart that has not (or not yet) started it again. */
  let gatewayDown = false
  const openGateway = async (port: number, domain = gatewayOptions!.domain): Promise<Gateway> => {
    const keys = loadOrCreateKeyPair(join(dataDir, 'keys', `${state.gatewayId!}.pem`))
    const gw = createGateway({
      regionId: state.gatewayId!, name: 'XMPP gateway', ...keys, userServerUrl, userServerKey: userServerKeys.publicKey, host, port,
      domain, jabberServer: gatewayOptions!.jabberServer, boshAllowOrigins: gatewayOptions!.boshAllowOrigins,
      // GRIDIM-XMPP-8: PLAIN without TLS only where nothing leaves the machine.
      plainOnInsecure: ['127.0.0.1', '::1', 'localhost'].includes(host),
      logger: logger.child({ role: 'gateway' }), faults: options.faults,
      messageFile: join(dataDir, `region-${state.gatewayId!}.sqlite`)
    })
    try {
      await gw.start()
    } catch (err) {
      await gw.kill().catch(() => {}) // nothing of a gateway that refused to start keeps running
      throw err
    }
    return gw
  }
  if (gatewayOptions !== undefined) {
    const keys = loadOrCreateKeyPair(join(dataDir, 'keys', `${state.gatewayId!}.pem`))
    await admin.call(userServerListenUrl, 'adminProvisionRegion', {
      headers: adminHeaders,
      body: { regionId: state.gatewayId, name: 'XMPP gateway', kind: 'gateway', publicKey: exportPublicKey(keys.publicKey) }
    })
    try {
      gateway = await openGateway(gatewayOptions.port ?? (basePort === 0 ? 0 : basePort + 1 + regions.length))
    } catch (err) {
      // A gateway that refuses to start (GRIDIM-XMPP-58, -59) leaves nothing of the grid running.
      for (const region of regions) await region.stop()
      await us.server.stop()
      await us.store.close()
      throw err
    }
  }
  return {
    get userServer () { return us.server },
    get store () { return us.store },
    userServerUrl,
    userServerListenUrl,
    regions,
    regionInfo,
    regionListenUrls,
    /** The XMPP gateway, when asked for: a region of kind gateway. */
    get gateway () { return gateway },
    get gatewayInfo () {
      return gateway === undefined ? undefined : { regionId: gateway.regionId, name: 'XMPP gateway', url: gateway.url, domain: gateway.domain }
    },
    adminToken: state.adminToken,
    /**
     * Stops the user server and starts it again on the same address, from the same file, after
     * `downMs` (a slow restart: longer than the lease, and the regions' leases lapse).
     */
    async restartUserServer (downMs = 0) {
      await us.server.stop()
      await us.store.close()
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs))
      us = await openUserServer(Number(new URL(userServerListenUrl).port))
    },
    /** Starts region `index` again (after a crash), with its identity and address. */
    async reviveRegion (index: number) {
      await regions[index]!.kill()
      regions[index] = await openRegion(index, Number(new URL(regionListenUrls[index]!).port))
    },
    /**
     * Stops the gateway as a crash would and starts it again, with its identity and address —
     * and with another gateway domain, when `domain` is given. Throws when it refuses to start
     * (GRIDIM-XMPP-58, -59); it is then down until the next call.
     */
    async reviveGateway (override: { domain?: string } = {}) {
      if (gateway === undefined) return
      if (!gatewayDown) await gateway.kill()
      gatewayDown = true
      gateway = await openGateway(Number(new URL(gateway.url).port), override.domain)
      gatewayDown = false
    },
    async stop () {
      if (!gatewayDown) await gateway?.stop()
      for (const region of regions) await region.stop()
      await us.server.stop()
      await us.store.close()
    }
  }
}

export type Grid = Awaited<ReturnType<typeof startGrid>>
