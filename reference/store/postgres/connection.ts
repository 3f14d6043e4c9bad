/**
 * What the PostgreSQL area modules run their statements on: the pool (each statement on
 * whichever connection is free, committed on its own) or one client inside an open transaction.
 * `atomic(fn)` runs fn's statements as one unit either way: a transaction of its own on the
 * pool, a savepoint inside an open transaction (so that, as with SQLite, a failing method
 * undoes only itself and the caller's transaction may go on).
 */
import type pg from 'pg'

export interface Db {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>>
  atomic<T>(fn: (db: Db) => Promise<T>): Promise<T>
}

/**
 * Statements are named, so each connection parses and plans each one once (the SQLite store
 * prepares its statements once too); the name follows from the text.
 */
const names = new Map<string, string>()
function named(text: string, values: readonly unknown[] | undefined): pg.QueryConfig {
  let name = names.get(text)
  if (name === undefined) {
    name = `gridim_${names.size + 1}`
    names.set(text, name)
  }
  return { name, text, values: values as unknown[] | undefined }
}

let savepoints = 0

/** A client inside an open transaction; `isOpen` false once it has ended. */
export function clientDb(client: pg.PoolClient, isOpen: () => boolean): Db {
  const db: Db = {
    query: (text, values) => {
      if (!isOpen()) return Promise.reject(new Error('the transaction this store was bound to has ended'))
      return client.query(named(text, values))
    },
    atomic: async (fn) => {
      // Not a named statement: every savepoint has its own name.
      const name = `gridim_sp_${++savepoints}`
      if (!isOpen()) throw new Error('the transaction this store was bound to has ended')
      await client.query(`SAVEPOINT ${name}`)
      try {
        const result = await fn(db)
        await client.query(`RELEASE SAVEPOINT ${name}`)
        return result
      } catch (error) {
        if (isOpen()) {
          // Should even this fail (the connection lost), the caller's error is the one to see;
          // the transaction's own ROLLBACK follows.
          await client.query(`ROLLBACK TO SAVEPOINT ${name}`).then(() => client.query(`RELEASE SAVEPOINT ${name}`)).catch(() => {})
        }
        throw error
      }
    },
  }
  return db
}

/** Runs fn in a transaction on a client of the pool: BEGIN, fn, COMMIT or ROLLBACK, release. */
export async function inTransaction<T>(pool: pg.Pool, fn: (db: Db) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  let open = true
  let broken: Error | undefined
  try {
    await client.query('BEGIN')
    try {
      const result = await fn(clientDb(client, () => open))
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        // A connection that cannot even roll back is not handed to anyone else.
        broken = rollbackError
      })
      throw error
    }
  } finally {
    open = false
    client.release(broken)
  }
}

/** The pool: statements outside any transaction. */
export function poolDb(pool: pg.Pool): Db {
  return {
    query: (text, values) => pool.query(named(text, values)),
    atomic: (fn) => inTransaction(pool, fn),
  }
}
