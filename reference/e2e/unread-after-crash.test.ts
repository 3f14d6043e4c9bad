// End to end, separate processes: a region killed with SIGKILL loses nothing it answered
// `delivered` (GRIDIM-IM-20). Started again with the same --data and --region-id it returns what
// its session left unread (GRIDIM-OFFL-13), signs off the session the crash left behind, and the
// recipient gets every message exactly once: those read before the crash are not shown again.
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ClientSession, is } from '../../conformance/lib/client-session.ts'
import { startProcessGrid } from './process-grid.ts'
import { startRole, type RoleProcess } from './processes.ts'

const SENT = 10
const READ_BEFORE_CRASH = 4

t.test('kill -9 of the recipient\'s region: every message answered delivered is read exactly once', async (t) => {
  const grid = await startProcessGrid({ regions: 1 })
  t.teardown(() => grid.stop())
  // The recipient's region keeps its file in a folder that does not exist yet (--data creates it).
  const regionId = randomUUID()
  const data = join(grid.dataDir, 'recipient', 'data')
  const args = ['region', '--user-server', grid.userServerUrl, '--admin-token', grid.adminToken, '--name', 'Crashing region',
    '--region-id', regionId, '--data', data, '--port', '0']
  let region: RoleProcess = await startRole(args)
  t.teardown(() => region.stop())
  t.ok(existsSync(join(data, `region-${regionId}.sqlite`)), '--data DIR was created and holds the region\'s file')

  const [A, B] = [await grid.createUser('Ada'), await grid.createUser('Bea')]
  await grid.admin('adminCreateFriendship', { body: { userIds: [A.userId, B.userId], rights: { ab: 1, ba: 1 } } })
  const a = await grid.login(A, 0)
  const b = await ClientSession.login(region.ready.url, B.firstName, B.lastName, B.password)

  const ids: string[] = []
  for (let i = 1; i <= SENT; i++) {
    const sent = await a.call('clientSendInstantMessage', { body: { toUserId: B.userId, body: `m${i}` } })
    t.equal(sent.outcome, 'delivered', `m${i} delivered`)
    ids.push(sent.messageId)
  }
  // B's client reads past the first four only (GRIDIM-CLI-10), then the region dies.
  const page = await b.call('clientListEvents')
  const fourth = page.events.find((e) => e.type === 'instantMessage' && e.data.messageId === ids[READ_BEFORE_CRASH - 1])!
  await b.call('clientListEvents', { query: { after: fourth.id } })
  await region.kill()

  region = await startRole(args)
  // The restart signed off the session the crash left, so this is a new sign-on, not a ghost.
  const again = await ClientSession.login(region.ready.url, B.firstName, B.lastName, B.password)
  for (const id of ids.slice(READ_BEFORE_CRASH)) {
    await again.waitFor((e) => e.type === 'instantMessage' && e.data.messageId === id, 15_000, `message ${id}`)
  }
  await again.poll(0)
  const shown = again.seen(is.type('instantMessage')).map((e) => e.data.messageId as string)
  const readBefore = ids.slice(0, READ_BEFORE_CRASH)
  const all = [...readBefore, ...shown]
  t.same([...new Set(all)].sort(), [...ids].sort(), 'sent = read')
  t.equal(all.length, ids.length, 'each exactly once')
  t.comment(`sent ${SENT}, read before the crash ${READ_BEFORE_CRASH}, read after the restart ${shown.length}, lost ${SENT - new Set(all).size}, shown twice ${all.length - new Set(all).size}`)
})
