import type { GroupSessionRow, GroupSessionStore } from '../store.ts'
import type { Db } from './connection.ts'

const columns = `group_session_id AS "groupSessionId", name, group_id AS "groupId", started_by AS "startedBy",
  created_at AS "createdAt", last_activity_at AS "lastActivityAt", closed_at AS "closedAt",
  close_reason AS "closeReason"`

/** Joining again clears the left flag; a current member stays unchanged (no row counted). */
const join = `INSERT INTO group_session_members (group_session_id, user_id) VALUES ($1, $2)
  ON CONFLICT (group_session_id, user_id) DO UPDATE SET left_session = false
  WHERE group_session_members.left_session`

/** GRIDIM-GRP: group and ad-hoc sessions, their members, and the idle timeout's bookkeeping. */
export function postgresGroupSessionStore(db: Db): GroupSessionStore {
  return {
    createGroupSession: (session) =>
      db.atomic(async (tx) => {
        await tx.query(
          `INSERT INTO group_sessions (group_session_id, name, group_id, started_by, created_at, last_activity_at)
           VALUES ($1, $2, $3, $4, $5, $5)`,
          [session.groupSessionId, session.name, session.groupId, session.startedBy, session.createdAt],
        )
        for (const userId of session.memberIds) await tx.query(join, [session.groupSessionId, userId])
      }),
    getGroupSession: async (groupSessionId) =>
      (await db.query<GroupSessionRow>(`SELECT ${columns} FROM group_sessions WHERE group_session_id = $1`, [groupSessionId])).rows[0] ?? null,
    addMember: async (groupSessionId, userId) => (await db.query(join, [groupSessionId, userId])).rowCount === 1,
    // Conditional: of two processes removing the same member at once, exactly one sees true.
    removeMember: async (groupSessionId, userId) =>
      (await db.query(
        `UPDATE group_session_members SET left_session = true
         WHERE group_session_id = $1 AND user_id = $2 AND NOT left_session`,
        [groupSessionId, userId],
      )).rowCount === 1,
    lockGroupSession: async (groupSessionId) => {
      await db.query('SELECT 1 FROM group_sessions WHERE group_session_id = $1 FOR UPDATE', [groupSessionId])
    },
    listMembers: async (groupSessionId) => {
      const rows = (await db.query<{ userId: string; left: boolean }>(
        `SELECT user_id AS "userId", left_session AS "left" FROM group_session_members
         WHERE group_session_id = $1 ORDER BY seq`,
        [groupSessionId],
      )).rows
      const result = { members: [] as string[], left: [] as string[] }
      for (const row of rows) (row.left ? result.left : result.members).push(row.userId)
      return result
    },
    touch: async (groupSessionId, lastActivityAt) => {
      await db.query(
        'UPDATE group_sessions SET last_activity_at = greatest(last_activity_at, $1) WHERE group_session_id = $2',
        [lastActivityAt, groupSessionId],
      )
    },
    listIdleGroupSessions: async (olderThan) =>
      (await db.query<GroupSessionRow>(
        `SELECT ${columns} FROM group_sessions
         WHERE closed_at IS NULL AND last_activity_at < $1 ORDER BY last_activity_at, group_session_id`,
        [olderThan],
      )).rows,
    // Conditional: of two processes closing the same session at once, exactly one sees true.
    // With idleSince, PostgreSQL checks last_activity_at again on the row as it is when it updates
    // it: a touch committed after the sweeper listed the session keeps it open.
    closeGroupSession: async (groupSessionId, reason, closedAt, idleSince = Number.MAX_SAFE_INTEGER) =>
      (await db.query(
        `UPDATE group_sessions SET closed_at = $1, close_reason = $2
         WHERE group_session_id = $3 AND closed_at IS NULL AND last_activity_at < $4`,
        [closedAt, reason, groupSessionId, idleSince],
      )).rowCount === 1,
  }
}
