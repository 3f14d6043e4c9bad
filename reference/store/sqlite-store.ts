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

/** Opens (creating if needed) and migrates the database at path; `:memory:` for a throwaway one. */
export function openSqliteStore(path: string): Store {
  const db = new Database(path)
  try {
    configureConnection(db)
    migrate(db)
    return {
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
    }
  } catch (error) {
    db.close()
    throw error
  }
}
