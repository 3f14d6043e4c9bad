// The XMPP sections of a target file: the gateway under test, and the Jabber server it is a
// component of, where the runner's foreign users log in.
//
//   gateway: { url: http://127.0.0.1:8004, domain: grid.example, regionId: …,
//              pageOrigins: { allowed: https://chat.example, refused: https://other.example },  # CORS flow
//              linkTimings: { idlePingMs: 1000, pingTimeoutMs: 2000, retryStartMs: 100 } }  # if shorter than the spec's
//   jabberServer: { kind: prosody, host: 127.0.0.1, port: 5222, domain: jabber.example,
//                   accounts: [{ user: dana, password: … }, …],   # or:
//                   ejabberdApi: http://127.0.0.1:5280/api }        # register + add_rosteritem
//   jabberServer: { simulated: true, domain: jabber.example,           # or the runner plays it:
//                   componentPort: 5347, secret: … }                 # the gateway links to it there
import { randomBytes } from 'node:crypto'
import { SimulatedJabberServer, simulatedEndpoint } from '../jabber/simulated-jabber-server.ts'
import type { GatewayEndpoint, JabberAccount, JabberServerEndpoint } from './target.ts'

export type JabberServerSection =
  | { simulated?: false, kind?: string, host: string, port: number, domain: string, accounts?: JabberAccount[], ejabberdApi?: string }
  | { simulated: true, domain: string, componentPort: number, secret: string, host?: string }

/** Why flows that break, silence or refuse the component link cannot run against a real Jabber server. */
export function notControlled (name: string): string {
  return `the Jabber server is ${name}, which the runner does not control: it cannot cut, silence or refuse the gateway's component link, nor send it stanzas from the server's own address; run with --xmpp simulated (or a target file's jabberServer: { simulated: true }), where the runner plays the Jabber server`
}

/** ejabberd's mod_http_api (with mod_admin_extra): accounts and roster items made over HTTP. */
function ejabberdApi (base: string, domain: string): Pick<JabberServerEndpoint, 'createAccount' | 'addRosterItem'> {
  const call = async (command: string, body: Record<string, string>): Promise<void> => {
    const res = await fetch(`${base.replace(/\/$/, '')}/${command}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) })
    if (!res.ok) throw new Error(`ejabberd ${command}: ${res.status} ${await res.text()}`)
  }
  return {
    async createAccount () {
      const account = { user: `conformance-${randomBytes(6).toString('hex')}`, password: randomBytes(12).toString('base64url') }
      await call('register', { user: account.user, host: domain, password: account.password })
      return account
    },
    async addRosterItem (user, item) {
      const [local, host] = item.jid.includes('@') ? item.jid.split('@') as [string, string] : ['', item.jid]
      await call('add_rosteritem', { localuser: user, localhost: domain, user: local, host, nick: item.name ?? '', group: '', subs: item.subscription })
    }
  }
}

/**
 * The target's gateway and Jabber server, and the capabilities they give (xmpp, gateway,
 * jabber-server). A simulated Jabber server is started here, listening for the gateway's
 * component link; `close` stops it.
 */
export async function xmppTarget (file: string, data: { gateway?: GatewayEndpoint, jabberServer?: JabberServerSection }): Promise<{
  gateway?: GatewayEndpoint
  jabberServer?: JabberServerEndpoint
  capabilities: string[]
  close: () => Promise<void>
}> {
  const { gateway, jabberServer: j } = data
  const timings = gateway?.linkTimings
  if (timings !== undefined && !(['idlePingMs', 'pingTimeoutMs', 'retryStartMs'] as const).every((k) => Number.isInteger(timings[k]) && timings[k] > 0)) {
    throw new Error(`${file}: gateway.linkTimings needs idlePingMs, pingTimeoutMs and retryStartMs, each a positive number of milliseconds`)
  }
  if (gateway !== undefined && (!gateway.url || !gateway.domain)) throw new Error(`${file}: gateway needs url and domain`)
  if (gateway?.pageOrigins !== undefined && (typeof gateway.pageOrigins.allowed !== 'string' || typeof gateway.pageOrigins.refused !== 'string')) {
    throw new Error(`${file}: gateway.pageOrigins needs allowed and refused, each a web origin like https://chat.example.org`)
  }
  if (j?.simulated === true) {
    if (gateway === undefined) throw new Error(`${file}: a simulated Jabber server is for a gateway under test: name the gateway`)
    if (!j.domain || !Number.isInteger(j.componentPort) || !j.secret) throw new Error(`${file}: a simulated jabberServer needs domain, componentPort and secret (the gateway's component configuration)`)
    const server = new SimulatedJabberServer({ domain: j.domain, component: { domain: gateway.domain, secret: j.secret } })
    await server.listen(j.componentPort, j.host ?? '127.0.0.1')
    return { gateway, jabberServer: simulatedEndpoint(server, timings), capabilities: ['xmpp', 'gateway', 'jabber-server', 'control-jabber-server'], close: () => server.close() }
  }
  if (j !== undefined && (!j.host || !j.port || !j.domain)) throw new Error(`${file}: jabberServer needs host, port and domain`)
  if (j !== undefined && !j.accounts?.length && !j.ejabberdApi) throw new Error(`${file}: jabberServer needs accounts or ejabberdApi, so the runner has foreign users to log in as`)
  return {
    ...(gateway === undefined ? {} : { gateway }),
    ...(j === undefined ? {} : { jabberServer: { kind: j.kind ?? 'jabber server', host: j.host, port: j.port, domain: j.domain, accounts: j.accounts, ...(j.ejabberdApi ? ejabberdApi(j.ejabberdApi, j.domain) : {}) } }),
    capabilities: [...(gateway === undefined ? [] : ['xmpp', 'gateway']), ...(j === undefined ? [] : ['jabber-server'])],
    close: async () => {}
  }
}
