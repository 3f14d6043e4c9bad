import type { SessionPlacement, SessionRow, SessionStore } from '../store.ts'
import type { Db } from './connection.ts'

const columns = `session_id AS "sessionId", user_id AS "userId", secret_hash AS "secretHash",
  region_id AS "regionId", started_at AS "startedAt"`

/** Namespace of the per-user advisory locks that serialize sign-ons (the key is hashtext(user_id)). */
const SIGN_ON_LOCK = 0x6773_6f31 // 'gso1'

async function place(db: Db, sessionId: string, regionId: string, userId: string, placedAt: number): Promise<void> {
  await db.query(
    `INSERT INTO session_placements (session_id, region_id, user_id, placed_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (session_id, region_id) DO NOTHING`,
    [sessionId, regionId, userId, placedAt],
  )
}

export function postgresSessionStore(db: Db): SessionStore {
  return {
    // GRIDIM-SIGN: one session per user; the newest sign-on wins. Sign-ons of one user are
    // serialized across processes by a transaction-scoped advisory lock on the user, so that of
    // two at once the second replaces (and returns) the first instead of both finding no
    // session and one failing on the unique user_id.
    createSession: (session) =>
      db.atomic(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SIGN_ON_LOCK, session.userId])
        const replaced = (await tx.query<SessionRow>(`DELETE FROM sessions WHERE user_id = $1 RETURNING ${columns}`, [session.userId])).rows[0] ?? null
        await tx.query(
          `INSERT INTO sessions (session_id, user_id, secret_hash, region_id, started_at) VALUES ($1, $2, $3, $4, $5)`,
          [session.sessionId, session.userId, session.secretHash, session.regionId, session.startedAt],
        )
        await place(tx, session.sessionId, session.regionId, session.userId, session.startedAt)
        return replaced
      }),
    getSession: async (sessionId) =>
      (await db.query<SessionRow>(`SELECT ${columns} FROM sessions WHERE session_id = $1`, [sessionId])).rows[0] ?? null,
    getSessionByUser: async (userId) =>
      (await db.query<SessionRow>(`SELECT ${columns} FROM sessions WHERE user_id = $1`, [userId])).rows[0] ?? null,
    moveSession: (sessionId, regionId) =>
      db.atomic(async (tx) => {
        const moved = (await tx.query<SessionRow>(
          `UPDATE sessions SET region_id = $1 WHERE session_id = $2 RETURNING ${columns}`,
          [regionId, sessionId],
        )).rows[0] ?? null
        if (moved !== null) await place(tx, sessionId, regionId, moved.userId, moved.startedAt)
        return moved
      }),
    // DELETE ... RETURNING: of two processes ending the same session, one gets it, the other null.
    endSession: async (sessionId) =>
      (await db.query<SessionRow>(`DELETE FROM sessions WHERE session_id = $1 RETURNING ${columns}`, [sessionId])).rows[0] ?? null,
    endSessionsAtRegion: async (regionId) =>
      (await db.query<SessionRow>(`DELETE FROM sessions WHERE region_id = $1 RETURNING ${columns}`, [regionId])).rows,
    listOnlineUsers: async (userIds) =>
      userIds.length === 0
        ? []
        : (await db.query<SessionRow>(
            `SELECT ${columns} FROM sessions WHERE user_id = ANY($1::text[]) ORDER BY user_id`,
            [userIds],
          )).rows,
    listPlacements: async (sessionId) =>
      (await db.query<SessionPlacement>(
        `SELECT session_id AS "sessionId", region_id AS "regionId", user_id AS "userId", placed_at AS "placedAt"
         FROM session_placements WHERE session_id = $1 ORDER BY placed_at, region_id`,
        [sessionId],
      )).rows,
    purgePlacements: async (before) =>
      (await db.query(
        `DELETE FROM session_placements p
         WHERE p.placed_at < $1 AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_id = p.session_id)`,
        [before],
      )).rowCount ?? 0,
  }
}
