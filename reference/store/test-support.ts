/** Helpers for the store's tests: throwaway stores and a few rows to hang data on. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { openSqliteStore } from './sqlite-store.ts'
import type { RegionKind, Store } from './store.ts'

interface Teardown {
  teardown(fn: () => void): void
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

export function addUser(store: Store, firstName: string, lastName = 'Tester'): string {
  const userId = randomUUID()
  store.createUser({ userId, firstName, lastName, passwordHash: 'hash', passwordSalt: 'salt', createdAt: 0 })
  return userId
}

export function addRegion(store: Store, name: string, kind: RegionKind = 'region'): string {
  const regionId = randomUUID()
  store.provisionRegion({ regionId, name, kind, publicKey: `key-of-${name}` })
  return regionId
}
