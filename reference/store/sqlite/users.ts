import type { Database } from 'better-sqlite3'
import type { UserRow, SyncUserStore } from '../store.ts'

const columns = `user_id AS userId, first_name AS firstName, last_name AS lastName,
  password_hash AS passwordHash, password_salt AS passwordSalt, created_at AS createdAt`

export function sqliteUserStore(db: Database): SyncUserStore {
  const insert = db.prepare<UserRow>(
    `INSERT INTO users (user_id, first_name, last_name, password_hash, password_salt, created_at)
     VALUES (@userId, @firstName, @lastName, @passwordHash, @passwordSalt, @createdAt)
     ON CONFLICT DO NOTHING`,
  )
  const byId = db.prepare<[string], UserRow>(`SELECT ${columns} FROM users WHERE user_id = ?`)
  // The name columns are COLLATE NOCASE, so this compares (and uses the index) case-insensitively.
  const byName = db.prepare<[string, string], UserRow>(
    `SELECT ${columns} FROM users WHERE first_name = ? AND last_name = ?`,
  )

  return {
    createUser: (user) => insert.run(user).changes === 1,
    getUser: (userId) => byId.get(userId) ?? null,
    findUserByName: (firstName, lastName) => byName.get(firstName, lastName) ?? null,
  }
}
