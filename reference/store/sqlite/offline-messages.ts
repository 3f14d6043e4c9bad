import type { Database } from 'better-sqlite3'
import type { OfflineMessageRow, SyncOfflineMessageStore } from '../store.ts'

const columns = `message_id AS messageId, from_user_id AS fromUserId, from_name AS fromName,
  to_user_id AS toUserId, body, sent_at AS sentAt`

/** GRIDIM-OFFL: held until the recipient's side acknowledges them, never deleted on read. */
export function sqliteOfflineMessageStore(db: Database): SyncOfflineMessageStore {
  const insert = db.prepare<OfflineMessageRow>(
    `INSERT INTO offline_messages (message_id, to_user_id, from_user_id, from_name, body, sent_at)
     VALUES (@messageId, @toUserId, @fromUserId, @fromName, @body, @sentAt)
     ON CONFLICT (message_id) DO NOTHING`,
  )
  const page = db.prepare<[string, number], OfflineMessageRow>(
    `SELECT ${columns} FROM offline_messages WHERE to_user_id = ? ORDER BY sent_at, seq LIMIT ?`,
  )
  // The user id twice: null (the fault acknowledge-ignores-recipient) matches any recipient.
  const remove = db.prepare<[string | null, string | null, string]>(
    `DELETE FROM offline_messages
     WHERE (? IS NULL OR to_user_id = ?) AND message_id IN (SELECT value FROM json_each(?))`,
  )

  const remember = db.prepare<[string, number]>(
    `INSERT INTO acknowledged_messages (message_id, acknowledged_at) VALUES (?, ?)
     ON CONFLICT (message_id) DO UPDATE SET acknowledged_at = excluded.acknowledged_at`,
  )
  const since = db.prepare<[string, number], { found: number }>(
    'SELECT 1 AS found FROM acknowledged_messages WHERE message_id = ? AND acknowledged_at >= ?',
  )
  const forget = db.prepare<[string]>('DELETE FROM acknowledged_messages WHERE message_id = ?')
  const purge = db.prepare<[number]>('DELETE FROM acknowledged_messages WHERE acknowledged_at < ?')

  return {
    storeOffline: (message) => (insert.run(message).changes === 1 ? 'stored' : 'duplicate'),
    listOffline: (userId, limit) => {
      // One row past the page tells whether more are waiting.
      const rows = page.all(userId, limit + 1)
      const more = rows.length > limit
      return { messages: more ? rows.slice(0, limit) : rows, more }
    },
    acknowledge: (userId, messageIds) =>
      messageIds.length === 0 ? 0 : remove.run(userId, userId, JSON.stringify(messageIds)).changes,
    rememberAcknowledged: (messageId, at) => {
      remember.run(messageId, at)
    },
    acknowledgedSince: (messageId, from) => since.get(messageId, from) !== undefined,
    forgetAcknowledged: (messageId) => {
      forget.run(messageId)
    },
    purgeAcknowledged: (before) => purge.run(before).changes,
  }
}
