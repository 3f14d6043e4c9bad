import type { Database } from 'better-sqlite3'
import type { GroupRow, SyncGroupStore } from '../store.ts'

export function sqliteGroupStore(db: Database): SyncGroupStore {
  const insertGroup = db.prepare<[string, string]>(`INSERT INTO groups (group_id, name) VALUES (?, ?)`)
  const insertMember = db.prepare<[string, string]>(
    `INSERT INTO group_members (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
  )
  const byId = db.prepare<[string], { groupId: string; name: string }>(
    `SELECT group_id AS groupId, name FROM groups WHERE group_id = ?`,
  )
  const members = db.prepare<[string], string>(
    `SELECT user_id FROM group_members WHERE group_id = ? ORDER BY rowid`,
  ).pluck()

  const create = db.transaction((group: GroupRow) => {
    insertGroup.run(group.groupId, group.name)
    for (const userId of group.memberIds) insertMember.run(group.groupId, userId)
  })

  return {
    createGroup: (group) => create.immediate(group),
    lockGroup: () => {},
    getGroup: (groupId) => {
      const group = byId.get(groupId)
      return group ? { ...group, memberIds: members.all(groupId) } : null
    },
  }
}
