import type { Database } from 'better-sqlite3'
import type { FriendRow, FriendshipRow, SyncFriendshipStore } from '../store.ts'

/**
 * A friendship is two rows of friend_rights, one per direction; each holds what its
 * user_id grants its friend_id (GRIDIM-FRND). Both rows are written and removed together.
 */
export function sqliteFriendshipStore(db: Database): SyncFriendshipStore {
  const insert = db.prepare<[string, string, number]>(
    `INSERT INTO friend_rights (user_id, friend_id, rights) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
  )
  const pair = db.prepare<[string, string], FriendshipRow>(
    `SELECT g.user_id AS userId, g.friend_id AS friendId,
       g.rights AS rightsGranted, r.rights AS rightsReceived
     FROM friend_rights g
     JOIN friend_rights r ON r.user_id = g.friend_id AND r.friend_id = g.user_id
     WHERE g.user_id = ? AND g.friend_id = ?`,
  )
  const friends = db.prepare<[string], FriendRow>(
    `SELECT g.friend_id AS friendId, u.first_name AS firstName, u.last_name AS lastName,
       g.rights AS rightsGranted, r.rights AS rightsReceived
     FROM friend_rights g
     JOIN friend_rights r ON r.user_id = g.friend_id AND r.friend_id = g.user_id
     JOIN users u ON u.user_id = g.friend_id
     WHERE g.user_id = ?
     ORDER BY u.last_name, u.first_name, u.user_id`,
  )
  const update = db.prepare<[number, string, string]>(
    `UPDATE friend_rights SET rights = ? WHERE user_id = ? AND friend_id = ?`,
  )
  const remove = db.prepare<[string, string, string, string]>(
    `DELETE FROM friend_rights WHERE (user_id = ? AND friend_id = ?) OR (user_id = ? AND friend_id = ?)`,
  )

  const create = db.transaction((a: string, b: string, rightsAB: number, rightsBA: number): boolean => {
    const ab = insert.run(a, b, rightsAB).changes
    const ba = insert.run(b, a, rightsBA).changes
    if (ab === 1 && ba === 1) return true
    if (ab === 0 && ba === 0) return false
    // Half a friendship can only come from a bug elsewhere; refuse rather than guess.
    throw new Error(`friendship ${a}/${b} was half-stored`)
  })

  return {
    createFriendship: (a, b, rightsAB, rightsBA) => create.immediate(a, b, rightsAB, rightsBA),
    getFriendship: (a, b) => pair.get(a, b) ?? null,
    listFriends: (userId) => friends.all(userId),
    setRights: (granter, grantee, rights) => update.run(rights, granter, grantee).changes === 1,
    endFriendship: (a, b) => remove.run(a, b, b, a).changes > 0,
  }
}
