/**
 * The Store on an SQLite file (better-sqlite3). Every statement is prepared once, when the
 * store opens; each area lives in its own module under sqlite/.
 */
import Database from 'better-sqlite3'
import { configureConnection, migrate } from './migrations.ts'
import type { Store } from './store.ts'
import { sqliteFriendshipStore } from './sqlite/friendships.ts'
import { sqliteGroupSessionStore } from './sqlite/group-sessions.ts'
import { sqliteGroupStore } from './sqlite/groups.ts'
import { sqliteOfferStore } from './sqlite/offers.ts'
import { sqliteOfflineMessageStore } from './sqlite/offline-messages.ts'
import { sqliteRegionStore } from './sqlite/regions.ts'
import { sqliteSessionStore } from './sqlite/sessions.ts'
import { sqliteSettingsStore } from './sqlite/settings.ts'
import { sqliteUserStore } from './sqlite/users.ts'

/** Reads, which leave `version()` alone; any other method counts as a change (a new one too, until listed). */
const READ = /^(get|list|find)[A-Z]|^acknowledgedSince$/
/** Not changes: the idle clock, closing. */
const UNCOUNTED = new Set(['touch', 'close', 'version', 'transaction'])

/** Wraps every method that may change the store so that `version()` grows with each call. */
function countChanges(store: Store): Store {
  let version = 0
  const counted: Record<string, unknown> = {
    ...store,
    version: () => version,
    // Counted again when it ends: what was derived inside a transaction that then rolled back is stale.
    transaction: <T>(fn: () => T): T => {
      try {
        return store.transaction(fn)
      } finally {
        version++
      }
    },
  }
  for (const [name, method] of Object.entries(store)) {
    if (typeof method !== 'function' || READ.test(name) || UNCOUNTED.has(name)) continue
    counted[name] = (...args: unknown[]) => {
      // Counted before the call: a change that throws half-way still leaves derived data stale.
      version++
      return (method as (...a: unknown[]) => unknown)(...args)
    }
  }
  return counted as unknown as Store
}

/** Opens (creating if needed) and migrates the database at path; `:memory:` for a throwaway one. */
export function openSqliteStore(path: string): Store {
  const db = new Database(path)
  try {
    configureConnection(db)
    migrate(db)
    return countChanges({
      ...sqliteUserStore(db),
      ...sqliteRegionStore(db),
      ...sqliteSessionStore(db),
      ...sqliteFriendshipStore(db),
      ...sqliteOfferStore(db),
      ...sqliteOfflineMessageStore(db),
      ...sqliteGroupStore(db),
      ...sqliteGroupSessionStore(db),
      ...sqliteSettingsStore(db),
      // IMMEDIATE takes the write lock up front, so a read-then-write cannot deadlock
      // against another process; inside an outer transaction it becomes a savepoint.
      transaction: (fn) => db.transaction(fn).immediate(),
      close: () => {
        db.close()
      },
      version: () => 0,
    })
  } catch (error) {
    db.close()
    throw error
  }
}
