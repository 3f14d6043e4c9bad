// The embedded target: the reference grid started in this process (user server with an SQLite
// file in a temporary folder, three regions), with every optional ability the runner can use —
// and, unless `xmpp` is none, a real Jabber server (Prosody or ejabberd on free loopback ports)
// with the reference gateway linked to it as an XEP-0114 component.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger, PeerClient } from '../../reference/lib/http/index.ts'
import { startGrid } from '../../reference/grid/start-grid.ts'
import type { Fault } from '../../reference/lib/faults.ts'
import { findBinary } from '../../tools/xmpp-servers/find-binary.ts'
import { XMPP_SERVERS } from '../../tools/xmpp-servers/servers.ts'
import type { RunningXmppServer } from '../../tools/xmpp-servers/types.ts'
import type { JabberServerEndpoint, Target } from './target.ts'

export type XmppChoice = 'prosody' | 'ejabberd' | 'none'

export type EmbeddedOptions = {
  regionCount?: number
  leaseSeconds?: number
  /** Deliberate bugs, so that conformance/variants can show the suite catches them. */
  faults?: ReadonlySet<Fault>
  /** The Jabber server the gateway links to; none: no gateway, and the XMPP flows are impossible. */
  xmpp?: XmppChoice
}

export const GATEWAY_DOMAIN = 'grid.localhost'

const BINARY: Record<Exclude<XmppChoice, 'none'>, string> = { prosody: 'prosody', ejabberd: 'ejabberdctl' }

/** What `npm run conformance` uses unless told: Prosody when it is installed. */
export function defaultXmpp (): XmppChoice {
  return findBinary(BINARY.prosody) === null ? 'none' : 'prosody'
}

export function isInstalled (choice: Exclude<XmppChoice, 'none'>): boolean {
  return findBinary(BINARY[choice]) !== null
}

const NO_XMPP = 'no Jabber server in this run: install Prosody (sudo apt-get install -y prosody) or ejabberd and run with --xmpp prosody or --xmpp ejabberd'

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

export async function startEmbeddedTarget ({ regionCount = 3, leaseSeconds = 5, faults, xmpp = 'none' }: EmbeddedOptions = {}): Promise<Target> {
  const secret = randomBytes(16).toString('hex')
  const server = xmpp === 'none' ? undefined : await XMPP_SERVERS[xmpp]({ components: [{ domain: GATEWAY_DOMAIN, secret }] })
  const dataDir = mkdtempSync(join(tmpdir(), 'gridim-conformance-'))
  let grid: Awaited<ReturnType<typeof startGrid>>
  try {
    grid = await startGrid({
      dataDir,
      regionCount,
      logger: createLogger({ role: 'embedded' }),
      // Leases short enough that a crashed region is noticed soon; flows that test lapses set shorter ones.
      settings: { leaseSeconds },
      faults,
      ...(server === undefined
        ? {}
        : { gateway: { domain: GATEWAY_DOMAIN, jabberServer: { host: '127.0.0.1', port: server.componentPort, secret, serverDomain: server.domain } } })
    })
  } catch (err) {
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
    throw err
  }
  const killed = new Set<number>()
  const gateway = grid.gatewayInfo
  const name = ['embedded reference grid', ...(server === undefined ? [] : [`with ${server.name}`]), ...(faults?.size ? [`with faults: ${[...faults].join(', ')}`] : [])]
  return {
    name: name.join(' '),
    userServerUrl: grid.userServerUrl,
    adminToken: grid.adminToken,
    regions: grid.regionInfo.map((r) => ({ name: r.name, regionId: r.regionId, url: r.url })),
    ...(gateway === undefined ? {} : { gateway: { url: gateway.url, domain: gateway.domain, regionId: gateway.regionId } }),
    ...(server === undefined ? {} : { jabberServer: jabberEndpoint(server) }),
    capabilities: new Set(['admin-settings', 'kill-region', 'restart-user-server', 'observe-traffic', ...(server === undefined ? [] : ['xmpp', 'gateway', 'jabber-server'])]),
    ...(server === undefined ? { missing: { xmpp: NO_XMPP, gateway: NO_XMPP, 'jabber-server': NO_XMPP } } : {}),
    async killRegion (index) {
      killed.add(index)
      await grid.regions[index]!.kill()
    },
    async reviveRegion (index) {
      await grid.reviveRegion(index)
      killed.delete(index)
    },
    restartUserServer: () => grid.restartUserServer(),
    observe: (observer) => PeerClient.observe(observer),
    keyIdUrl: (keyId) => keyId === 'user-server'
      ? grid.userServerUrl
      : grid.regionInfo.find((r) => r.regionId === keyId)?.url ?? (keyId === gateway?.regionId ? gateway.url : undefined),
    async close () {
      await grid.gateway?.stop()
      await Promise.all(grid.regions.map(async (r, i) => { if (!killed.has(i)) await r.stop() }))
      await grid.userServer.stop()
      grid.store.close()
      rmSync(dataDir, { recursive: true, force: true })
      await server?.stop()
    }
  }
}
