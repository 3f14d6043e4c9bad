// A target of regions only: the runner plays the user server (conformance/target/
// simulated-user-server.ts), provisions each region under test in its directory, starts the
// regions from the target file's commands (or waits for the implementer to start them), and
// tests them. Traffic to and from the user server is observed; traffic between two regions under
// test is not, so flow checks of it are reported impossible.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportPrivateKey, exportPublicKey, generateKeyPair } from '../../reference/lib/signatures/index.ts'
import { freePorts } from '../../tools/xmpp-servers/free-port.ts'
import { placeholdersOf, spawnRegion, waitForLease, type Placeholder, type RegionProcess } from './region-process.ts'
import { startSimulatedUserServer } from './simulated-user-server.ts'
import type { RegionEndpoint, Target } from './target.ts'

export type RegionUnderTest = {
  name?: string
  regionId?: string
  /** The region's own Ed25519 public key (base64url); without it the runner makes a key pair and offers {keyFile}. */
  publicKey?: string
  /** How to start it; without one the implementer starts it, and the runner waits for its lease. */
  command?: string | string[]
}

export type RegionsTargetOptions = {
  name: string
  regions: RegionUnderTest[]
  /** The simulated user server's port; 0 (the default) picks a free one. */
  userServerPort?: number
  leaseSeconds?: number
  /** How long a region may take to start and take its lease (default 30 s). */
  startTimeoutMs?: number
  /** Called for each region without a command, when the implementer should start it; by default a line on stderr. */
  startByHand?: (region: ManualStart) => void
}

/** What a region started by hand needs: the user server to use, its identity, and its key when the runner made it. */
export type ManualStart = { name: string, regionId: string, userServerUrl: string, keyFile?: string, timeoutMs: number }

function printManualStart ({ name, regionId, userServerUrl, keyFile, timeoutMs }: ManualStart): void {
  process.stderr.write(`Start region ${name} now: user server ${userServerUrl}, regionId ${regionId}` +
    `${keyFile ? `, key file ${keyFile}` : ''}. Waiting up to ${timeoutMs / 1000} s for its lease...\n`)
}

type Launch = { endpoint: RegionEndpoint, command?: string | string[], values: Partial<Record<Placeholder, string>>, process?: RegionProcess }

export async function startRegionsTarget (options: RegionsTargetOptions): Promise<Target> {
  const { regions, startTimeoutMs = 30_000, startByHand = printManualStart } = options
  const us = await startSimulatedUserServer({ port: options.userServerPort, leaseSeconds: options.leaseSeconds })
  const keysDir = mkdtempSync(join(tmpdir(), 'gridim-region-keys-'))
  const launches: Launch[] = []

  const start = async (launch: Launch): Promise<void> => {
    const { endpoint, command } = launch
    const wait = waitForLease((o) => us.observe(o), endpoint.regionId!, startTimeoutMs)
    if (command === undefined) {
      startByHand({ name: endpoint.name, regionId: endpoint.regionId!, userServerUrl: us.url, keyFile: launch.values.keyFile, timeoutMs: startTimeoutMs })
      endpoint.url = await wait.lease
      return
    }
    launch.process = spawnRegion(command, launch.values)
    const died = launch.process.exited.then((why) => { throw new Error(`region ${endpoint.name} ${why}`) })
    try {
      endpoint.url = await Promise.race([wait.lease, died])
    } catch (err) {
      wait.cancel()
      await launch.process.kill()
      throw new Error(`${(err as Error).message}\n  command: ${[command].flat().join(' ')}\n  output: ${launch.process.output().trim().slice(-1500)}`)
    }
  }

  const close = async (): Promise<void> => {
    for (const l of launches) await l.process?.stop()
    await us.stop()
    rmSync(keysDir, { recursive: true, force: true })
  }

  try {
    for (const [i, r] of regions.entries()) {
      const name = r.name ?? `Region ${i + 1}`
      const regionId = r.regionId ?? randomUUID()
      const values: Launch['values'] = { userServerUrl: us.url, userServerKey: us.publicKey, regionId, name }
      let publicKey = r.publicKey
      if (publicKey === undefined) {
        const keys = generateKeyPair()
        values.keyFile = join(keysDir, `${regionId}.pem`)
        writeFileSync(values.keyFile, exportPrivateKey(keys.privateKey), { mode: 0o600 })
        publicKey = exportPublicKey(keys.publicKey)
      }
      if (r.command !== undefined && placeholdersOf(r.command).includes('port')) values.port = String((await freePorts(1))[0])
      await us.provisionRegion({ regionId, name, publicKey })
      launches.push({ endpoint: { name, regionId, url: '' }, command: r.command, values })
    }
    for (const launch of launches) await start(launch)
  } catch (err) {
    await close()
    throw err
  }

  const restartable = launches.every((l) => l.command !== undefined)
  return {
    name: options.name,
    userServerUrl: us.url,
    adminToken: us.adminToken,
    regions: launches.map((l) => l.endpoint),
    playsUserServer: true,
    userServerKey: us.privateKey,
    capabilities: new Set(['admin-settings', 'restart-user-server', 'observe-traffic', 'sign-as-user-server', ...(restartable ? ['kill-region'] : [])]),
    killRegion: restartable ? async (index) => { await launches[index]!.process?.kill() } : undefined,
    // Started again by the same command, with the same identity, key and port.
    reviveRegion: restartable ? async (index) => { await start(launches[index]!) } : undefined,
    restartUserServer: async (downMs) => { await us.restart(downMs) },
    observe: (observer) => us.observe(observer),
    // Only what reaches or leaves the user server passes through the runner.
    observes: (from, to) => from === 'US' || to === 'US',
    keyIdUrl: (keyId) => keyId === 'user-server' ? us.url : launches.find((l) => l.endpoint.regionId === keyId)?.endpoint.url,
    close
  }
}
