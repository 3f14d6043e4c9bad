import type { RegionRow, RegionStore } from '../store.ts'
import type { Db } from './connection.ts'

const columns = `region_id AS "regionId", name, kind, public_key AS "publicKey", url,
  lease_expires_at AS "leaseExpiresAt"`

export function postgresRegionStore(db: Db): RegionStore {
  return {
    provisionRegion: async (region) =>
      (await db.query<RegionRow>(
        `INSERT INTO regions (region_id, name, kind, public_key) VALUES ($1, $2, $3, $4)
         ON CONFLICT (region_id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
           public_key = excluded.public_key
         RETURNING ${columns}`,
        [region.regionId, region.name, region.kind, region.publicKey],
      )).rows[0]!,
    getRegion: async (regionId) =>
      (await db.query<RegionRow>(`SELECT ${columns} FROM regions WHERE region_id = $1`, [regionId])).rows[0] ?? null,
    listRegions: async () => (await db.query<RegionRow>(`SELECT ${columns} FROM regions ORDER BY name, region_id`)).rows,
    renewLease: async (regionId, url, expiresAt) =>
      (await db.query<RegionRow>(
        `UPDATE regions SET url = $1, lease_expires_at = $2 WHERE region_id = $3 RETURNING ${columns}`,
        [url, expiresAt, regionId],
      )).rows[0] ?? null,
    // Conditional: when two processes end the same lease at once, the second waits for the
    // first's row lock, finds the lease gone and changes nothing — exactly one sees true.
    endLease: async (regionId, lapsedBy = Number.MAX_SAFE_INTEGER) =>
      (await db.query(
        `UPDATE regions SET lease_expires_at = NULL
         WHERE region_id = $1 AND lease_expires_at IS NOT NULL AND lease_expires_at <= $2`,
        [regionId, lapsedBy],
      )).rowCount === 1,
    listExpiredLeases: async (now) =>
      (await db.query<RegionRow>(
        `SELECT ${columns} FROM regions
         WHERE lease_expires_at IS NOT NULL AND lease_expires_at <= $1
         ORDER BY lease_expires_at, region_id`,
        [now],
      )).rows,
  }
}
