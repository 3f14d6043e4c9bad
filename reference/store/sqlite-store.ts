/**
 * The Store on an SQLite file (better-sqlite3). Every statement is prepared once, when the
 * store opens; each area lives in its own module under sqlite/, written synchronously, and
 * this module makes them the asynchronous Store.
 *
 * One connection serves every caller. A transaction holds it from BEGIN to COMMIT across the
 * awaits of its fn; meanwhile calls on the store itself (other requests) wait their turn, so
 * nothing of theirs lands in, or is rolled back with, the open transaction. Calls outside a
 * transaction run at once, synchronously, and answer with a settled promise.
 */
import Database from 'better-sqlite3'
import { configureConnection, migrate } from './migrations.ts'
import type { Store, SyncStoreAreas } from './store.ts'
import { sqliteFriendshipStore } from './sqlite/friendships.ts'
import { sqliteGroupSessionStore } from './sqlite/group-sessions.ts'
import { sqliteGroupStore } from './sqlite/groups.ts'
import { sqliteGroupOutboxStore } from './sqlite/group-outbox.ts'
import { sqliteOfferStore } from './sqlite/offers.ts'
import { sqliteRecentStore } from './sqlite/recent.ts'
import { sqliteOfflineMessageStore } from './sqlite/offline-messages.ts'
import { sqliteRegionStore } from './sqlite/regions.ts'
import { sqliteSessionStore } from './sqlite/sessions.ts'
import { sqliteSettingsStore } from './sqlite/settings.ts'
import { sqliteUserStore } from './sqlite/users.ts'

/** Reads, which leave `version()` alone; any other method counts as a change (a new one too, until listed). */
const READ = /^(get|list|find)[A-Z]|^acknowledgedSince$/
/** Not changes to what anything is derived from: the idle clock, the recent facts, the group outbox. */
const UNCOUNTED = new Set(['touch', 'lockGroup', 'lockGroupSession', 'claimRecent', 'putRecent', 'takeRecent', 'purgeRecent',
  'addGroupOutbox', 'claimGroupOutbox', 'renewGroupOutbox', 'deleteGroupOutbox'])

type Method = (...args: unknown[]) => unknown

/** The connection's owner: who may use it now, and who waits. */
class Turns {
  /** Settles when the open transaction ends; null while none is open. */
  ended: Promise<void> | null = null
  version = 0
}

/**
 * The async methods over the synchronous ones. `mayRun()` says whether the caller may use the
 * connection now; when it may not, the call waits for the open transaction to end.
 */
function asyncAreas (sync: SyncStoreAreas, turns: Turns, mayRun: () => boolean): Record<string, Method> {
  const out: Record<string, Method> = {}
  for (const [name, fn] of Object.entries(sync) as Array<[string, Method]>) {
    const counted = !READ.test(name) && !UNCOUNTED.has(name)
    const run = (args: unknown[]): unknown => {
      // Counted before the call: a change that throws half-way still leaves derived data stale.
      if (counted) turns.version++
      return fn(...args)
    }
    out[name] = async (...args: unknown[]) => {
      while (!mayRun()) await turns.ended
      return run(args)
    }
  }
  return out
}

/** Opens (creating if needed) and migrates the database at path; `:memory:` for a throwaway one. */
export function openSqliteStore (path: string): Store {
  const db = new Database(path)
  let sync: SyncStoreAreas
  try {
    configureConnection(db)
    migrate(db)
    sync = {
      ...sqliteUserStore(db),
      ...sqliteRegionStore(db),
      ...sqliteSessionStore(db),
      ...sqliteFriendshipStore(db),
      ...sqliteOfferStore(db),
      ...sqliteOfflineMessageStore(db),
      ...sqliteGroupStore(db),
      ...sqliteGroupSessionStore(db),
      ...sqliteSettingsStore(db),
      ...sqliteRecentStore(db),
      ...sqliteGroupOutboxStore(db)
    }
  } catch (error) {
    db.close()
    throw error
  }
  const turns = new Turns()
  let savepoints = 0

  /** The store bound to one open transaction: it alone may use the connection until the transaction ends. */
  function transactionStore (isOpen: () => boolean): Store {
    const tx: Store = {
      ...(asyncAreas(sync, turns, () => {
        if (!isOpen()) throw new Error('the transaction this store was bound to has ended')
        return true
      }) as unknown as Store),
      // A nested transaction is a savepoint of the open one.
      transaction: async (fn) => {
        const name = `gridim_${++savepoints}`
        db.exec(`SAVEPOINT ${name}`)
        try {
          const result = await fn(tx)
          db.exec(`RELEASE ${name}`)
          return result
        } catch (error) {
          db.exec(`ROLLBACK TO ${name}`)
          db.exec(`RELEASE ${name}`)
          throw error
        } finally {
          turns.version++
        }
      },
      version: () => turns.version,
      close: async () => {
        throw new Error('close the store, not a transaction')
      }
    }
    return tx
  }

  const store: Store = {
    ...(asyncAreas(sync, turns, () => turns.ended === null) as unknown as Store),
    transaction: async (fn) => {
      while (turns.ended !== null) await turns.ended
      // From here to BEGIN nothing awaits: the turn is ours.
      let end!: () => void
      turns.ended = new Promise((resolve) => { end = resolve })
      let open = true
      // IMMEDIATE takes the write lock up front, so a read-then-write cannot deadlock
      // against another process.
      db.exec('BEGIN IMMEDIATE')
      try {
        const result = await fn(transactionStore(() => open))
        db.exec('COMMIT')
        return result
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK')
        throw error
      } finally {
        open = false
        // Counted when it ends: what was derived inside a transaction that then rolled back is stale.
        turns.version++
        turns.ended = null
        end()
      }
    },
    version: () => turns.version,
    close: async () => {
      while (turns.ended !== null) await turns.ended
      db.close()
    }
  }
  return store
}
