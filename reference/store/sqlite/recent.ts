import type { Database } from 'better-sqlite3'
import type { SyncRecentStore } from '../store.ts'

export function sqliteRecentStore(db: Database): SyncRecentStore {
  const live = db.prepare<[string, string, number], string>(
    'SELECT value FROM recent_facts WHERE kind = ? AND key = ? AND until > ?',
  ).pluck()
  const put = db.prepare<[string, string, string, number]>(
    `INSERT INTO recent_facts (kind, key, value, until) VALUES (?, ?, ?, ?)
     ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, until = excluded.until`,
  )
  const take = db.prepare<[string, string, number], string>(
    'DELETE FROM recent_facts WHERE kind = ? AND key = ? AND until > ? RETURNING value',
  ).pluck()
  const purge = db.prepare<[number]>('DELETE FROM recent_facts WHERE until < ?')

  // One connection and no await inside: the read and the write cannot interleave with another caller.
  const claim = db.transaction((kind: string, key: string, value: string, until: number, now: number): string | null => {
    const held = live.get(kind, key, now)
    if (held !== undefined) return held
    put.run(kind, key, value, until)
    return null
  })

  return {
    claimRecent: (kind, key, value, until, now) => claim.immediate(kind, key, value, until, now),
    getRecent: (kind, key, now) => live.get(kind, key, now) ?? null,
    putRecent: (kind, key, value, until) => {
      put.run(kind, key, value, until)
    },
    takeRecent: (kind, key, now) => take.get(kind, key, now) ?? null,
    purgeRecent: (before) => purge.run(before).changes,
  }
}
