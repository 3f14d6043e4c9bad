// `gridim gateway` refuses to start, naming what to change, when its set-up cannot work
// (GRIDIM-XMPP-58, -59): a gateway domain other than the user server's, a component handshake
// the Jabber server refuses (here the runner's simulated Jabber server), a bad allowed origin.
// Real processes: `gridim user-server` and `gridim gateway`.
import t, { type Test } from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SimulatedJabberServer } from '../../conformance/jabber/simulated-jabber-server.ts'
import { runToExit, startRole } from './processes.ts'

const TOKEN = 'start-up-token'

async function userServer (t: Test, domain: string): Promise<{ url: string, data: string }> {
  const data = mkdtempSync(join(tmpdir(), 'gridim-start-up-'))
  t.teardown(() => rmSync(data, { recursive: true, force: true }))
  const role = await startRole(['user-server', '--data', join(data, 'us'), '--admin-token', TOKEN, '--gateway-domain', domain])
  t.teardown(() => role.stop())
  return { url: role.ready.url, data }
}

const gatewayArgs = (url: string, data: string, domain: string, extra: string[] = []): string[] =>
  ['gateway', '--user-server', url, '--admin-token', TOKEN, '--data', join(data, 'gw'), '--gateway-domain', domain, '--port', '0', ...extra]

t.test('GRIDIM-XMPP-58: a gateway whose domain is not the user server\'s exits 1, naming both domains and the flag', async (t) => {
  const { url, data } = await userServer(t, 'grid.example')
  const started = Date.now()
  const run = await runToExit(gatewayArgs(url, data, 'grid.localhost'))
  t.comment(`refused in ${Date.now() - started} ms`)
  t.equal(run.code, 1)
  t.equal(run.stdout, '', 'never ready')
  t.match(run.stderr, /gridim: the user server's gateway domain is grid\.example but this gateway's is grid\.localhost: start the gateway with --gateway-domain grid\.example/)
})

t.test('the same domain in another case is the same domain: the gateway starts', async (t) => {
  const { url, data } = await userServer(t, 'grid.example')
  const gateway = await startRole(gatewayArgs(url, data, 'GRID.example'))
  t.teardown(() => gateway.stop())
  t.equal(gateway.ready.role, 'gateway')
})

t.test('GRIDIM-XMPP-59: a component secret the Jabber server refuses stops the gateway with one clear error', async (t) => {
  const { url, data } = await userServer(t, 'grid.localhost')
  const jabber = new SimulatedJabberServer({ domain: 'jabber.localhost', component: { domain: 'grid.localhost', secret: 'the-right-secret' } })
  const port = await jabber.listen()
  t.teardown(() => jabber.close())
  const run = await runToExit(gatewayArgs(url, data, 'grid.localhost', ['--jabber', `127.0.0.1:${port}`, '--jabber-secret', 'a-wrong-secret', '--jabber-domain', 'jabber.localhost']))
  t.equal(run.code, 1)
  t.match(run.stderr, new RegExp(`gridim: the Jabber server at 127\\.0\\.0\\.1:${port} \\(jabber\\.localhost\\) refused the component handshake with not-authorized; .*--jabber-secret`))
  t.equal(run.stderr.match(/refused the component handshake/g)?.length, 1, 'said once, not retried')
})

t.test('GRIDIM-XMPP-59: a component domain the Jabber server does not know stops the gateway, naming the domain', async (t) => {
  const { url, data } = await userServer(t, 'grid.other')
  const jabber = new SimulatedJabberServer({ domain: 'jabber.localhost', component: { domain: 'grid.localhost', secret: 's' } })
  const port = await jabber.listen()
  t.teardown(() => jabber.close())
  const run = await runToExit(gatewayArgs(url, data, 'grid.other', ['--jabber', `127.0.0.1:${port}`, '--jabber-secret', 's', '--jabber-domain', 'jabber.localhost']))
  t.equal(run.code, 1)
  t.match(run.stderr, /refused the component handshake with host-unknown; it has no component grid\.other/)
})

t.test('GRIDIM-XMPP-57: a --bosh-allow-origin that is not an origin exits 1 with the value', async (t) => {
  const { url, data } = await userServer(t, 'grid.localhost')
  const run = await runToExit(gatewayArgs(url, data, 'grid.localhost', ['--bosh-allow-origin', 'http://127.0.0.1:8080,chat.example.org']))
  t.equal(run.code, 1)
  t.match(run.stderr, /gridim: allowed origin "chat\.example\.org" is not an origin/)
})
