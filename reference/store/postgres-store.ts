/**
 * The Store on PostgreSQL (node-postgres), for several user-server processes sharing one
 * database (issue 16). Each area lives in its own module under postgres/, written against a
 * `Db` that is either the pool or one client inside an open transaction.
 *
 * Across processes the database is the only thing shared, so every read-then-write is made safe
 * under READ COMMITTED in SQL: sign-ons of one user are serialized by an advisory lock, endings
 * and closings are conditional UPDATE/DELETE whose row count or RETURNING tells the one process
 * that won, duplicates meet ON CONFLICT. `version()` is null: other processes change the store.
 *
 * One difference from SQLite inside `transaction(fn)`: a method of several statements runs in
 * a savepoint and, failing, undoes only itself (as on SQLite), but a single statement that fails
 * (a foreign key naming a user that does not exist — a caller bug by the Store's conventions)
 * leaves the PostgreSQL transaction aborted: what fn does next on tx rejects, and the
 * transaction rolls back. Wrapping every statement in a savepoint would cost two round trips
 * each and a subtransaction per write.
 */
import pg from 'pg'
import type { Store, StoreAreas } from './store.ts'
import { inTransaction, poolDb, type Db } from './postgres/connection.ts'
import { postgresFriendshipStore } from './postgres/friendships.ts'
import { postgresGroupSessionStore } from './postgres/group-sessions.ts'
import { postgresGroupStore } from './postgres/groups.ts'
import { postgresGroupOutboxStore } from './postgres/group-outbox.ts'
import { migratePostgres } from './postgres/migrations.ts'
import { postgresOfferStore } from './postgres/offers.ts'
import { postgresOfflineMessageStore } from './postgres/offline-messages.ts'
import { postgresRecentStore } from './postgres/recent.ts'
import { postgresRegionStore } from './postgres/regions.ts'
import { postgresSessionStore } from './postgres/sessions.ts'
import { postgresSettingsStore } from './postgres/settings.ts'
import { postgresUserStore } from './postgres/users.ts'

export interface PostgresStoreOptions {
  /** Connections in this process's pool; default 10. */
  poolSize?: number
}

const INT8_OID = 20

/**
 * BIGINT (the epoch-millisecond times, counts) as a JavaScript number: every value the store
 * keeps is below 2^53. Set on this pool only; the process-wide pg.types stay as they are.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

function areas(db: Db): StoreAreas {
  return {
    ...postgresUserStore(db),
    ...postgresRegionStore(db),
    ...postgresSessionStore(db),
    ...postgresFriendshipStore(db),
    ...postgresOfferStore(db),
    ...postgresOfflineMessageStore(db),
    ...postgresGroupStore(db),
    ...postgresGroupSessionStore(db),
    ...postgresSettingsStore(db),
    ...postgresRecentStore(db),
    ...postgresGroupOutboxStore(db),
  }
}

/** The store bound to an open transaction (or savepoint) on db. */
function transactionStore(db: Db): Store {
  const tx: Store = {
    ...areas(db),
    // A nested transaction is a savepoint of the open one.
    transaction: (fn) => db.atomic(() => fn(tx)),
    version: () => null,
    close: async () => {
      throw new Error('close the store, not a transaction')
    },
  }
  return tx
}

/** Connects to the database at url (postgres://…), migrates it, and answers with the store. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types })
  // An idle client's error (the server restarting, a connection killed) must not crash the
  // process; the pool drops that client and the next query gets a fresh one.
  pool.on('error', () => {})
  try {
    const client = await pool.connect()
    try {
      await migratePostgres(client)
    } finally {
      client.release()
    }
  } catch (error) {
    await pool.end()
    throw error
  }

  const db = poolDb(pool)
  let closed: Promise<void> | null = null
  return {
    ...areas(db),
    transaction: (fn) => inTransaction(pool, (client) => fn(transactionStore(client))),
    version: () => null,
    close: () => (closed ??= pool.end()),
  }
}
