import type { Settings, SettingsStore } from '../store.ts'
import type { Db } from './connection.ts'

const fields = ['leaseSeconds', 'groupIdleSeconds', 'replayWindowSeconds', 'clientIdleSeconds', 'handoverSeconds', 'keepAliveSeconds'] as const

const columns = `lease_seconds AS "leaseSeconds", group_idle_seconds AS "groupIdleSeconds",
  replay_window_seconds AS "replayWindowSeconds", client_idle_seconds AS "clientIdleSeconds",
  handover_seconds AS "handoverSeconds", keep_alive_seconds AS "keepAliveSeconds"`

export function postgresSettingsStore(db: Db): SettingsStore {
  return {
    getSettings: async () => (await db.query<Settings>(`SELECT ${columns} FROM settings WHERE id = 1`)).rows[0]!,
    updateSettings: async (patch) => {
      for (const field of fields) {
        const value = patch[field]
        if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
          throw new RangeError(`setting ${field} must be a positive integer, got ${value}`)
        }
      }
      // A null parameter keeps the current value, so one statement serves every partial update
      // and answers with the result.
      return (await db.query<Settings>(
        `UPDATE settings SET
           lease_seconds = coalesce($1, lease_seconds),
           group_idle_seconds = coalesce($2, group_idle_seconds),
           replay_window_seconds = coalesce($3, replay_window_seconds),
           client_idle_seconds = coalesce($4, client_idle_seconds),
           handover_seconds = coalesce($5, handover_seconds),
           keep_alive_seconds = coalesce($6, keep_alive_seconds)
         WHERE id = 1 RETURNING ${columns}`,
        fields.map((field) => patch[field] ?? null),
      )).rows[0]!
    },
  }
}
