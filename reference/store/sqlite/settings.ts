import type { Database } from 'better-sqlite3'
import type { Settings, SyncSettingsStore } from '../store.ts'

const fields = ['leaseSeconds', 'groupIdleSeconds', 'replayWindowSeconds', 'clientIdleSeconds', 'handoverSeconds', 'keepAliveSeconds'] as const

export function sqliteSettingsStore(db: Database): SyncSettingsStore {
  const read = db.prepare<[], Settings>(
    `SELECT lease_seconds AS leaseSeconds, group_idle_seconds AS groupIdleSeconds,
       replay_window_seconds AS replayWindowSeconds, client_idle_seconds AS clientIdleSeconds,
       handover_seconds AS handoverSeconds, keep_alive_seconds AS keepAliveSeconds
     FROM settings WHERE id = 1`,
  )
  // A null parameter keeps the current value, so one statement serves every partial update.
  const update = db.prepare<Record<(typeof fields)[number], number | null>>(
    `UPDATE settings SET
       lease_seconds = coalesce(@leaseSeconds, lease_seconds),
       group_idle_seconds = coalesce(@groupIdleSeconds, group_idle_seconds),
       replay_window_seconds = coalesce(@replayWindowSeconds, replay_window_seconds),
       client_idle_seconds = coalesce(@clientIdleSeconds, client_idle_seconds),
       handover_seconds = coalesce(@handoverSeconds, handover_seconds),
       keep_alive_seconds = coalesce(@keepAliveSeconds, keep_alive_seconds)
     WHERE id = 1`,
  )

  const getSettings = (): Settings => read.get()!

  return {
    getSettings,
    updateSettings: (patch) => {
      for (const field of fields) {
        const value = patch[field]
        if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
          throw new RangeError(`setting ${field} must be a positive integer, got ${value}`)
        }
      }
      update.run({
        leaseSeconds: patch.leaseSeconds ?? null,
        groupIdleSeconds: patch.groupIdleSeconds ?? null,
        replayWindowSeconds: patch.replayWindowSeconds ?? null,
        clientIdleSeconds: patch.clientIdleSeconds ?? null,
        handoverSeconds: patch.handoverSeconds ?? null,
        keepAliveSeconds: patch.keepAliveSeconds ?? null,
      })
      return getSettings()
    },
  }
}
