// A real ejabberd 23.01 on free loopback ports, from a configuration in a temporary folder
// (settings that matter: /work/shared/xmpp-peers.md). ejabberdctl switches to the `ejabberd`
// user when run as root, so that user is given the folder.
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { asEjabberdUser } from './ejabberd-user.ts'
import { join } from 'node:path'
import { findBinary } from './find-binary.ts'
import { freePorts } from './free-port.ts'
import { addEjabberdRosterItem, registerEjabberdUser } from './ejabberd-register.ts'
import { ServerProcess } from './server-process.ts'
import { runCommand } from './run-command.ts'
import { DEFAULT_DOMAIN, DEFAULT_START_TIMEOUT_MS, mucDomainOf, type RunningXmppServer, type XmppServerOptions } from './types.ts'
import { waitForPorts } from './wait-port.ts'

const yaml = (value: string): string => JSON.stringify(value)

interface EjabberdLayout { domain: string, mucDomain?: string, c2sPort: number, componentPort: number, httpPort: number }

export function ejabberdConfig (options: XmppServerOptions, layout: EjabberdLayout): string {
  const components = (options.components ?? []).map((c) => `      ${yaml(c.domain)}: { password: ${yaml(c.secret)} }`)
  return [
    `hosts: [${yaml(layout.domain)}]`,
    'loglevel: info',
    'acme: { auto: false }',
    'auth_method: internal',
    'auth_password_format: plain',
    ...(options.disabledSaslMechanisms === undefined ? [] : [`disable_sasl_mechanisms: [${options.disabledSaslMechanisms.map(yaml).join(', ')}]`]),
    'listen:',
    `  - { port: ${layout.c2sPort}, ip: "127.0.0.1", module: ejabberd_c2s, starttls: false }`,
    `  - port: ${layout.componentPort}`,
    '    ip: "127.0.0.1"',
    '    module: ejabberd_service',
    // A component that authenticates is routed only its own domain: by default ejabberd routes it
    // every domain of the listener (ejabberd_service's global_routes), so with two components
    // the one linked last would get the other's stanzas.
    '    global_routes: false',
    ...(components.length === 0 ? ['    hosts: {}'] : ['    hosts:', ...components]),
    `  - port: ${layout.httpPort}`,
    '    ip: "127.0.0.1"',
    '    module: ejabberd_http',
    '    request_handlers: { /http-bind: mod_bosh, /xmpp-websocket: ejabberd_http_ws, /api: mod_http_api }',
    'api_permissions:',
    '  "console commands": { from: [ejabberd_ctl], who: all, what: "*" }',
    '  "loopback registration": { from: [mod_http_api], who: { ip: 127.0.0.1/8 }, what: [register, add_rosteritem] }',
    'modules:',
    '  mod_roster: {}',
    '  mod_disco: {}',
    '  mod_ping: {}',
    '  mod_offline: {}',
    '  mod_bosh: {}',
    '  mod_http_api: {}',
    '  mod_admin_extra: {}',
    ...(layout.mucDomain === undefined ? [] : [`  mod_muc: { host: ${yaml(layout.mucDomain)} }`])
  ].join('\n') + '\n'
}

/** Starts ejabberd; the returned handle's stop() kills it and removes its folder. */
export async function startEjabberd (options: XmppServerOptions = {}): Promise<RunningXmppServer> {
  const ejabberdctl = findBinary('ejabberdctl')
  if (ejabberdctl === null) throw new Error('ejabberd is not installed (apt-get install -y ejabberd)')
  const domain = options.domain ?? DEFAULT_DOMAIN
  const dir = await mkdtemp(join(tmpdir(), 'gridim-ejabberd-'))
  const [c2sPort, componentPort, httpPort, distPort] = await freePorts(4)
  const layout: EjabberdLayout = { domain, mucDomain: mucDomainOf(options, domain), c2sPort, componentPort, httpPort }
  const node = `gridim${randomBytes(4).toString('hex')}@localhost`
  const folders = { conf: join(dir, 'conf'), spool: join(dir, 'spool'), logs: join(dir, 'logs') }
  let proc: ServerProcess | undefined

  const dirArgs = ['--config-dir', folders.conf, '--spool', folders.spool, '--logs', folders.logs]
  /** `ejabberdctl stop` first: killed outright, ejabberd loses recent writes to its disc_only tables (accounts, offline messages). */
  const halt = async (): Promise<void> => {
    if (proc === undefined || proc.exited !== undefined) return
    await runCommand(ejabberdctl, [...dirArgs, 'stop'], 15_000).catch(() => {})
    await proc.waitExit(10_000)
    await proc.stop()
  }
  const launch = async (): Promise<void> => {
    proc = new ServerProcess(ejabberdctl, [...dirArgs, 'foreground'], await asEjabberdUser())
    const started = proc
    await waitForPorts([c2sPort, componentPort, httpPort], options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS, () => started.exited)
  }
  try {
    for (const folder of Object.values(folders)) await mkdir(folder)
    await writeFile(join(folders.conf, 'ejabberd.yml'), ejabberdConfig(options, layout))
    await writeFile(join(folders.conf, 'ejabberdctl.cfg'), [
      `ERLANG_NODE=${node}`, 'INET_DIST_INTERFACE=127.0.0.1', `ERL_DIST_PORT=${distPort}`, ''
    ].join('\n'))
    await writeFile(join(folders.conf, 'inetrc'), '{lookup,["file","native"]}.\n{host,{127,0,0,1}, ["localhost"]}.\n')
    if (userInfo().uid === 0) await runCommand('chown', ['-R', 'ejabberd:ejabberd', dir])
    await launch()
    for (const account of options.users ?? []) await registerEjabberdUser(httpPort, domain, account)
  } catch (error) {
    await proc?.stop()
    await rm(dir, { recursive: true, force: true })
    throw error
  }
  return {
    name: 'ejabberd',
    domain,
    ...(layout.mucDomain === undefined ? {} : { mucDomain: layout.mucDomain }),
    c2sPort,
    componentPort,
    httpPort,
    get log () { return proc?.tail ?? '' },
    register: async (account) => { await registerEjabberdUser(httpPort, domain, account) },
    addRosterItem: async (user, item) => { await addEjabberdRosterItem(httpPort, domain, user, item) },
    async restart () {
      await halt()
      await launch()
    },
    async stop () {
      await proc?.stop() // the data goes with the folder, so no graceful stop is needed
      await rm(dir, { recursive: true, force: true })
    }
  }
}

