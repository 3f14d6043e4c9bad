// `gridim user-server --data DIR` and `gridim grid --data DIR` create DIR, however deep, when it
// does not exist yet (issue 11: the user server failed instead).
import t from 'tap'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRole } from './processes.ts'

t.test('gridim user-server creates a --data directory that does not exist', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gridim-data-'))
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const dir = join(root, 'not', 'yet', 'there')
  const role = await startRole(['user-server', '--data', dir, '--admin-token', 'secret'])
  t.teardown(() => role.stop())
  t.equal(role.ready.role, 'user-server')
  t.ok(existsSync(join(dir, 'user-server.sqlite')), 'the database is in it')
  t.ok(existsSync(join(dir, 'keys', 'user-server.pem')), 'and the key')
})

t.test('gridim grid creates a --data directory that does not exist', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'gridim-data-'))
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const dir = join(root, 'deeper', 'still')
  const role = await startRole(['grid', '--data', dir, '--regions', '1'], { timeoutMs: 40_000 })
  t.teardown(() => role.stop())
  t.equal(role.ready.role, 'grid')
  t.ok(existsSync(join(dir, 'grid.json')))
})
