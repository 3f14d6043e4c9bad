import type { OfflineMessageRow, OfflineMessageStore } from '../store.ts'
import type { Db } from './connection.ts'

const columns = `message_id AS "messageId", from_user_id AS "fromUserId", from_name AS "fromName",
  to_user_id AS "toUserId", body, sent_at AS "sentAt"`

/** GRIDIM-OFFL: held until the recipient's side acknowledges them, never deleted on read. */
export function postgresOfflineMessageStore(db: Db): OfflineMessageStore {
  return {
    // ON CONFLICT DO NOTHING: the same message stored by two processes at once is stored once.
    storeOffline: async (message) =>
      (await db.query(
        `INSERT INTO offline_messages (message_id, to_user_id, from_user_id, from_name, body, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (message_id) DO NOTHING`,
        [message.messageId, message.toUserId, message.fromUserId, message.fromName, message.body, message.sentAt],
      )).rowCount === 1 ? 'stored' : 'duplicate',
    listOffline: async (userId, limit) => {
      // One row past the page tells whether more are waiting.
      const rows = (await db.query<OfflineMessageRow>(
        `SELECT ${columns} FROM offline_messages WHERE to_user_id = $1 ORDER BY sent_at, seq LIMIT $2`,
        [userId, limit + 1],
      )).rows
      const more = rows.length > limit
      return { messages: more ? rows.slice(0, limit) : rows, more }
    },
    // A row deleted by another process first is not counted here: each message is
    // acknowledged by exactly one of them.
    acknowledge: async (userId, messageIds) =>
      messageIds.length === 0
        ? 0
        : (await db.query(
            'DELETE FROM offline_messages WHERE ($1::text IS NULL OR to_user_id = $1) AND message_id = ANY($2::text[])',
            [userId, messageIds],
          )).rowCount ?? 0,
    rememberAcknowledged: async (messageId, at) => {
      await db.query(
        `INSERT INTO acknowledged_messages (message_id, acknowledged_at) VALUES ($1, $2)
         ON CONFLICT (message_id) DO UPDATE SET acknowledged_at = excluded.acknowledged_at`,
        [messageId, at],
      )
    },
    acknowledgedSince: async (messageId, since) =>
      (await db.query('SELECT 1 FROM acknowledged_messages WHERE message_id = $1 AND acknowledged_at >= $2', [messageId, since])).rowCount === 1,
    forgetAcknowledged: async (messageId) => {
      await db.query('DELETE FROM acknowledged_messages WHERE message_id = $1', [messageId])
    },
    purgeAcknowledged: async (before) =>
      (await db.query('DELETE FROM acknowledged_messages WHERE acknowledged_at < $1', [before])).rowCount ?? 0,
  }
}
