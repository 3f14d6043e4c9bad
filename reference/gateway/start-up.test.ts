// The gateway in-process against a real user server (startGrid) and the component test server:
// what it checks before serving (GRIDIM-XMPP-58, -59), and that a stanza from the Jabber server
// that names no user is answered rather than dropped (GRIDIM-XMPP-60).
import t, { type Test } from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID, generateKeyPairSync } from 'node:crypto'
import { parse, type Element } from 'ltx'
import { createLogger } from '../lib/http/index.ts'
import { startGrid } from '../grid/start-grid.ts'
import { FakeComponentServer } from '../xmpp/component/fake-server.ts'
import { createGateway } from './create-gateway.ts'
import { GatewayConfigError } from './start-up-checks.ts'
import { answerToNonUser } from './not-from-a-user.ts'

const GW = 'grid.localhost'
const SECRET = 'component-secret'

function dataDir (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'gridim-gw-start-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function until (what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

t.test('GRIDIM-XMPP-58: a gateway whose domain is not the user server\'s refuses to start, naming both and the flag', async (t) => {
  const grid = await startGrid({ dataDir: dataDir(t), regionCount: 0, logger: createLogger({}, () => {}), gateway: { domain: GW } })
  t.teardown(() => grid.stop())
  const other = createGateway({
    regionId: randomUUID(), name: 'other gateway', ...generateKeyPairSync('ed25519'), userServerUrl: grid.userServerUrl,
    domain: 'grid.example', logger: createLogger({}, () => {})
  })
  await t.rejects(other.start(), { name: 'GatewayConfigError', message: /the user server's gateway domain is grid\.localhost but this gateway's is grid\.example: start the gateway with --gateway-domain grid\.localhost/ })
  t.equal(other.url, '', 'it never listened')
})

t.test('GRIDIM-XMPP-59: a refused component handshake fails start-up with what to change', async (t) => {
  const jabber = new FakeComponentServer(GW, SECRET)
  await jabber.listen()
  t.teardown(() => jabber.crash())
  const error = await startGrid({
    dataDir: dataDir(t), regionCount: 0, logger: createLogger({}, () => {}),
    gateway: { domain: GW, jabberServer: { host: '127.0.0.1', port: jabber.port, secret: 'wrong', serverDomain: 'jabber.localhost' } }
  }).then(() => undefined, (err: unknown) => err)
  t.ok(error instanceof GatewayConfigError, 'a configuration error')
  t.match((error as Error).message, /refused the component handshake with not-authorized; the shared secret is wrong.*--jabber-secret/)
  t.equal(jabber.connections, 1, 'tried once')
})

t.test('GRIDIM-XMPP-60: a message or IQ from the Jabber server itself gets service-unavailable; presence and errors get nothing', async (t) => {
  const jabber = new FakeComponentServer(GW, SECRET)
  await jabber.listen()
  t.teardown(() => jabber.crash())
  const grid = await startGrid({
    dataDir: dataDir(t), regionCount: 0, logger: createLogger({}, () => {}),
    gateway: { domain: GW, jabberServer: { host: '127.0.0.1', port: jabber.port, secret: SECRET, serverDomain: 'jabber.localhost' } }
  })
  t.teardown(() => grid.stop())
  jabber.push("<presence from='jabber.localhost' to='ada.lovelace@grid.localhost'/>")
  jabber.push("<message from='jabber.localhost' to='ada.lovelace@grid.localhost' type='error' id='e0'><body>x</body></message>")
  jabber.push("<message from='jabber.localhost' to='ada.lovelace@grid.localhost' id='m1'><body>Server going down at noon</body></message>")
  jabber.push("<iq from='jabber.localhost' to='grid.localhost' type='get' id='q1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>")
  await until('two answers', () => jabber.received.length >= 2)
  const answers = jabber.received.map((el: Element) => `${el.name} ${String(el.attrs.id)} ${String(el.attrs.type)} ${String(el.attrs.to)} ${String(el.getChild('error')?.children.map((c) => (c as Element).name).join(','))}`)
  t.same(answers, [
    'message m1 error jabber.localhost service-unavailable,text',
    'iq q1 error jabber.localhost service-unavailable,text'
  ])
})

t.test('what is owed to a sender that is no user, as a table', async (t) => {
  const cases: Array<[string, boolean]> = [
    ["<message from='j' type='chat'><body>b</body></message>", true],
    ["<message from='j'><body>b</body></message>", true],
    ["<message from='j' type='headline'><body>b</body></message>", false],
    ["<message from='j'><active xmlns='http://jabber.org/protocol/chatstates'/></message>", false],
    ["<iq from='j' type='set' id='1'/>", true],
    ["<iq from='j' type='result' id='1'/>", false],
    ["<presence from='j' type='subscribe'/>", false]
  ]
  for (const [xml, owed] of cases) t.equal(answerToNonUser(parse(xml) as Element, GW) !== undefined, owed, xml)
})

t.test('GRIDIM-XMPP-59: a refusal after start-up (the Jabber server came back with another secret) is logged once as an error, and the link stops', async (t) => {
  const jabber = new FakeComponentServer(GW, SECRET)
  const port = await jabber.listen()
  const lines: string[] = []
  // Logs are silent under tap unless asked for; this test reads the error line.
  const level = process.env.GRIDIM_LOG
  process.env.GRIDIM_LOG = 'error'
  t.teardown(() => { if (level === undefined) delete process.env.GRIDIM_LOG; else process.env.GRIDIM_LOG = level })
  const grid = await startGrid({
    dataDir: dataDir(t), regionCount: 0, logger: createLogger({}, (line) => { lines.push(line) }),
    gateway: { domain: GW, jabberServer: { host: '127.0.0.1', port, secret: SECRET, serverDomain: 'jabber.localhost' } }
  })
  t.teardown(() => grid.stop())
  await jabber.crash()
  const changed = new FakeComponentServer(GW, 'a-new-secret')
  await changed.listen(port)
  t.teardown(() => changed.crash())
  await until('the refusal', () => grid.gateway!.component?.refusal !== undefined, 10_000)
  const errors = lines.map((l) => JSON.parse(l) as { level: string, msg: string }).filter((l) => l.level === 'error')
  t.equal(errors.length, 1)
  t.match(errors[0]!.msg, /refused the component handshake with not-authorized; .*--jabber-secret/)
  t.equal(changed.connections, 1, 'not tried again')
})

t.test('an orderly stop closes the link without saying it is down; a Jabber server that goes away is', async (t) => {
  const lines: string[] = []
  const level = process.env.GRIDIM_LOG
  process.env.GRIDIM_LOG = 'info'
  t.teardown(() => { if (level === undefined) delete process.env.GRIDIM_LOG; else process.env.GRIDIM_LOG = level })
  const logged = (): Array<{ level: string, msg: string }> => lines.map((l) => JSON.parse(l) as { level: string, msg: string }).filter((l) => /Jabber server/.test(l.msg))
  const start = async (jabber: FakeComponentServer): Promise<Awaited<ReturnType<typeof startGrid>>> => {
    const port = await jabber.listen()
    t.teardown(() => jabber.crash())
    const grid = await startGrid({
      dataDir: dataDir(t), regionCount: 0, logger: createLogger({}, (line) => { lines.push(line) }),
      gateway: { domain: GW, jabberServer: { host: '127.0.0.1', port, secret: SECRET, serverDomain: 'jabber.localhost' } }
    })
    await until('the link', () => grid.gateway!.component?.online === true)
    return grid
  }

  const stopped = await start(new FakeComponentServer(GW, SECRET))
  await stopped.stop()
  t.same(logged().map((l) => `${l.level} ${l.msg}`), ['info linked to the Jabber server', 'info unlinked from the Jabber server'])

  lines.length = 0
  const jabber = new FakeComponentServer(GW, SECRET)
  const grid = await start(jabber)
  t.teardown(() => grid.stop())
  await jabber.crash()
  await until('the warning', () => logged().some((l) => l.level === 'warn'))
  t.same(logged().map((l) => `${l.level} ${l.msg}`).slice(0, 2), ['info linked to the Jabber server', 'warn the link to the Jabber server is down'])
})
