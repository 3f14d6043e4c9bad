// A target file names a gateway and a Jabber server; the runner then has the XMPP capabilities.
import t from 'tap'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadTargetFile } from './target-file.ts'

const dir = mkdtempSync(join(tmpdir(), 'gridim-target-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))

function file (yaml: string): string {
  const path = join(dir, `t${Math.random().toString(16).slice(2)}.yaml`)
  writeFileSync(path, `userServer: { url: 'http://127.0.0.1:8000', adminToken: s }\nregions: [{ url: 'http://127.0.0.1:8001' }]\n${yaml}`)
  return path
}

t.test('without a gateway the XMPP capabilities are absent', async (t) => {
  const { target } = await loadTargetFile(file(''))
  t.notOk(target.capabilities.has('gateway'))
  t.equal(target.jabberServer, undefined)
})

t.test('a grid under test cannot have link faults, even when its file claims them, and says why', async (t) => {
  const { target } = await loadTargetFile(file('capabilities: [admin-settings, link-faults]'))
  t.same([...target.capabilities], ['admin-settings'])
  t.match(target.missing?.['link-faults'], /URLs the runner does not choose/)
  t.equal(target.links, undefined)
})

t.test('a target says its regions batch (batching-sender, GRIDIM-IM-32 being a SHOULD); without it the flow is impossible, and says why', async (t) => {
  const said = (await loadTargetFile(file('capabilities: [batching-sender]'))).target
  t.ok(said.capabilities.has('batching-sender'))
  t.equal(said.missing?.['batching-sender'], undefined)
  const silent = (await loadTargetFile(file(''))).target
  t.notOk(silent.capabilities.has('batching-sender'))
  t.match(silent.missing?.['batching-sender'], /GRIDIM-IM-32 recommends/)
})

t.test('a gateway and a Jabber server with accounts', async (t) => {
  const { target } = await loadTargetFile(file([
    'gateway: { url: "http://127.0.0.1:8004", domain: grid.example, regionId: 7d0c6e0e-5a1b-4c2d-8e3f-0000000000ff }',
    'jabberServer: { kind: prosody, host: 127.0.0.1, port: 5222, domain: jabber.example, accounts: [{ user: dana, password: pw }] }'
  ].join('\n')))
  t.same([...target.capabilities].sort(), ['gateway', 'jabber-server', 'xmpp'])
  t.match(target.gateway, { url: 'http://127.0.0.1:8004', domain: 'grid.example' })
  t.match(target.jabberServer, { kind: 'prosody', host: '127.0.0.1', port: 5222, domain: 'jabber.example', accounts: [{ user: 'dana', password: 'pw' }] })
  t.equal(target.jabberServer?.createAccount, undefined, 'accounts only: the runner cannot make more')
})

t.test('ejabberd\'s HTTP API lets the runner make accounts and roster items', async (t) => {
  const { target } = await loadTargetFile(file('gateway: { url: "http://127.0.0.1:8004", domain: grid.example }\njabberServer: { host: 127.0.0.1, port: 5222, domain: jabber.example, ejabberdApi: "http://127.0.0.1:5280/api" }'))
  t.type(target.jabberServer?.createAccount, 'function')
  t.type(target.jabberServer?.addRosterItem, 'function')
})

t.test('incomplete XMPP sections are refused with the member that is missing', async (t) => {
  await t.rejects(async () => await loadTargetFile(file('gateway: { url: "http://127.0.0.1:8004" }')), /gateway needs url and domain/)
  await t.rejects(async () => await loadTargetFile(file('jabberServer: { host: 127.0.0.1, port: 5222, domain: jabber.example }')), /needs accounts or ejabberdApi/)
})

t.test('a simulated Jabber server: the runner listens for the gateway\'s component link and plays the foreign users', async (t) => {
  const { target } = await loadTargetFile(file('gateway: { url: "http://127.0.0.1:8004", domain: grid.example }\njabberServer: { simulated: true, domain: jabber.example, componentPort: 0, secret: s3cret }'))
  t.teardown(() => target.close())
  t.same([...target.capabilities].sort(), ['control-jabber-server', 'gateway', 'jabber-server', 'xmpp'])
  t.match(target.jabberServer, { kind: 'simulated', domain: 'jabber.example' })
  t.type(target.jabberServer?.link, 'object', 'the runner plays the Jabber server: the flows may break its component link')
  t.match(target.missing, { 'restart-gateway': /runs on its own/ })
  t.type(target.jabberServer?.connect, 'function')
  const account = await target.jabberServer!.createAccount!()
  const session = await target.jabberServer!.connect!({ username: account.user, password: account.password })
  t.match(session.jid, /^u[0-9a-f]+@jabber\.example\//)
  await session.close()
})

t.test('a real Jabber server: the flows that break the link are impossible, and say why', async (t) => {
  const { target } = await loadTargetFile(file('gateway: { url: "http://127.0.0.1:8004", domain: grid.example }\njabberServer: { kind: prosody, host: 127.0.0.1, port: 5222, domain: jabber.example, accounts: [{ user: dana, password: x }] }'))
  t.teardown(() => target.close())
  t.notOk(target.capabilities.has('control-jabber-server'))
  t.match(target.missing?.['control-jabber-server'], /prosody, which the runner does not control/)
})

t.test('link timings a gateway declares are positive numbers of milliseconds', async (t) => {
  await t.rejects(async () => await loadTargetFile(file('gateway: { url: "http://127.0.0.1:8004", domain: grid.example, linkTimings: { idlePingMs: 0 } }')), /linkTimings needs idlePingMs, pingTimeoutMs and retryStartMs/)
  const { target } = await loadTargetFile(file('gateway: { url: "http://127.0.0.1:8004", domain: grid.example, linkTimings: { idlePingMs: 1000, pingTimeoutMs: 2000, retryStartMs: 100 } }\njabberServer: { simulated: true, domain: jabber.example, componentPort: 0, secret: s3cret }'))
  t.teardown(() => target.close())
  t.same(target.gateway?.linkTimings, { idlePingMs: 1000, pingTimeoutMs: 2000, retryStartMs: 100 })
})

t.test('a simulated Jabber server needs the gateway and its component settings', async (t) => {
  await t.rejects(async () => await loadTargetFile(file('jabberServer: { simulated: true, domain: jabber.example, componentPort: 0, secret: s }')), /is for a gateway under test/)
  await t.rejects(async () => await loadTargetFile(file('gateway: { url: "http://127.0.0.1:8004", domain: grid.example }\njabberServer: { simulated: true, domain: jabber.example }')), /needs domain, componentPort and secret/)
})
