import type { Database } from 'better-sqlite3'
import type { GroupOutboxRow, NewGroupOutboxRow, SyncGroupOutboxStore } from '../store.ts'

type Row = { outbox_id: number, region_id: string, url: string, delivery: string, owner: string, claimed_until: number }

const toRow = (r: Row): GroupOutboxRow =>
  ({ outboxId: r.outbox_id, regionId: r.region_id, url: r.url, delivery: r.delivery, owner: r.owner, claimedUntil: r.claimed_until })

export function sqliteGroupOutboxStore(db: Database): SyncGroupOutboxStore {
  const insert = db.prepare<[string, string, string, string, number]>(
    'INSERT INTO group_outbox (region_id, url, delivery, owner, claimed_until) VALUES (?, ?, ?, ?, ?)',
  )
  // The ids as a JSON array: one statement whatever their number.
  const claim = db.prepare<[string, number, number, number], Row>(
    `UPDATE group_outbox SET owner = ?, claimed_until = ?
     WHERE outbox_id IN (SELECT outbox_id FROM group_outbox WHERE claimed_until <= ? ORDER BY outbox_id LIMIT ?)
     RETURNING *`,
  )
  const renew = db.prepare<[number, string, string]>(
    'UPDATE group_outbox SET claimed_until = ? WHERE owner = ? AND outbox_id IN (SELECT value FROM json_each(?))',
  )
  const list = db.prepare<[number], Row>('SELECT * FROM group_outbox ORDER BY outbox_id LIMIT ?')
  const remove = db.prepare<[string]>('DELETE FROM group_outbox WHERE outbox_id IN (SELECT value FROM json_each(?))')

  const add = db.transaction((rows: readonly NewGroupOutboxRow[], owner: string, claimedUntil: number): number[] =>
    rows.map((r) => Number(insert.run(r.regionId, r.url, r.delivery, owner, claimedUntil).lastInsertRowid)))

  return {
    addGroupOutbox: (rows, owner, claimedUntil) => (rows.length === 0 ? [] : add(rows, owner, claimedUntil)),
    // RETURNING promises no order: sorted here.
    claimGroupOutbox: (owner, now, leaseMs, limit) =>
      claim.all(owner, now + leaseMs, now, limit).map(toRow).sort((a, b) => a.outboxId - b.outboxId),
    renewGroupOutbox: (owner, outboxIds, claimedUntil) =>
      outboxIds.length === 0 ? 0 : renew.run(claimedUntil, owner, JSON.stringify(outboxIds)).changes,
    deleteGroupOutbox: (outboxIds) => (outboxIds.length === 0 ? 0 : remove.run(JSON.stringify(outboxIds)).changes),
    listGroupOutbox: (limit) => list.all(limit).map(toRow),
  }
}
