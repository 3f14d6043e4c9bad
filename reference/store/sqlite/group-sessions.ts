import type { Database } from 'better-sqlite3'
import type { GroupSessionCloseReason, GroupSessionRow, SyncGroupSessionStore, NewGroupSession } from '../store.ts'

const columns = `group_session_id AS groupSessionId, name, group_id AS groupId, started_by AS startedBy,
  created_at AS createdAt, last_activity_at AS lastActivityAt, closed_at AS closedAt,
  close_reason AS closeReason`

/** GRIDIM-GRP: group and ad-hoc sessions, their members, and the idle timeout's bookkeeping. */
export function sqliteGroupSessionStore(db: Database): SyncGroupSessionStore {
  const insert = db.prepare<NewGroupSession>(
    `INSERT INTO group_sessions (group_session_id, name, group_id, started_by, created_at, last_activity_at)
     VALUES (@groupSessionId, @name, @groupId, @startedBy, @createdAt, @createdAt)`,
  )
  const byId = db.prepare<[string], GroupSessionRow>(
    `SELECT ${columns} FROM group_sessions WHERE group_session_id = ?`,
  )
  // Joining again clears the left flag; a current member stays unchanged.
  const join = db.prepare<[string, string]>(
    `INSERT INTO group_session_members (group_session_id, user_id) VALUES (?, ?)
     ON CONFLICT DO UPDATE SET left_session = 0 WHERE left_session = 1`,
  )
  const leave = db.prepare<[string, string]>(
    `UPDATE group_session_members SET left_session = 1
     WHERE group_session_id = ? AND user_id = ? AND left_session = 0`,
  )
  const members = db.prepare<[string], { userId: string; left: 0 | 1 }>(
    `SELECT user_id AS userId, left_session AS left FROM group_session_members
     WHERE group_session_id = ? ORDER BY rowid`,
  )
  const touch = db.prepare<[number, string]>(
    `UPDATE group_sessions SET last_activity_at = max(last_activity_at, ?) WHERE group_session_id = ?`,
  )
  const idle = db.prepare<[number], GroupSessionRow>(
    `SELECT ${columns} FROM group_sessions
     WHERE closed_at IS NULL AND last_activity_at < ? ORDER BY last_activity_at, group_session_id`,
  )
  const close = db.prepare<[number, GroupSessionCloseReason, string, number]>(
    `UPDATE group_sessions SET closed_at = ?, close_reason = ?
     WHERE group_session_id = ? AND closed_at IS NULL AND last_activity_at < ?`,
  )

  const create = db.transaction((session: NewGroupSession) => {
    insert.run(session)
    for (const userId of session.memberIds) join.run(session.groupSessionId, userId)
  })

  return {
    createGroupSession: (session) => create.immediate(session),
    getGroupSession: (groupSessionId) => byId.get(groupSessionId) ?? null,
    addMember: (groupSessionId, userId) => join.run(groupSessionId, userId).changes === 1,
    removeMember: (groupSessionId, userId) => leave.run(groupSessionId, userId).changes === 1,
    lockGroupSession: () => {},
    listMembers: (groupSessionId) => {
      const result = { members: [] as string[], left: [] as string[] }
      for (const row of members.all(groupSessionId)) (row.left ? result.left : result.members).push(row.userId)
      return result
    },
    touch: (groupSessionId, lastActivityAt) => {
      touch.run(lastActivityAt, groupSessionId)
    },
    listIdleGroupSessions: (olderThan) => idle.all(olderThan),
    closeGroupSession: (groupSessionId, reason, closedAt, idleSince = Number.MAX_SAFE_INTEGER) =>
      close.run(closedAt, reason, groupSessionId, idleSince).changes === 1,
  }
}
