import t from 'tap'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { processRuns, startTemporaryPostgres } from './temporary-server.ts'

const skip = process.env['GRIDIM_SKIP_POSTGRES'] === '1' ? 'GRIDIM_SKIP_POSTGRES=1' : false

t.test('without the binaries, starting fails naming the command that installs them', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'gridim-no-postgres-'))
  t.teardown(() => rmSync(empty, { recursive: true, force: true }))
  await t.rejects(startTemporaryPostgres({ installRoot: empty }), /apt-get install -y postgresql/)
})

t.test('a temporary server answers on its URL, makes databases, and is gone after stop()', { skip }, async (t) => {
  const server = await startTemporaryPostgres({ durable: false })
  let stopped = false
  t.teardown(() => (stopped ? undefined : server.stop()))
  t.match(server.url, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/gridim$/)
  const ask = async (url: string, sql: string): Promise<unknown> => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      return (await client.query(sql)).rows[0]
    } finally {
      await client.end()
    }
  }
  t.same(await ask(server.url, `SELECT current_database() AS db, current_setting('fsync') AS fsync`), { db: 'gridim', fsync: 'off' })
  t.same(await ask(await server.createDatabase('other'), 'SELECT current_database() AS db'), { db: 'other' })
  t.ok(existsSync(server.dir))
  await server.stop()
  stopped = true
  t.notOk(existsSync(server.dir), 'its directory is removed')
  t.equal(processRuns(server.pid), false, 'the postmaster is gone')
})
