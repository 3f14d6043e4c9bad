// A real Prosody 0.12 on free loopback ports, from a configuration in a temporary folder
// (settings that matter: /work/shared/xmpp-peers.md).
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findBinary } from './find-binary.ts'
import { freePorts } from './free-port.ts'
import { ServerProcess } from './server-process.ts'
import { DEFAULT_DOMAIN, DEFAULT_START_TIMEOUT_MS, mucDomainOf, type RosterItem, type RunningXmppServer, type XmppServerOptions } from './types.ts'
import { waitForPorts } from './wait-port.ts'

const lua = (value: string): string => JSON.stringify(value)

interface ProsodyLayout { dir: string, domain: string, mucDomain?: string, c2sPort: number, componentPort: number, httpPort: number }

/** Prosody-only options (the benchmarks use them; the interop tests need none). */
export interface ProsodyOptions extends XmppServerOptions {
  /** Accounts written before start beside `users` (the benchmarks' thousands). */
  bulkUsers?: Array<{ user: string, password: string }>
  /** Extra global configuration lines (e.g. `bosh_max_wait = 60`); later lines override earlier ones. */
  extraConfig?: string[]
}

/** Prosody's datamanager file-name encoding: every byte of the UTF-8 that is not alphanumeric as %xx (util/datamanager.lua). */
const encodeName = (s: string): string => [...Buffer.from(s, 'utf8')].map((b) => /[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`).join('')

/** Localparts as Prosody stores them (nodeprep, RFC 6122 §A): lower case; what its accounts here use. */
const LOCALPART = /^[a-z0-9._-]+$/

function localpart (user: string): string {
  const lower = user.toLowerCase()
  if (!LOCALPART.test(lower)) throw new Error(`an account name of letters, digits, '.', '_' and '-' only, not ${JSON.stringify(user)}`)
  return lower
}

/**
 * Accounts written straight into internal_plain's store, which Prosody reads at every
 * authentication (mod_storage_internal keeps no cache of key-value stores): before the start or
 * while it runs, in a millisecond, where `prosodyctl register` is a Lua process of ~50 ms of CPU
 * an account (16 of them in a conformance run).
 */
async function writeAccounts (dir: string, domain: string, users: Array<{ user: string, password: string }>): Promise<void> {
  if (users.length === 0) return
  const accounts = join(dir, 'data', encodeName(domain), 'accounts')
  await mkdir(accounts, { recursive: true })
  for (const { user, password } of users) {
    // Whole or not at all, as Prosody writes its own: a login never reads half a file.
    const file = join(accounts, `${encodeName(localpart(user))}.dat`)
    await writeFile(`${file}.tmp`, `return {\n\t["password"] = ${lua(password)};\n};\n`)
    await rename(`${file}.tmp`, file)
  }
}

export function prosodyConfig (options: ProsodyOptions, layout: ProsodyLayout): string {
  const { dir, domain, mucDomain } = layout
  const lines = [
    'run_as_root = true',
    `data_path = ${lua(join(dir, 'data'))}`,
    `pidfile = ${lua(join(dir, 'prosody.pid'))}`,
    `certificates = ${lua(join(dir, 'certs'))}`,
    `log = { { levels = { min = "info" }, to = "file", filename = ${lua(join(dir, 'prosody.log'))} } }`,
    'interfaces = { "127.0.0.1" }',
    `c2s_ports = { ${layout.c2sPort} }`,
    'c2s_direct_tls_ports = {}',
    `component_ports = { ${layout.componentPort} }`,
    'component_interfaces = { "127.0.0.1" }',
    `http_ports = { ${layout.httpPort} }`,
    'http_interfaces = { "127.0.0.1" }',
    'https_ports = {}',
    's2s_ports = {}',
    'modules_enabled = { "disco", "roster", "saslauth", "ping", "posix", "bosh", "websocket", "offline" }',
    'modules_disabled = { "s2s", "tls" }',
    'c2s_require_encryption = false',
    'allow_unencrypted_plain_auth = true',
    'consider_bosh_secure = true',
    'consider_websocket_secure = true',
    'authentication = "internal_plain"',
    ...(options.extraConfig ?? []),
    `VirtualHost ${lua(domain)}`
  ]
  for (const component of options.components ?? []) {
    lines.push(`Component ${lua(component.domain)}`, `  component_secret = ${lua(component.secret)}`)
  }
  if (mucDomain !== undefined) lines.push(`Component ${lua(mucDomain)} "muc"`)
  return lines.join('\n') + '\n'
}

/** A roster in Prosody's internal storage format (a Lua table keyed by contact JID). */
export function prosodyRoster (items: RosterItem[]): string {
  const entries = items.map((i) => `\t[${lua(i.jid)}] = { subscription = ${lua(i.subscription)}; groups = {}; ${i.name === undefined ? '' : `name = ${lua(i.name)}; `}};`)
  return ['return {', '\t[false] = { version = 1; pending = {}; };', ...entries, '};', ''].join('\n')
}

/** Starts Prosody; the returned handle's stop() kills it and removes its folder. */
export async function startProsody (options: ProsodyOptions = {}): Promise<RunningXmppServer & { readonly pid: number | undefined }> {
  const prosody = findBinary('prosody')
  if (prosody === null) throw new Error('prosody is not installed (apt-get install -y prosody)')
  const domain = options.domain ?? DEFAULT_DOMAIN
  const dir = await mkdtemp(join(tmpdir(), 'gridim-prosody-'))
  const [c2sPort, componentPort, httpPort] = await freePorts(3)
  const layout: ProsodyLayout = { dir, domain, mucDomain: mucDomainOf(options, domain), c2sPort, componentPort, httpPort }
  const config = join(dir, 'prosody.cfg.lua')
  await writeFile(config, prosodyConfig(options, layout))
  let proc: ServerProcess | undefined
  const rosters = new Map<string, RosterItem[]>()

  const launch = async (): Promise<void> => {
    proc = new ServerProcess(prosody, ['-F', '--config', config])
    const started = proc
    // Prosody opens the component port only when a Component is configured.
    const ports = (options.components ?? []).length > 0 ? [c2sPort, componentPort, httpPort] : [c2sPort, httpPort]
    await waitForPorts(ports, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS, () => started.exited)
  }
  try {
    await writeAccounts(dir, domain, [...options.bulkUsers ?? [], ...options.users ?? []])
    await launch()
  } catch (error) {
    await proc?.stop()
    await rm(dir, { recursive: true, force: true })
    throw error
  }
  return {
    name: 'prosody',
    domain,
    ...(layout.mucDomain === undefined ? {} : { mucDomain: layout.mucDomain }),
    c2sPort,
    componentPort,
    httpPort,
    get log () { return proc?.tail ?? '' },
    async register (account) {
      await writeAccounts(dir, domain, [account])
    },
    // Prosody reads a user's roster from storage at login and keeps it while the user is online.
    async addRosterItem (user, item) {
      const items = [...(rosters.get(user) ?? []).filter((i) => i.jid !== item.jid), item]
      rosters.set(user, items)
      const folder = join(dir, 'data', encodeName(domain), 'roster')
      await mkdir(folder, { recursive: true })
      await writeFile(join(folder, `${encodeName(localpart(user))}.dat`), prosodyRoster(items))
    },
    get pid () { return proc?.child.pid },
    async restart () {
      await proc?.stop()
      await launch()
    },
    async stop () {
      await proc?.stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
}
