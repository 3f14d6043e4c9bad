import type { FriendRow, FriendshipRow, FriendshipStore } from '../store.ts'
import type { Db } from './connection.ts'

/**
 * A friendship is two rows of friend_rights, one per direction; each holds what its
 * user_id grants its friend_id (GRIDIM-FRND). Both rows are written and removed together.
 */
export function postgresFriendshipStore(db: Db): FriendshipStore {
  const insert = async (tx: Db, from: string, to: string, rights: number): Promise<number> =>
    (await tx.query(
      'INSERT INTO friend_rights (user_id, friend_id, rights) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [from, to, rights],
    )).rowCount ?? 0

  return {
    createFriendship: (a, b, rightsAB, rightsBA) =>
      db.atomic(async (tx) => {
        // Always the lower id's row first: two processes befriending a and b at once (either way
        // round) then queue on the same row instead of each holding one and deadlocking.
        let ab: number, ba: number
        if (a < b) {
          ab = await insert(tx, a, b, rightsAB)
          ba = await insert(tx, b, a, rightsBA)
        } else {
          ba = await insert(tx, b, a, rightsBA)
          ab = await insert(tx, a, b, rightsAB)
        }
        if (ab === 1 && ba === 1) return true
        if (ab === 0 && ba === 0) return false
        // Half a friendship can only come from a bug elsewhere; refuse rather than guess.
        throw new Error(`friendship ${a}/${b} was half-stored`)
      }),
    getFriendship: async (a, b) =>
      (await db.query<FriendshipRow>(
        `SELECT g.user_id AS "userId", g.friend_id AS "friendId",
           g.rights AS "rightsGranted", r.rights AS "rightsReceived"
         FROM friend_rights g
         JOIN friend_rights r ON r.user_id = g.friend_id AND r.friend_id = g.user_id
         WHERE g.user_id = $1 AND g.friend_id = $2`,
        [a, b],
      )).rows[0] ?? null,
    // Ordered as SQLite orders its NOCASE columns: ASCII case folded, then bytes.
    listFriends: async (userId) =>
      (await db.query<FriendRow>(
        `SELECT g.friend_id AS "friendId", u.first_name AS "firstName", u.last_name AS "lastName",
           g.rights AS "rightsGranted", r.rights AS "rightsReceived"
         FROM friend_rights g
         JOIN friend_rights r ON r.user_id = g.friend_id AND r.friend_id = g.user_id
         JOIN users u ON u.user_id = g.friend_id
         WHERE g.user_id = $1
         ORDER BY lower(u.last_name), lower(u.first_name), u.user_id`,
        [userId],
      )).rows,
    setRights: async (granter, grantee, rights) =>
      (await db.query('UPDATE friend_rights SET rights = $1 WHERE user_id = $2 AND friend_id = $3', [rights, granter, grantee])).rowCount === 1,
    endFriendship: async (a, b) =>
      ((await db.query(
        'DELETE FROM friend_rights WHERE (user_id = $1 AND friend_id = $2) OR (user_id = $2 AND friend_id = $1)',
        [a, b],
      )).rowCount ?? 0) > 0,
  }
}
