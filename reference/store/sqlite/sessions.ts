import type { Database } from 'better-sqlite3'
import type { SessionRow, SessionStore } from '../store.ts'

const columns = `session_id AS sessionId, user_id AS userId, secret_hash AS secretHash,
  region_id AS regionId, started_at AS startedAt`

export function sqliteSessionStore(db: Database): SessionStore {
  const insert = db.prepare<SessionRow>(
    `INSERT INTO sessions (session_id, user_id, secret_hash, region_id, started_at)
     VALUES (@sessionId, @userId, @secretHash, @regionId, @startedAt)`,
  )
  const endByUser = db.prepare<[string], SessionRow>(
    `DELETE FROM sessions WHERE user_id = ? RETURNING ${columns}`,
  )
  const byId = db.prepare<[string], SessionRow>(`SELECT ${columns} FROM sessions WHERE session_id = ?`)
  const byUser = db.prepare<[string], SessionRow>(`SELECT ${columns} FROM sessions WHERE user_id = ?`)
  const move = db.prepare<[string, string], SessionRow>(
    `UPDATE sessions SET region_id = ? WHERE session_id = ? RETURNING ${columns}`,
  )
  const end = db.prepare<[string], SessionRow>(`DELETE FROM sessions WHERE session_id = ? RETURNING ${columns}`)
  const endAtRegion = db.prepare<[string], SessionRow>(
    `DELETE FROM sessions WHERE region_id = ? RETURNING ${columns}`,
  )
  // The ids travel as one JSON array so that one cached statement serves any number of them.
  const online = db.prepare<[string], SessionRow>(
    `SELECT ${columns} FROM sessions WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY user_id`,
  )

  // GRIDIM-SIGN: one session per user; the newest sign-on wins.
  const createSession = db.transaction((session: SessionRow): SessionRow | null => {
    const replaced = endByUser.get(session.userId) ?? null
    insert.run(session)
    return replaced
  })

  return {
    createSession: (session) => createSession.immediate(session),
    getSession: (sessionId) => byId.get(sessionId) ?? null,
    getSessionByUser: (userId) => byUser.get(userId) ?? null,
    moveSession: (sessionId, regionId) => move.get(regionId, sessionId) ?? null,
    endSession: (sessionId) => end.get(sessionId) ?? null,
    endSessionsAtRegion: (regionId) => endAtRegion.all(regionId),
    listOnlineUsers: (userIds) => (userIds.length === 0 ? [] : online.all(JSON.stringify(userIds))),
  }
}
