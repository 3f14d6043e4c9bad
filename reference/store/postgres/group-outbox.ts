import type { GroupOutboxRow, GroupOutboxStore } from '../store.ts'
import type { Db } from './connection.ts'

type Row = { outbox_id: number, region_id: string, url: string, delivery: string, owner: string, claimed_until: number }

const toRow = (r: Row): GroupOutboxRow =>
  ({ outboxId: r.outbox_id, regionId: r.region_id, url: r.url, delivery: r.delivery, owner: r.owner, claimedUntil: r.claimed_until })

export function postgresGroupOutboxStore(db: Db): GroupOutboxStore {
  return {
    // One statement for all of a message's regions; identities are drawn in the order of the
    // arrays, so sorted they are the rows' in the order given.
    addGroupOutbox: async (rows, owner, claimedUntil) => {
      if (rows.length === 0) return []
      const inserted = await db.query<{ outbox_id: number }>(
        `INSERT INTO group_outbox (region_id, url, delivery, owner, claimed_until)
         SELECT r.region_id, r.url, r.delivery, $4, $5
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS r (region_id, url, delivery, n)
         ORDER BY r.n
         RETURNING outbox_id`,
        [rows.map((r) => r.regionId), rows.map((r) => r.url), rows.map((r) => r.delivery), owner, claimedUntil],
      )
      return inserted.rows.map((r) => r.outbox_id).sort((a, b) => a - b)
    },
    // SKIP LOCKED: a process claiming at the same time passes over the rows this one is taking
    // (and the rows a transaction is still inserting) instead of waiting for them; a row whose
    // claim another process renewed or took meanwhile is seen updated and left out.
    claimGroupOutbox: async (owner, now, leaseMs, limit) =>
      (await db.query<Row>(
        `UPDATE group_outbox o SET owner = $1, claimed_until = $2
         FROM (SELECT outbox_id FROM group_outbox WHERE claimed_until <= $3 ORDER BY outbox_id LIMIT $4 FOR UPDATE SKIP LOCKED) c
         WHERE o.outbox_id = c.outbox_id
         RETURNING o.*`,
        [owner, now + leaseMs, now, limit],
      )).rows.map(toRow).sort((a, b) => a.outboxId - b.outboxId),
    renewGroupOutbox: async (owner, outboxIds, claimedUntil) =>
      outboxIds.length === 0
        ? 0
        : (await db.query('UPDATE group_outbox SET claimed_until = $1 WHERE owner = $2 AND outbox_id = ANY($3::bigint[])', [claimedUntil, owner, outboxIds])).rowCount ?? 0,
    deleteGroupOutbox: async (outboxIds) =>
      outboxIds.length === 0 ? 0 : (await db.query('DELETE FROM group_outbox WHERE outbox_id = ANY($1::bigint[])', [outboxIds])).rowCount ?? 0,
    listGroupOutbox: async (limit) =>
      (await db.query<Row>('SELECT * FROM group_outbox ORDER BY outbox_id LIMIT $1', [limit])).rows.map(toRow),
  }
}
