// `gridim`: run the reference grid. `gridim grid` is everything in one process; `gridim
// user-server` and `gridim region` run one role each. Each role prints one JSON line on stdout
// when it is ready ({"ready": ...}), which scripts and the end-to-end tests wait for.
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createLogger, PeerClient } from '../lib/http/index.ts'
import { exportPublicKey, importPublicKey } from '../lib/signatures/index.ts'
import { openSqliteStore, type Store } from '../store/index.ts'
import { openPostgresStore } from '../store/postgres-store.ts'
import { createUserServer } from '../user-server/index.ts'
import { createRegion } from '../region/index.ts'
import { seedDemo } from '../grid/demo.ts'
import { loadOrCreateKeyPair } from '../grid/keys.ts'
import { startGrid } from '../grid/start-grid.ts'
import { createGateway, type JabberServerLink } from '../gateway/index.ts'

const HELP = `gridim — the GridIM reference grid

Usage:
  gridim grid         [--data DIR] [--regions N] [--host H] [--port P] [--admin-token T]
                      [--gateway-domain D] [--bosh-allow-origin ORIGIN]... [JABBER]
  gridim user-server  [--data DIR] [--store STORE] [--key-file FILE] [--public-url URL]
                      [--host H] [--port P] [--admin-token T] [--gateway-domain D]
  gridim region       --user-server URL [--data DIR] [--name NAME] [--region-id UUID] [--key-file FILE]
                      [--host H] [--port P] [--admin-token T] [--public-url URL]
  gridim gateway      --user-server URL [--data DIR] [--gateway-domain D] [--region-id UUID]
                      [--key-file FILE] [--host H] [--port P] [--admin-token T]
                      [--bosh-allow-origin ORIGIN]... [JABBER] [--jabber-timings T]
  gridim help

JABBER = --jabber HOST:PORT --jabber-secret SECRET --jabber-domain DOMAIN: the Jabber server the
gateway is an XEP-0114 component of (its component port, shared secret and own domain).
--jabber-timings keep-alive=MS,idle-ping=MS,ping-timeout=MS,ack-delay=MS,retry-start=MS,retry-max=MS
(any of them; GRIDIM_JABBER_TIMINGS): the link's timers, shorter than the defaults for a test grid.

grid         user server (SQLite under --data, default ./data) and --regions regions (default 3)
             on loopback, with demo users; prints the URLs, the users and the admin token.
user-server  the user server alone. --admin-token (or GRIDIM_ADMIN_TOKEN) guards /admin.
             --store (GRIDIM_STORE): an SQLite file (default DIR/user-server.sqlite) or a
             PostgreSQL database, postgres://USER@HOST:PORT/DB. Several instances may share one
             PostgreSQL database behind a load balancer: give them the same --store,
             --admin-token and --key-file (the user server's signing key, default
             DIR/keys/user-server.pem, created if missing), and as --public-url the balancer's
             URL, which regions use and signatures are checked against (GRIDIM-SEC-4).
region       one region. With --admin-token it provisions itself at the user server first;
             otherwise an operator provisions its public key (printed at start) beforehand.
             It keeps the messages it accepted in DIR/region-<regionId>.sqlite (--data, default
             ./data, created if missing) until they are read or returned to the offline store;
             started again with the same --data and --region-id after a crash, it returns what
             its sessions left unread. DIR/keys holds its key unless --key-file says otherwise.
             --public-url URL: the base URL its peers reach it at, when that is not where it
             listens (behind a reverse proxy): its lease registers it, and it checks the
             signatures of peers' requests against it (GRIDIM-ROLE-2, GRIDIM-SEC-4).
gateway      the XMPP gateway, a region of kind gateway: BOSH at /http-bind and WebSocket at
             /xmpp-websocket for IM-only grid users (SASL PLAIN as first.last), and with JABBER
             a component link for that server's users. --gateway-domain (default grid.localhost)
             must be the user server's: the gateway refuses to start otherwise, and when the
             Jabber server refuses its secret or domain. SASL PLAIN is offered without TLS only
             on loopback, or with GRIDIM_XMPP_SECURE=1 when TLS is terminated in front.
             --bosh-allow-origin ORIGIN (repeatable or comma-separated, e.g.
             https://chat.example.org, or *; GRIDIM_BOSH_ALLOW_ORIGIN) names the origins whose
             web pages may use BOSH and WebSocket from a browser (CORS); without it, pages
             from 127.0.0.1, ::1 and localhost (any port) may when --host is loopback.
Port 0 picks a free port. Each role prints {"ready": ...} as one JSON line when listening.
Logs are JSON lines on stderr; GRIDIM_LOG=debug|info|warn|error|silent.`

const options = {
  data: { type: 'string', default: process.env.GRIDIM_DATA ?? './data' },
  regions: { type: 'string', default: '3' },
  host: { type: 'string', default: process.env.GRIDIM_HOST ?? '127.0.0.1' },
  port: { type: 'string', default: process.env.GRIDIM_PORT ?? '0' },
  'admin-token': { type: 'string', default: process.env.GRIDIM_ADMIN_TOKEN },
  'user-server': { type: 'string', default: process.env.GRIDIM_USER_SERVER },
  name: { type: 'string' },
  'region-id': { type: 'string' },
  'key-file': { type: 'string' },
  store: { type: 'string', default: process.env.GRIDIM_STORE },
  'public-url': { type: 'string' },
  'gateway-domain': { type: 'string', default: process.env.GRIDIM_GATEWAY_DOMAIN ?? 'grid.localhost' },
  jabber: { type: 'string', default: process.env.GRIDIM_JABBER },
  'jabber-secret': { type: 'string', default: process.env.GRIDIM_JABBER_SECRET },
  'jabber-domain': { type: 'string', default: process.env.GRIDIM_JABBER_DOMAIN },
  'jabber-timings': { type: 'string', default: process.env.GRIDIM_JABBER_TIMINGS },
  'bosh-allow-origin': { type: 'string', multiple: true, default: process.env.GRIDIM_BOSH_ALLOW_ORIGIN === undefined ? [] : [process.env.GRIDIM_BOSH_ALLOW_ORIGIN] },
  help: { type: 'boolean', short: 'h' }
} as const

function int (value: string, flag: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} must be a whole number, got ${value}`)
  return n
}

/** An http(s) base URL, without a trailing slash; anything else is refused before the region starts. */
export function publicUrl (value: string): string {
  let url: URL
  try { url = new URL(value) } catch { throw new Error(`--public-url must be an http or https URL, got ${value}`) }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--public-url must be an http or https URL, got ${value}`)
  return value.replace(/\/$/, '')
}

function onSignal (stop: () => Promise<void>): void {
  const handler = (): void => { stop().then(() => process.exit(0), () => process.exit(1)) }
  process.once('SIGINT', handler)
  process.once('SIGTERM', handler)
}

/**
 * GRIDIM-XMPP-8: SASL PLAIN without TLS only on loopback, or when the operator says the
 * connections are protected (TLS terminated in front): GRIDIM_XMPP_SECURE=1.
 */
function plainAllowed (host: string): boolean {
  return ['127.0.0.1', '::1', 'localhost'].includes(host) || process.env.GRIDIM_XMPP_SECURE === '1'
}

/** The --jabber options, all three or none. */
function jabberLink (v: Record<string, any>): JabberServerLink | undefined {
  if (v.jabber === undefined && v['jabber-secret'] === undefined && v['jabber-domain'] === undefined) return undefined
  const match = /^(.+):(\d+)$/.exec(v.jabber ?? '')
  if (match === null || v['jabber-secret'] === undefined || v['jabber-domain'] === undefined) {
    throw new Error('--jabber HOST:PORT, --jabber-secret and --jabber-domain go together')
  }
  const timings = v['jabber-timings'] === undefined ? undefined : jabberTimings(v['jabber-timings'])
  return { host: match[1]!, port: int(match[2]!, 'jabber port'), secret: v['jabber-secret'], serverDomain: v['jabber-domain'], ...(timings === undefined ? {} : { timings }) }
}

const TIMING_KEYS = ['keep-alive', 'idle-ping', 'ping-timeout', 'ack-delay', 'retry-start', 'retry-max'] as const

/**
 * --jabber-timings keep-alive=MS,idle-ping=MS,ping-timeout=MS,ack-delay=MS,retry-start=MS,retry-max=MS
 * (any of them): the component link's timers, shorter than the defaults for a test grid whose
 * target file declares them (conformance: gateway.linkTimings).
 */
export function jabberTimings (value: string): NonNullable<JabberServerLink['timings']> {
  const ms: Partial<Record<(typeof TIMING_KEYS)[number], number>> = {}
  for (const pair of value.split(',')) {
    const [key, text] = pair.split('=') as [string, string | undefined]
    const n = Number(text)
    if (!(TIMING_KEYS as readonly string[]).includes(key) || text === undefined || !Number.isInteger(n) || n <= 0) {
      throw new Error(`--jabber-timings takes ${TIMING_KEYS.map((k) => `${k}=MS`).join(',')} (positive whole milliseconds, any of them), got ${value}`)
    }
    ms[key as (typeof TIMING_KEYS)[number]] = n
  }
  return {
    ...(ms['keep-alive'] === undefined ? {} : { keepAliveMs: ms['keep-alive'] }),
    ...(ms['idle-ping'] === undefined ? {} : { idlePingMs: ms['idle-ping'] }),
    ...(ms['ping-timeout'] === undefined ? {} : { pingTimeoutMs: ms['ping-timeout'] }),
    ...(ms['ack-delay'] === undefined ? {} : { ackDelayMs: ms['ack-delay'] }),
    ...(ms['retry-start'] === undefined && ms['retry-max'] === undefined
      ? {}
      : { backoff: { ...(ms['retry-start'] === undefined ? {} : { initialMs: ms['retry-start'] }), ...(ms['retry-max'] === undefined ? {} : { maxMs: ms['retry-max'] }) } })
  }
}

async function grid (v: Record<string, any>): Promise<void> {
  const g = await startGrid({
    dataDir: resolve(v.data), regionCount: int(v.regions, 'regions'), host: v.host, basePort: int(v.port, 'port'), adminToken: v['admin-token'],
    gateway: { domain: v['gateway-domain'], jabberServer: jabberLink(v), boshAllowOrigins: v['bosh-allow-origin'] }
  })
  const users = await seedDemo(new PeerClient(), g.userServerUrl, g.adminToken, resolve(v.data))
  onSignal(g.stop)
  console.log(JSON.stringify({ ready: { role: 'grid', userServer: g.userServerUrl, regions: g.regionInfo, gateway: g.gatewayInfo } }))
  console.error([
    '', 'GridIM grid is running.',
    `  user server  ${g.userServerUrl}  (admin token: ${g.adminToken})`,
    ...g.regionInfo.map((r) => `  ${r.name.padEnd(11)}  ${r.url}  (client interface under ${r.url}/client)`),
    `  gateway      ${g.gatewayInfo!.url}  (XMPP domain ${g.gatewayInfo!.domain}: BOSH ${g.gatewayInfo!.url}/http-bind,`,
    `               WebSocket ${g.gatewayInfo!.url.replace(/^http/, 'ws')}/xmpp-websocket; log in as first.last)`,
    '  demo users (first last / password):',
    ...users.map((u) => `    ${u.key}: ${u.firstName} ${u.lastName} / ${u.password}`),
    `  data in ${resolve(v.data)}. Ctrl-C stops it.`, ''
  ].join('\n'))
}

/** --store: a PostgreSQL URL, or an SQLite file (default DIR/user-server.sqlite). */
async function openStore (store: string | undefined, dataDir: string): Promise<Store> {
  if (store !== undefined && /^postgres(ql)?:\/\//.test(store)) return await openPostgresStore(store)
  // SQLite creates a file, not the directories above it; `gridim grid` makes them too (start-grid.ts).
  mkdirSync(dataDir, { recursive: true })
  return openSqliteStore(store === undefined ? join(dataDir, 'user-server.sqlite') : resolve(store))
}

async function userServer (v: Record<string, any>): Promise<void> {
  const dataDir = resolve(v.data)
  const token = v['admin-token'] ?? (() => { throw new Error('--admin-token (or GRIDIM_ADMIN_TOKEN) is required') })()
  const store = await openStore(v.store, dataDir)
  const keys = loadOrCreateKeyPair(resolve(v['key-file'] ?? join(dataDir, 'keys', 'user-server.pem')))
  const server = createUserServer({
    store, ...keys, adminToken: token, host: v.host, port: int(v.port, 'port'), logger: createLogger({ role: 'user-server' }), gatewayDomain: v['gateway-domain'],
    ...(v['public-url'] === undefined ? {} : { publicUrl: publicUrl(v['public-url']) })
  })
  const url = await server.start()
  onSignal(async () => { await server.stop(); await store.close() })
  console.log(JSON.stringify({ ready: { role: 'user-server', url, publicKey: exportPublicKey(keys.publicKey) } }))
}

/**
 * What a region and the gateway do before they start: their identity and key pair, provisioning
 * at the user server when given the admin token, and the user server's key from its directory.
 */
async function joinGrid (v: Record<string, any>, kind: 'region' | 'gateway', defaultName: (regionId: string) => string) {
  const userServerUrl: string = v['user-server'] ?? (() => { throw new Error('--user-server URL is required') })()
  const regionId: string = v['region-id'] ?? randomUUID()
  const name: string = v.name ?? defaultName(regionId)
  const keys = loadOrCreateKeyPair(resolve(v['key-file'] ?? join(v.data, 'keys', `${regionId}.pem`)))
  const peer = new PeerClient()
  if (v['admin-token']) {
    await peer.call(userServerUrl, 'adminProvisionRegion', {
      headers: { authorization: `Bearer ${v['admin-token']}` },
      body: { regionId, name, kind, publicKey: exportPublicKey(keys.publicKey) }
    })
  }
  const directory = await peer.call(userServerUrl, 'getDirectory')
  return { userServerUrl, regionId, name, keys, userServerKey: importPublicKey(directory.body.publicKey) }
}

/** GRIDIM-IM-20: the region's (or gateway's) own message file, in --data, created if missing. */
function messageFile (v: Record<string, any>, regionId: string): string {
  const dir = resolve(v.data)
  mkdirSync(dir, { recursive: true })
  return join(dir, `region-${regionId}.sqlite`)
}

async function region (v: Record<string, any>): Promise<void> {
  const { userServerUrl, regionId, name, keys, userServerKey } = await joinGrid(v, 'region', (id) => `Region ${id.slice(0, 8)}`)
  const r = createRegion({
    regionId, name, ...keys, userServerUrl, userServerKey, host: v.host, port: int(v.port, 'port'), logger: createLogger({ role: 'region', region: name }),
    messageFile: messageFile(v, regionId), ...(v['public-url'] === undefined ? {} : { publicUrl: publicUrl(v['public-url']) })
  })
  const url = await r.start()
  onSignal(() => r.stop())
  console.log(JSON.stringify({ ready: { role: 'region', url, regionId, name, publicKey: exportPublicKey(keys.publicKey) } }))
}

async function gateway (v: Record<string, any>): Promise<void> {
  const { userServerUrl, regionId, name, keys, userServerKey } = await joinGrid(v, 'gateway', () => 'XMPP gateway')
  const gw = createGateway({
    regionId, name, ...keys, userServerUrl, userServerKey, host: v.host, port: int(v.port, 'port'),
    domain: v['gateway-domain'], jabberServer: jabberLink(v), boshAllowOrigins: v['bosh-allow-origin'], plainOnInsecure: plainAllowed(v.host), logger: createLogger({ role: 'gateway' }),
    messageFile: messageFile(v, regionId)
  })
  const url = await gw.start()
  onSignal(() => gw.stop())
  console.log(JSON.stringify({ ready: { role: 'gateway', url, regionId, name, domain: gw.domain, publicKey: exportPublicKey(keys.publicKey) } }))
}

export async function main (argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true })
  const command = positionals[0] ?? 'help'
  if (values.help || command === 'help') { console.log(HELP); return 0 }
  const commands: Record<string, (v: Record<string, any>) => Promise<void>> = { grid, 'user-server': userServer, region, gateway }
  const run = commands[command]
  if (!run) { console.error(`gridim: unknown command ${command}\n\n${HELP}`); return 2 }
  await run(values)
  return 0
}

main(process.argv.slice(2)).then((code) => { if (code !== 0) process.exit(code) }, (err: Error) => {
  console.error(`gridim: ${err.message}`)
  process.exit(1)
})
