// What a refused request must not change (GRIDIM-ERR-5): every row of the user server's store,
// read through a second, read-only SQLite connection (so new tables count too), and what each
// region and the gateway hold — their agents, sessions, friends and event logs. Only what moves
// on its own is left out: lease expiry times, which regions renew while the test runs.
import Database from 'better-sqlite3'
import type { Region } from '../../reference/region/index.ts'

export type Snapshot = Map<string, string>

/** Columns that change without any request: a region renews its lease on a timer. */
const MOVING = new Set(['lease_expires_at'])

export function storeRows (file: string): Snapshot {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const out: Snapshot = new Map()
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>
    for (const { name } of tables) {
      const rows = db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>
      const kept = rows.map((row) => JSON.stringify(Object.entries(row).filter(([column]) => !MOVING.has(column)))).sort()
      out.set(`table ${name}`, kept.join('\n'))
    }
    return out
  } finally {
    db.close()
  }
}

export function regionState (label: string, region: Pick<Region, 'agents'>): Snapshot {
  const out: Snapshot = new Map()
  for (const agent of region.agents.list()) {
    out.set(`${label} agent ${agent.userId}`, JSON.stringify({
      sessionId: agent.sessionId,
      friends: agent.friends,
      events: agent.log.size,
      head: agent.log.head,
      unacknowledged: agent.unacknowledged.length,
      sent: agent.sent.size
    }))
  }
  out.set(`${label} agents`, String(region.agents.size))
  return out
}

/** The keys whose values differ between two snapshots, with both values. */
export function differences (before: Snapshot, after: Snapshot): string[] {
  const out: string[] = []
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(key) !== after.get(key)) out.push(`${key}: ${before.get(key) ?? '(none)'} → ${after.get(key) ?? '(none)'}`)
  }
  return out
}
