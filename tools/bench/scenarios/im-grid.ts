// Scenario 1's grid rows: a grid of separate processes (the user server and 2 × regionPairs
// `gridim region` processes) per region-pair count, measured over each client path. User pair i
// sends from region 2r to region 2r + 1, r = i mod regionPairs: the same number of user pairs
// spread evenly over the region pairs, every message crossing from one region to another
// (GRIDIM-IM-1: no central relay). Each path gets its own users on the same grid, logged in
// right before it is measured, so no path reads another's events.
import { renameSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { startProcessGrid, type ProcessGrid } from '../../../reference/e2e/process-grid.ts'
import { mapLimit } from '../harness/concurrency.ts'
import { measureLink, type Link, type RateSearch } from '../harness/load.ts'
import { processCpuMs, withCpuProfiles } from '../harness/processes.ts'
import type { ScenarioOptions } from '../harness/scenario.ts'
import { openGridLink, type GridClient } from '../support/grid-link.ts'
import { openStreamLink, probeClientStream } from '../support/stream-link.ts'

/** How the bench's clients talk to their regions: HTTP requests + SSE, or one WebSocket each. */
export const PATHS = ['http', 'stream'] as const
export type GridPath = typeof PATHS[number]

export const PATH_LABELS: Record<GridPath, string> = {
  http: 'HTTP + SSE',
  stream: 'client stream (WebSocket)'
}

export type GridSizes = { pairs: number, bytes: number, windows: number[], durationMs: number, warmupMs: number, openDurationMs: number, paths: string[] }

export type SystemRun = {
  system: string
  search: RateSearch
  errors: number
  /** Grid rows: the client path, region pairs and region processes. */
  path?: GridPath
  regionPairs?: number
  regionProcesses?: number
  extra?: Record<string, unknown>
}

/** What the stream probe found, kept across grids of one run (every region runs the same code). */
export type StreamSupport = { available?: boolean, reason?: string }

export const cpuOf = (pids: number[]) => () => pids.reduce((sum, pid) => sum + processCpuMs(pid), 0)

/** Users of one path: pairs of friends, sender logged in at region 2r, recipient at 2r + 1. */
async function loginPairs (grid: ProcessGrid, pairs: number, regionPairs: number, path: GridPath): Promise<Array<{ from: GridClient, to: GridClient }>> {
  const tag = path === 'http' ? 'h' : 'w'
  const users = await mapLimit(Array.from({ length: pairs * 2 }, (_, i) => i), 8, (i) => grid.createUser(`${i % 2 === 0 ? 'Send' : 'Recv'}${i >> 1}${tag}`))
  return await mapLimit(Array.from({ length: pairs }, (_, i) => i), 4, async (i) => {
    const [a, b] = [users[2 * i]!, users[2 * i + 1]!]
    const r = i % regionPairs
    await grid.admin('adminCreateFriendship', { body: { userIds: [a.userId, b.userId], rights: { ab: 1, ba: 1 } } })
    const [sa, sb] = await Promise.all([grid.login(a, 2 * r), grid.login(b, 2 * r + 1)])
    return {
      from: { regionUrl: grid.regions[2 * r]!.ready.url, userId: sa.userId, sessionSecret: sa.login.sessionSecret },
      to: { regionUrl: grid.regions[2 * r + 1]!.ready.url, userId: sb.userId, sessionSecret: sb.login.sessionSecret }
    }
  })
}

/**
 * Profiles are written as <role>-<pid>.cpuprofile when a process exits; this names them after
 * the grid and the region's part in it (e.g. grid-2pairs-region3-send-1234.cpuprofile).
 */
function nameProfiles (dir: string | undefined, grid: ProcessGrid, regionPairs: number): void {
  if (dir === undefined) return
  const roles: Array<[string, number | undefined]> = [
    ['user-server', grid.userServer.child.pid],
    ...grid.regions.map((r, j): [string, number | undefined] => [`region${j + 1}-${j % 2 === 0 ? 'send' : 'recv'}`, r.child.pid])
  ]
  for (const [role, pid] of roles) {
    const from = join(dir, `${role.startsWith('region') ? 'region' : role}-${pid}.cpuprofile`)
    if (existsSync(from)) renameSync(from, join(dir, `grid-${regionPairs}pairs-${role}-${pid}.cpuprofile`))
  }
}

/** The rows of one grid: one per path; a stream row is skipped (noted) when the region has no client stream. */
export async function runGridRows (sizes: GridSizes, options: ScenarioOptions, regionPairs: number, stream: StreamSupport): Promise<{ runs: SystemRun[], streamSkipped: boolean }> {
  const grid = await withCpuProfiles(options.cpuProfDir, () => startProcessGrid({ regions: 2 * regionPairs }))
  const runs: SystemRun[] = []
  let streamSkipped = false
  try {
    const pids = [grid.userServer.child.pid!, ...grid.regions.map((r) => r.child.pid!)]
    for (const path of sizes.paths as GridPath[]) {
      if (path === 'stream') {
        if (stream.available === undefined) Object.assign(stream, await probeClientStream(grid.regions[0]!.ready.url))
        if (stream.available === false) {
          streamSkipped = true
          continue
        }
      }
      options.log(`im: grid, ${regionPairs} region pair(s), ${PATH_LABELS[path]}`)
      const pairs = await loginPairs(grid, sizes.pairs, regionPairs, path)
      let link: (Link & { close: () => void, outcomes: Record<string, number> }) | undefined
      try {
        link = path === 'http' ? await openGridLink(pairs, sizes.bytes) : await openStreamLink(pairs, sizes.bytes)
        const search = await measureLink(link, { ...sizes, cpu: cpuOf(pids) })
        runs.push({ system: `GridIM region → region (${PATH_LABELS[path]}, ${regionPairs} region pair${regionPairs === 1 ? '' : 's'})`, search, errors: link.errors, path, regionPairs, regionProcesses: 2 * regionPairs, extra: { outcomes: link.outcomes, ...('problems' in link ? { problems: link.problems } : {}) } })
      } finally {
        link?.close()
      }
    }
  } finally {
    await grid.stop()
    nameProfiles(options.cpuProfDir, grid, regionPairs)
  }
  return { runs, streamSkipped }
}
