// A target file (YAML or JSON) names the roles under test of another implementation:
//
//   name: my grid
//   userServer: { url: http://127.0.0.1:8000, adminToken: secret }
//   regions: [{ name: R1, url: http://127.0.0.1:8001 }, { name: R2, url: ... }, { name: R3, url: ... }]
//   gateway: { url: http://127.0.0.1:8004, domain: grid.example, regionId: … }   # the XMPP gateway
//   jabberServer: { kind: prosody, host: 127.0.0.1, port: 5222, domain: jabber.example,
//                   accounts: [{ user: dana, password: … }, …],   # or:
//                   ejabberdApi: http://127.0.0.1:5280/api }        # register + add_rosteritem
//   capabilities: [admin-settings]       # optional abilities it offers
//   expectedFailures: [{ flow: x-some-flow, reason: not yet }]
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import type { ExpectedFailure } from '../runner/run-suite.ts'
import type { GatewayEndpoint, JabberAccount, JabberServerEndpoint, Target } from './target.ts'

export type TargetFile = {
  name?: string
  userServer: { url: string, adminToken: string }
  regions: Array<{ name?: string, url: string, regionId?: string }>
  gateway?: GatewayEndpoint
  jabberServer?: { kind?: string, host: string, port: number, domain: string, accounts?: JabberAccount[], ejabberdApi?: string }
  capabilities?: string[]
  expectedFailures?: ExpectedFailure[]
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

function jabberServer (file: string, j: NonNullable<TargetFile['jabberServer']>): JabberServerEndpoint {
  if (!j.host || !j.port || !j.domain) throw new Error(`${file}: jabberServer needs host, port and domain`)
  if (!j.accounts?.length && !j.ejabberdApi) throw new Error(`${file}: jabberServer needs accounts or ejabberdApi, so the runner has foreign users to log in as`)
  return { kind: j.kind ?? 'jabber server', host: j.host, port: j.port, domain: j.domain, accounts: j.accounts, ...(j.ejabberdApi ? ejabberdApi(j.ejabberdApi, j.domain) : {}) }
}

export function loadTargetFile (file: string): { target: Target, expectedFailures: ExpectedFailure[] } {
  const data = parse(readFileSync(file, 'utf8')) as TargetFile
  if (!data?.userServer?.url || !data.userServer.adminToken) throw new Error(`${file}: userServer.url and userServer.adminToken are required`)
  if (!Array.isArray(data.regions) || data.regions.length === 0) throw new Error(`${file}: at least one region is required`)
  if (data.gateway !== undefined && (!data.gateway.url || !data.gateway.domain)) throw new Error(`${file}: gateway needs url and domain`)
  const capabilities = new Set(data.capabilities ?? [])
  if (data.gateway) { capabilities.add('gateway'); capabilities.add('xmpp') }
  if (data.jabberServer) capabilities.add('jabber-server')
  return {
    target: {
      name: data.name ?? file,
      userServerUrl: data.userServer.url,
      adminToken: data.userServer.adminToken,
      regions: data.regions.map((r, i) => ({ name: r.name ?? `R${i + 1}`, url: r.url, regionId: r.regionId })),
      gateway: data.gateway,
      ...(data.jabberServer ? { jabberServer: jabberServer(file, data.jabberServer) } : {}),
      capabilities,
      close: async () => {}
    },
    expectedFailures: data.expectedFailures ?? []
  }
}
