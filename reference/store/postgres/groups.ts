import type { GroupStore } from '../store.ts'
import type { Db } from './connection.ts'

export function postgresGroupStore(db: Db): GroupStore {
  return {
    createGroup: (group) =>
      db.atomic(async (tx) => {
        await tx.query('INSERT INTO groups (group_id, name) VALUES ($1, $2)', [group.groupId, group.name])
        // One at a time, so that seq follows the order given.
        for (const userId of group.memberIds) {
          await tx.query('INSERT INTO group_members (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [group.groupId, userId])
        }
      }),
    lockGroup: async (groupId) => {
      await db.query('SELECT 1 FROM groups WHERE group_id = $1 FOR UPDATE', [groupId])
    },
    getGroup: async (groupId) => {
      const group = (await db.query<{ groupId: string; name: string }>(
        'SELECT group_id AS "groupId", name FROM groups WHERE group_id = $1',
        [groupId],
      )).rows[0]
      if (group === undefined) return null
      const members = await db.query<{ userId: string }>(
        'SELECT user_id AS "userId" FROM group_members WHERE group_id = $1 ORDER BY seq',
        [groupId],
      )
      return { ...group, memberIds: members.rows.map((row) => row.userId) }
    },
  }
}
