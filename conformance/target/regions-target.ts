// A target of regions only: the runner plays the user server (conformance/target/
// simulated-user-server.ts), provisions each region under test in its directory, starts the
// regions from the target file's commands (or waits for the implementer to start them), and
// tests them. Traffic to and from the user server is observed (it runs behind a proxy of the
// runner's, so flows can also cut or hold links to it); traffic between two regions under test is
// observed when the one it goes to runs behind a proxy of the runner's too — its command names
// {publicUrl}, the URL it must register — and otherwise its flow checks are reported impossible. A region's regionId is optional: the
// runner assigns one it can tell the region ({regionId}, or the line printed for a region started
// by hand), or else learns the region's own from its first lease request (learn-region-id.ts).
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportPrivateKey, exportPublicKey, generateKeyPair, importPublicKey } from '../../reference/lib/signatures/index.ts'
import { freePorts } from '../../tools/xmpp-servers/free-port.ts'
import { learnFrom, type Unidentified } from './learn-region-id.ts'
import { placeholdersOf, spawnRegion, waitForLease, type Placeholder, type RegionProcess } from './region-process.ts'
import { describeRefusals } from '../lib/refusals.ts'
import { OutputLog } from './output-log.ts'
import { startSimulatedUserServer, type SimulatedUserServer } from './simulated-user-server.ts'
import { Links } from './links.ts'
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import { BATCHING_SENDER_MISSING, DECLARED_CAPABILITIES, type RegionEndpoint, type Target } from './target.ts'

export type RegionUnderTest = {
  name?: string
  /**
   * Optional. Without it the runner assigns an id when it can tell the region (its command has
   * {regionId}, or it is started by hand with a key the runner made); otherwise the region has an
   * id of its own, which the runner learns from its first lease request.
   */
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
  /** What the target file says its regions do beyond the MUSTs (e.g. batching-sender); the rest of its capabilities are implied. */
  declared?: readonly string[]
  /** How long a region may take to start and take its lease (default 30 s). */
  startTimeoutMs?: number
  /** Called for each region without a command, when the implementer should start it; by default a line on stderr. */
  startByHand?: (region: ManualStart) => void
}

/**
 * What a region started by hand needs: the user server to use, its identity (none when the region
 * has its own, which the runner learns), and its key when the runner made it.
 */
export type ManualStart = { name: string, regionId?: string, userServerUrl: string, keyFile?: string, timeoutMs: number }

function printManualStart ({ name, regionId, userServerUrl, keyFile, timeoutMs }: ManualStart): void {
  process.stderr.write(`Start region ${name} now: user server ${userServerUrl}, ` +
    `${regionId === undefined ? 'its own regionId (learned from its first lease request)' : `regionId ${regionId}`}` +
    `${keyFile ? `, key file ${keyFile}` : ''}. Waiting up to ${timeoutMs / 1000} s for its lease...\n`)
}

/** Whether the runner can tell a region without a regionId in the target file the id it assigns. */
export function canBeToldId (r: RegionUnderTest): boolean {
  return r.command === undefined ? r.publicKey === undefined : placeholdersOf(r.command).includes('regionId')
}

type Launch = { endpoint: RegionEndpoint, command?: string | string[], values: Partial<Record<Placeholder, string>>, process?: RegionProcess, log: OutputLog }

/** A command that names {publicUrl} must name {port} too: the runner's proxy forwards there. */
function checkPublicUrl (r: RegionUnderTest, name: string): boolean {
  const named = r.command === undefined ? [] : placeholdersOf(r.command)
  if (!named.includes('publicUrl')) return false
  if (!named.includes('port')) throw new Error(`${name}: a command with {publicUrl} needs {port} too — the runner's proxy at {publicUrl} forwards to the region at {port}`)
  return true
}

export async function startRegionsTarget (options: RegionsTargetOptions): Promise<Target> {
  const { regions, startTimeoutMs = 30_000, startByHand = printManualStart } = options
  const names = regions.map((r, i) => r.name ?? `Region ${i + 1}`)
  const proxied = regions.map((r, i) => checkPublicUrl(r, names[i]!))
  // The user server the runner plays, behind a proxy of the runner's (issue 14: links a flow can cut).
  const links = new Links()
  const userServerProxy = await links.front()
  const regionObservers = new Set<(exchange: ObservedExchange) => void>()
  let us: SimulatedUserServer
  try {
    us = await startSimulatedUserServer({ port: options.userServerPort, leaseSeconds: options.leaseSeconds, publicUrl: userServerProxy.url, listening: (url) => { userServerProxy.upstream = url } })
  } catch (err) {
    await links.close()
    throw err
  }
  const keysDir = mkdtempSync(join(tmpdir(), 'gridim-region-keys-'))
  const launches: Launch[] = []
  const unidentified = new Set<Unidentified>()
  const stopLearning = us.beforeRequest(async (request) => { await learnFrom(request, unidentified, us.hasRegion) })

  const start = async (launch: Launch): Promise<void> => {
    const { endpoint, command } = launch
    const startedAt = Date.now()
    // Why it took no lease, when the user server the runner plays refused its renewals (issue 14).
    const refused = (err: unknown): Error => {
      const id = endpoint.regionId
      const mine = us.refusals.since(startedAt, (r) => id !== undefined && (r.keyId === id || r.path.includes(id)))
      return mine.length === 0 ? err as Error : new Error(`${(err as Error).message}; ${describeRefusals(mine)}`)
    }
    const wait = waitForLease((o) => us.observe(o), () => endpoint.regionId, startTimeoutMs)
    if (command === undefined) {
      startByHand({ name: endpoint.name, regionId: endpoint.regionId, userServerUrl: us.url, keyFile: launch.values.keyFile, timeoutMs: startTimeoutMs })
      endpoint.url = await wait.lease.catch((err) => { throw refused(err) })
      return
    }
    launch.process = spawnRegion(command, launch.values, launch.log)
    const died = launch.process.exited.then((why) => { throw new Error(`region ${endpoint.name} ${why}`) })
    try {
      endpoint.url = await Promise.race([wait.lease, died])
    } catch (err) {
      wait.cancel()
      await launch.process.kill()
      throw new Error(`${refused(err).message}\n  command: ${[command].flat().join(' ')}\n  output: ${launch.process.output().trim().slice(-1500)}`)
    }
  }

  const close = async (): Promise<void> => {
    stopLearning()
    for (const l of launches) await l.process?.stop()
    await links.close()
    await us.stop()
    rmSync(keysDir, { recursive: true, force: true })
  }

  try {
    for (const [i, r] of regions.entries()) {
      const name = names[i]!
      const regionId = r.regionId ?? (canBeToldId(r) ? randomUUID() : undefined)
      const values: Launch['values'] = { userServerUrl: us.url, userServerKey: us.publicKey, regionId, name }
      let publicKey = r.publicKey
      if (publicKey === undefined) {
        const keys = generateKeyPair()
        values.keyFile = join(keysDir, `region-${i + 1}.pem`)
        writeFileSync(values.keyFile, exportPrivateKey(keys.privateKey), { mode: 0o600 })
        publicKey = exportPublicKey(keys.publicKey)
      }
      if (r.command !== undefined && placeholdersOf(r.command).includes('port')) values.port = String((await freePorts(1))[0])
      if (proxied[i]) {
        // Its peers reach it through the runner's proxy, which records what regions under test
        // send it (the user server's requests the runner sees in-process already).
        const proxy = await links.front((x) => { if (x.keyId !== undefined && launches.some((l) => l.endpoint.regionId === x.keyId)) for (const o of regionObservers) o(x) })
        proxy.upstream = `http://127.0.0.1:${values.port!}`
        values.publicUrl = proxy.url
      }
      const endpoint: RegionEndpoint = { name, regionId, url: '' }
      if (regionId !== undefined) await us.provisionRegion({ regionId, name, publicKey })
      else {
        // Provisioned once its first lease request, signed with this key, names its id.
        const key = importPublicKey(publicKey)
        unidentified.add({
          key,
          learn: async (learned) => {
            await us.provisionRegion({ regionId: learned, name, publicKey: publicKey! })
            endpoint.regionId = learned
            values.regionId = learned
          }
        })
      }
      launches.push({ endpoint, command: r.command, values, log: new OutputLog(name) })
    }
    for (const launch of launches) await start(launch)
  } catch (err) {
    await close()
    throw err
  }

  const restartable = launches.every((l) => l.command !== undefined)
  const originOf = (url: string | undefined): string | undefined => { try { return url === undefined ? undefined : new URL(url).origin } catch { return undefined } }
  const isUnderTest = (url: string | undefined): boolean => url !== undefined && launches.some((l) => originOf(l.endpoint.url) === originOf(url))
  const isRunners = (url: string | undefined): boolean => url !== undefined && !isUnderTest(url) && originOf(url) !== originOf(us.url)
  const isProxied = (url: string | undefined): boolean => isUnderTest(url) && url !== undefined && links.proxyAt(url) !== undefined
  return {
    name: options.name,
    userServerUrl: us.url,
    adminToken: us.adminToken,
    regions: launches.map((l) => l.endpoint),
    playsUserServer: true,
    userServerKey: us.privateKey,
    capabilities: new Set(['admin-settings', 'restart-user-server', 'observe-traffic', 'sign-as-user-server', 'link-faults', ...(restartable ? ['kill-region', 'stop-region'] : []), ...(options.declared ?? []).filter((c) => DECLARED_CAPABILITIES.includes(c))]),
    ...(options.declared?.includes('batching-sender') === true ? {} : { missing: { 'batching-sender': BATCHING_SENDER_MISSING } }),
    links,
    killRegion: restartable ? async (index) => { await launches[index]!.process?.kill() } : undefined,
    // SIGTERM, the operator's request to shut down (README: a region's command).
    stopRegion: restartable ? async (index) => { await launches[index]!.process?.stop() } : undefined,
    // Started again by the same command, with the same identity, key and port.
    reviveRegion: restartable ? async (index) => { await start(launches[index]!) } : undefined,
    restartUserServer: async (downMs) => { await us.restart(downMs) },
    observe: (observer) => {
      const stop = us.observe(observer)
      regionObservers.add(observer)
      return () => { stop(); regionObservers.delete(observer) }
    },
    refusals: (since) => us.refusals.since(since),
    // What the regions the runner started wrote, across a revival too (the same log).
    processOutput: (since) => launches.flatMap((l) => l.log.since(since) ?? []),
    // What reaches or leaves the user server passes through the runner; so does what a region
    // under test sends one that runs behind the runner's proxy ({publicUrl} in its command), and
    // what it sends a role the runner plays itself (a simulated region, which records it).
    observes: (from, to, urlOf) => from === 'US' || to === 'US' || (isUnderTest(urlOf?.(from)) && (isProxied(urlOf?.(to)) || isRunners(urlOf?.(to)))),
    keyIdUrl: (keyId) => keyId === 'user-server' ? us.url : launches.find((l) => l.endpoint.regionId === keyId)?.endpoint.url,
    close
  }
}
