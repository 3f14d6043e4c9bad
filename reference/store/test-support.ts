/**
 * Helpers for the store's tests: throwaway stores of both kinds and a few rows to hang data on.
 *
 * `eachStore` runs a test file's body once on SQLite and once on PostgreSQL. The PostgreSQL
 * side starts one temporary server per test file (tools/postgres/temporary-server.ts) and gives
 * each test a fresh schema in it. GRIDIM_SKIP_POSTGRES=1 skips the PostgreSQL side, visibly;
 * without it, a machine with no PostgreSQL fails those tests, naming what to install.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import tap, { type Test } from 'tap'
import pg from 'pg'
import { openSqliteStore } from './sqlite-store.ts'
import { openPostgresStore } from './postgres-store.ts'
import type { RegionKind, Store } from './store.ts'
import { startTemporaryPostgres, type TemporaryPostgres } from '../../tools/postgres/temporary-server.ts'

interface Teardown {
  teardown(fn: () => void | Promise<void>): void
}

/** A fresh directory under the OS temp dir, removed when the test ends. */
export function tempDir(t: Teardown): string {
  const dir = mkdtempSync(join(tmpdir(), 'gridim-store-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** An in-memory store, closed when the test ends. */
export function memoryStore(t: Teardown): Store {
  const store = openSqliteStore(':memory:')
  t.teardown(() => store.close())
  return store
}

export const skipPostgres = process.env['GRIDIM_SKIP_POSTGRES'] === '1'

let server: Promise<TemporaryPostgres> | null = null

/** This test file's temporary PostgreSQL, started on first use and stopped when the file ends. */
export function testPostgres(): Promise<TemporaryPostgres> {
  if (server === null) {
    // Not the C locale: what depends on the locale (case folding) must not pass by luck.
    server = startTemporaryPostgres({ durable: false, locale: 'C.utf8' })
    const started = server
    tap.teardown(async () => {
      await (await started.catch(() => null))?.stop()
    })
  }
  return server
}

/** A URL of `base` whose connections use `schema` (created here, empty) for everything. */
export async function freshSchemaUrl(base: string): Promise<string> {
  const schema = `t_${randomUUID().replaceAll('-', '')}`
  const client = new pg.Client({ connectionString: base })
  await client.connect()
  try {
    await client.query(`CREATE SCHEMA ${schema}`)
  } finally {
    await client.end()
  }
  const url = new URL(base)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return url.toString()
}

/** A PostgreSQL store on a fresh schema of this file's server, closed when the test ends. */
export async function postgresStore(t: Teardown, poolSize = 4): Promise<Store> {
  const url = await freshSchemaUrl((await testPostgres()).url)
  const store = await openPostgresStore(url, { poolSize })
  t.teardown(() => store.close())
  return store
}

export type FreshStore = (t: Teardown) => Promise<Store>

/**
 * Runs body twice, as subtests "SQLite" and "PostgreSQL"; `fresh(t)` gives an empty store of
 * that kind, closed when t ends.
 */
export function eachStore(t: Test, body: (t: Test, fresh: FreshStore) => void): void {
  t.test('SQLite', async (t) => body(t, async (t) => memoryStore(t)))
  t.test('PostgreSQL', skipPostgres ? { skip: 'GRIDIM_SKIP_POSTGRES=1' } : {}, async (t) => {
    await testPostgres()
    body(t, (t) => postgresStore(t))
  })
}

export async function addUser(store: Store, firstName: string, lastName = 'Tester'): Promise<string> {
  const userId = randomUUID()
  await store.createUser({ userId, firstName, lastName, passwordHash: 'hash', passwordSalt: 'salt', createdAt: 0 })
  return userId
}

export async function addRegion(store: Store, name: string, kind: RegionKind = 'region'): Promise<string> {
  const regionId = randomUUID()
  await store.provisionRegion({ regionId, name, kind, publicKey: `key-of-${name}` })
  return regionId
}

/** Users with the given first names, created one after the other. */
export async function addUsers(store: Store, ...firstNames: string[]): Promise<string[]> {
  const ids: string[] = []
  for (const name of firstNames) ids.push(await addUser(store, name))
  return ids
}
