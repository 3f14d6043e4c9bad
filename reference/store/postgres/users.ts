import type { UserRow, UserStore } from '../store.ts'
import type { Db } from './connection.ts'

const columns = `user_id AS "userId", first_name AS "firstName", last_name AS "lastName",
  password_hash AS "passwordHash", password_salt AS "passwordSalt", created_at AS "createdAt"`

export function postgresUserStore(db: Db): UserStore {
  return {
    // No conflict target: a taken id and a taken name (the unique index on lower()) both do nothing.
    createUser: async (user) =>
      (await db.query(
        `INSERT INTO users (user_id, first_name, last_name, password_hash, password_salt, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [user.userId, user.firstName, user.lastName, user.passwordHash, user.passwordSalt, user.createdAt],
      )).rowCount === 1,
    getUser: async (userId) =>
      (await db.query<UserRow>(`SELECT ${columns} FROM users WHERE user_id = $1`, [userId])).rows[0] ?? null,
    // lower() under COLLATE "C" folds ASCII only, as SQLite's NOCASE does, and matches the index.
    // The parameters say so too: under the database's own locale (say en_US.UTF-8) lower($1)
    // would fold É to é while the stored name's lower() keeps É, and Émile would not find Émile.
    findUserByName: async (firstName, lastName) =>
      (await db.query<UserRow>(
        `SELECT ${columns} FROM users
         WHERE lower(first_name) = lower($1 COLLATE "C") AND lower(last_name) = lower($2 COLLATE "C")`,
        [firstName, lastName],
      )).rows[0] ?? null,
  }
}
