// The user server the runner plays for regions under test (issue 5: "a simulated user server
// for a region under test"): the reference user server, in this process, over a temporary SQLite
// file. It records every request it receives, so what a region under test sends the user server
// can be observed and checked against the contract like any other traffic; what it sends the
// regions goes through a PeerClient of this process, which the runner observes anyway.
import { randomBytes, type KeyObject } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger, PeerClient, type ObservedExchange } from '../../reference/lib/http/index.ts'
import { exportPublicKey, generateKeyPair } from '../../reference/lib/signatures/index.ts'
import { openSqliteStore, type Store } from '../../reference/store/index.ts'
import { createUserServer, type UserServer } from '../../reference/user-server/index.ts'
import { recordExchanges } from '../lib/record-exchanges.ts'
import type { IncomingRequest } from './learn-region-id.ts'
import { RefusalLog } from '../lib/refusals.ts'

export type SimulatedUserServerOptions = {
  /** Where it listens; 0 (the default) picks a free port. */
  port?: number
  /** GRIDIM-LEASE: short leases, so that a crashed region is noticed soon (as in the embedded grid). */
  leaseSeconds?: number
  /**
   * Its public base URL when the runner's proxy stands in front of it (issue 14): what the regions
   * are told, and what it checks `@target-uri` against (GRIDIM-SEC-4). `listening` is told where it
   * really listens, at every start.
   */
  publicUrl?: string
  listening?: (url: string) => void
}

export type SimulatedUserServer = {
  url: string
  adminToken: string
  /** Its Ed25519 public key (base64url), as getDirectory gives it. */
  publicKey: string
  /** Its private key: the runner plays this user server, so it may also speak in its voice. */
  privateKey: KeyObject
  dataDir: string
  /** Provisions a region in the directory with its public key (adminProvisionRegion). */
  provisionRegion: (region: { regionId: string, name: string, publicKey: string }) => Promise<void>
  /** Whether the directory has this region. */
  hasRegion: (regionId: string) => Promise<boolean>
  /**
   * Runs `hook` on every request before the user server handles it (to learn a region's id from
   * its first lease request, learn-region-id.ts). Returns the stop function.
   */
  beforeRequest: (hook: (request: IncomingRequest) => Promise<void>) => () => void
  /** What it refused (answers of 400 or more), with the signature base it rebuilt for a signed request. */
  refusals: RefusalLog
  /** Requests it received, and every request a PeerClient of this process sent. Returns the stop function. */
  observe: (observer: (exchange: ObservedExchange) => void) => () => void
  /** Stops and starts it again on the same address, from the same file, down for `downMs` in between (default 0). */
  restart: (downMs?: number) => Promise<void>
  stop: () => Promise<void>
}

export async function startSimulatedUserServer ({ port = 0, leaseSeconds = 5, publicUrl, listening }: SimulatedUserServerOptions = {}): Promise<SimulatedUserServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridim-simulated-user-server-'))
  const adminToken = randomBytes(24).toString('base64url')
  const keys = generateKeyPair()
  const observers = new Set<(exchange: ObservedExchange) => void>()
  const logger = createLogger({ role: 'simulated-user-server' })
  const hooks = new Set<(request: IncomingRequest) => Promise<void>>()
  const refusals = new RefusalLog()

  const open = async (at: number): Promise<{ store: Store, server: UserServer }> => {
    const store = openSqliteStore(join(dataDir, 'user-server.sqlite'))
    const server = createUserServer({ store, ...keys, adminToken, port: at, logger, ...(publicUrl === undefined ? {} : { publicUrl }) })
    recordExchanges(server.server, (x) => { for (const o of observers) o(x) }, { by: 'the runner\'s user server', log: refusals })
    server.server.ext('onRequest', async (request, h) => {
      for (const hook of hooks) await hook({ method: request.method, url: request.url.href, headers: request.headers as IncomingRequest['headers'] })
      return h.continue
    })
    await server.start()
    listening?.(server.url)
    return { store, server }
  }
  let current = await open(port)
  await current.store.updateSettings({ leaseSeconds })
  /** Where it listens (a restart keeps the port); what everyone calls is `url`. */
  const listenUrl = current.server.url
  const url = publicUrl ?? listenUrl
  const admin = new PeerClient()

  return {
    url,
    adminToken,
    publicKey: exportPublicKey(keys.publicKey),
    privateKey: keys.privateKey,
    dataDir,
    refusals,
    async provisionRegion ({ regionId, name, publicKey }) {
      await admin.call(url, 'adminProvisionRegion', { headers: { authorization: `Bearer ${adminToken}` }, body: { regionId, name, kind: 'region', publicKey } })
    },
    hasRegion: async (regionId) => await current.store.getRegion(regionId) !== null,
    beforeRequest (hook) {
      hooks.add(hook)
      return () => { hooks.delete(hook) }
    },
    observe (observer) {
      observers.add(observer)
      const stopPeer = PeerClient.observe(observer)
      return () => { observers.delete(observer); stopPeer() }
    },
    async restart (downMs = 0) {
      await current.server.stop()
      await current.store.close()
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs))
      current = await open(Number(new URL(listenUrl).port))
    },
    async stop () {
      await current.server.stop()
      await current.store.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
