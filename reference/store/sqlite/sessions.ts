import type { Database } from 'better-sqlite3'
import type { SessionPlacement, SessionRow, SyncSessionStore } from '../store.ts'

const columns = `session_id AS sessionId, user_id AS userId, secret_hash AS secretHash,
  region_id AS regionId, started_at AS startedAt`

export function sqliteSessionStore(db: Database): SyncSessionStore {
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

  const place = db.prepare<[string, string, string, number]>(
    `INSERT INTO session_placements (session_id, region_id, user_id, placed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (session_id, region_id) DO NOTHING`,
  )
  const placements = db.prepare<[string], SessionPlacement>(
    `SELECT session_id AS sessionId, region_id AS regionId, user_id AS userId, placed_at AS placedAt
     FROM session_placements WHERE session_id = ? ORDER BY placed_at, region_id`,
  )
  const purge = db.prepare<[number]>(
    `DELETE FROM session_placements
     WHERE placed_at < ? AND session_id NOT IN (SELECT session_id FROM sessions)`,
  )

  // GRIDIM-SIGN: one session per user; the newest sign-on wins.
  const createSession = db.transaction((session: SessionRow): SessionRow | null => {
    const replaced = endByUser.get(session.userId) ?? null
    insert.run(session)
    place.run(session.sessionId, session.regionId, session.userId, session.startedAt)
    return replaced
  })
  const moveSession = db.transaction((sessionId: string, regionId: string): SessionRow | null => {
    const moved = move.get(regionId, sessionId) ?? null
    if (moved !== null) place.run(sessionId, regionId, moved.userId, moved.startedAt)
    return moved
  })

  return {
    createSession: (session) => createSession.immediate(session),
    getSession: (sessionId) => byId.get(sessionId) ?? null,
    getSessionByUser: (userId) => byUser.get(userId) ?? null,
    moveSession: (sessionId, regionId) => moveSession.immediate(sessionId, regionId),
    endSession: (sessionId) => end.get(sessionId) ?? null,
    endSessionsAtRegion: (regionId) => endAtRegion.all(regionId),
    listOnlineUsers: (userIds) => (userIds.length === 0 ? [] : online.all(JSON.stringify(userIds))),
    listPlacements: (sessionId) => placements.all(sessionId),
    purgePlacements: (before) => purge.run(before).changes,
  }
}
