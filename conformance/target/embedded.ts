// The embedded target: the reference grid started in this process (user server with an SQLite
// file in a temporary folder, three regions), with every optional ability the runner can use.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger, PeerClient } from '../../reference/lib/http/index.ts'
import { startGrid } from '../../reference/grid/start-grid.ts'
import type { Fault } from '../../reference/lib/faults.ts'
import type { Target } from './target.ts'

export type EmbeddedOptions = {
  regionCount?: number
  leaseSeconds?: number
  /** Deliberate bugs, so that conformance/variants can show the suite catches them. */
  faults?: ReadonlySet<Fault>
}

export async function startEmbeddedTarget ({ regionCount = 3, leaseSeconds = 5, faults }: EmbeddedOptions = {}): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridim-conformance-'))
  const grid = await startGrid({
    dataDir,
    regionCount,
    logger: createLogger({ role: 'embedded' }),
    // Leases short enough that a crashed region is noticed soon; flows that test lapses set shorter ones.
    settings: { leaseSeconds },
    faults
  })
  const killed = new Set<number>()
  return {
    name: faults?.size ? `embedded reference grid with faults: ${[...faults].join(', ')}` : 'embedded reference grid',
    userServerUrl: grid.userServerUrl,
    adminToken: grid.adminToken,
    regions: grid.regionInfo.map((r) => ({ name: r.name, regionId: r.regionId, url: r.url })),
    capabilities: new Set(['admin-settings', 'kill-region', 'restart-user-server', 'observe-traffic']),
    async killRegion (index) {
      killed.add(index)
      await grid.regions[index]!.kill()
    },
    async reviveRegion (index) {
      await grid.reviveRegion(index)
      killed.delete(index)
    },
    restartUserServer: () => grid.restartUserServer(),
    observe: (observer) => PeerClient.observe(observer),
    keyIdUrl: (keyId) => keyId === 'user-server' ? grid.userServerUrl : grid.regionInfo.find((r) => r.regionId === keyId)?.url,
    async close () {
      await Promise.all(grid.regions.map(async (r, i) => { if (!killed.has(i)) await r.stop() }))
      await grid.userServer.stop()
      grid.store.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
