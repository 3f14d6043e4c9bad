import type { RecentStore } from '../store.ts'
import type { Db } from './connection.ts'

/** How often a claim that lost to a fact which then vanished (taken, purged) tries again. */
const CLAIM_ATTEMPTS = 3

export function postgresRecentStore(db: Db): RecentStore {
  const live = async (kind: string, key: string, now: number): Promise<string | null> =>
    (await db.query<{ value: string }>(
      'SELECT value FROM recent_facts WHERE kind = $1 AND key = $2 AND until > $3',
      [kind, key, now],
    )).rows[0]?.value ?? null
  return {
    // The insert, or the replacement of an expired fact, is one statement: of two processes
    // claiming at once, the second waits for the first's row and, finding it live, changes
    // nothing. What it then holds is read in a statement of its own, which sees the first's
    // commit (a read in the same statement would not).
    claimRecent: async (kind, key, value, until, now) => {
      for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
        const claimed = await db.query(
          `INSERT INTO recent_facts (kind, key, value, until) VALUES ($1, $2, $3, $4)
           ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, until = excluded.until
             WHERE recent_facts.until <= $5`,
          [kind, key, value, until, now],
        )
        if (claimed.rowCount === 1) return null
        const held = await live(kind, key, now)
        if (held !== null) return held
      }
      throw new Error(`recent fact ${kind} ${key}: neither claimed nor held after ${CLAIM_ATTEMPTS} attempts`)
    },
    getRecent: live,
    putRecent: async (kind, key, value, until) => {
      await db.query(
        `INSERT INTO recent_facts (kind, key, value, until) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, until = excluded.until`,
        [kind, key, value, until],
      )
    },
    takeRecent: async (kind, key, now) =>
      (await db.query<{ value: string }>(
        'DELETE FROM recent_facts WHERE kind = $1 AND key = $2 AND until > $3 RETURNING value',
        [kind, key, now],
      )).rows[0]?.value ?? null,
    purgeRecent: async (before) => (await db.query('DELETE FROM recent_facts WHERE until < $1', [before])).rowCount ?? 0,
  }
}
