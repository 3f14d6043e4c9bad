import type { Database } from 'better-sqlite3'
import type { NewRegion, RegionRow, SyncRegionStore } from '../store.ts'

const columns = `region_id AS regionId, name, kind, public_key AS publicKey, url,
  lease_expires_at AS leaseExpiresAt`

export function sqliteRegionStore(db: Database): SyncRegionStore {
  const provision = db.prepare<NewRegion, RegionRow>(
    `INSERT INTO regions (region_id, name, kind, public_key)
     VALUES (@regionId, @name, @kind, @publicKey)
     ON CONFLICT (region_id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
       public_key = excluded.public_key
     RETURNING ${columns}`,
  )
  const byId = db.prepare<[string], RegionRow>(`SELECT ${columns} FROM regions WHERE region_id = ?`)
  const all = db.prepare<[], RegionRow>(`SELECT ${columns} FROM regions ORDER BY name, region_id`)
  const renew = db.prepare<[string, number, string], RegionRow>(
    `UPDATE regions SET url = ?, lease_expires_at = ? WHERE region_id = ? RETURNING ${columns}`,
  )
  const end = db.prepare<[string, number]>(
    `UPDATE regions SET lease_expires_at = NULL
     WHERE region_id = ? AND lease_expires_at IS NOT NULL AND lease_expires_at <= ?`,
  )
  const expired = db.prepare<[number], RegionRow>(
    `SELECT ${columns} FROM regions
     WHERE lease_expires_at IS NOT NULL AND lease_expires_at <= ?
     ORDER BY lease_expires_at, region_id`,
  )

  return {
    provisionRegion: (region) => provision.get(region)!,
    getRegion: (regionId) => byId.get(regionId) ?? null,
    listRegions: () => all.all(),
    renewLease: (regionId, url, expiresAt) => renew.get(url, expiresAt, regionId) ?? null,
    endLease: (regionId, lapsedBy = Number.MAX_SAFE_INTEGER) => end.run(regionId, lapsedBy).changes === 1,
    listExpiredLeases: (now) => expired.all(now),
  }
}
