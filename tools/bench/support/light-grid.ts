// A user server in its own process over a fixture, with light regions around it in this
// process: what the sign-on storm and the group fan-out both need.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mapLimit } from '../harness/concurrency.ts'
import { forkChild, REPO_ROOT, type IpcChild } from '../harness/processes.ts'
import { buildFixture, type Fixture, type FixtureOptions } from './fixtures.ts'
import { LightRegion, newRecorder, type Recorder } from './light-region.ts'
import type { UserServerIpc } from './user-server-child.ts'

export type LightGrid = {
  dir: string
  fixture: Fixture
  userServer: IpcChild<UserServerIpc>
  userServerUrl: string
  regions: LightRegion[]
  recorder: Recorder
  stop: () => Promise<void>
}

export async function startLightGrid (options: Omit<FixtureOptions, 'dir'> & { cpuProfDir?: string, beforeStart?: (fixture: Fixture) => void | Promise<void> }): Promise<LightGrid> {
  const dir = mkdtempSync(join(tmpdir(), 'gridim-bench-'))
  const fixture = await buildFixture({ ...options, dir, settings: { leaseSeconds: 3600, ...options.settings } })
  await options.beforeStart?.(fixture)
  const userServer = await forkChild<UserServerIpc>(join(REPO_ROOT, 'tools/bench/support/user-server-child.ts'), {
    name: 'user-server', cpuProfDir: options.cpuProfDir, args: ['--db', fixture.dbPath, '--key-file', fixture.keyFile, '--admin-token', randomBytes(16).toString('hex')]
  })
  const recorder = newRecorder()
  const regions = fixture.regions.map((r, i) => new LightRegion(i, r.regionId, r.name, r.privateKey, recorder))
  const stop = async (): Promise<void> => {
    await userServer.stop()
    for (const r of regions) await r.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await mapLimit(regions, 16, async (r) => { await r.start(); await r.renewLease(userServer.ready.url) })
  } catch (error) {
    await stop()
    throw error
  }
  return { dir, fixture, userServer, userServerUrl: userServer.ready.url, regions, recorder, stop }
}
