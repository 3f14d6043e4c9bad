import t from 'tap'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { configureConnection, migrate, migrations, type Migration } from './migrations.ts'
import { openSqliteStore } from './sqlite-store.ts'
import { tempDir } from './test-support.ts'

const version = (db: Database.Database) => db.pragma('user_version', { simple: true })

t.test('a new database is migrated to the latest version, and migrating again changes nothing', (t) => {
  const db = new Database(':memory:')
  t.teardown(() => db.close())
  t.same(migrate(db), { from: 0, to: migrations.length })
  t.same(migrate(db), { from: migrations.length, to: migrations.length })
  t.equal(version(db), migrations.length)
  t.end()
})

t.test('reopening a store file applies no migration twice and keeps WAL, foreign keys and busy timeout', async (t) => {
  const path = join(tempDir(t), 'grid.db')
  for (let open = 0; open < 3; open++) await openSqliteStore(path).close()

  const db = new Database(path)
  t.teardown(() => db.close())
  t.equal(version(db), migrations.length)
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal', 'WAL is a property of the file')
  configureConnection(db)
  t.equal(db.pragma('foreign_keys', { simple: true }), 1)
  t.equal(db.pragma('busy_timeout', { simple: true }), 5000)
  t.same(migrate(db), { from: migrations.length, to: migrations.length })
})

t.test('later migrations apply on top of earlier ones, each step counted in user_version', (t) => {
  const db = new Database(':memory:')
  t.teardown(() => db.close())
  const steps: Migration[] = [
    { name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
    { name: 'two', sql: 'ALTER TABLE a ADD COLUMN y INTEGER' },
  ]
  t.same(migrate(db, steps.slice(0, 1)), { from: 0, to: 1 })
  t.same(migrate(db, steps), { from: 1, to: 2 })
  t.same(
    db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('a'),
    ['x', 'y'],
  )
  t.end()
})

t.test('a failing migration rolls back whole and names itself', (t) => {
  const db = new Database(':memory:')
  t.teardown(() => db.close())
  const steps: Migration[] = [
    { name: 'fine', sql: 'CREATE TABLE a (x INTEGER)' },
    { name: 'broken', sql: 'CREATE TABLE b (x INTEGER); CREATE TABLE a (x INTEGER)' },
  ]
  t.throws(() => migrate(db, steps), /migration 2 \(broken\) failed/)
  t.equal(version(db), 1, 'the first step stays applied')
  t.same(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all(), ['a'], 'b was rolled back')
  t.end()
})

t.test('a database from a newer server is refused, not downgraded', (t) => {
  const path = join(tempDir(t), 'future.db')
  const db = new Database(path)
  db.pragma(`user_version = ${migrations.length + 1}`)
  db.close()
  t.throws(() => openSqliteStore(path), /newer than this server knows/)
  t.end()
})
