// A grid of separate processes for the end-to-end tests: one user server and N regions, each
// its own `gridim` process talking real, signed HTTP on loopback. With `userServerCluster`, the
// user server is several `gridim user-server` instances on one PostgreSQL database behind
// HAProxy (tools/cluster), and every other role knows it by the balancer's URL (issue 16).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AllOperations, DocumentOperations } from '../lib/contract/types.ts'

type AdminOperationId = keyof DocumentOperations['admin'] & string
import { PeerClient, type CallArgs, type CallResultFor } from '../lib/http/index.ts'
import { ClientSession } from '../../conformance/lib/client-session.ts'
import { startRole, type RoleProcess } from './processes.ts'
import { startUserServerCluster, type UserServerCluster } from '../../tools/cluster/user-server-cluster.ts'

export type TestUser = { firstName: string, lastName: string, password: string, userId: string }

export type ProcessGrid = {
  dataDir: string
  adminToken: string
  /** The user server's process; with a cluster, its first instance's. */
  userServer: RoleProcess
  /** The user server's URL: with a cluster, the balancer's. */
  userServerUrl: string
  /** The user-server instances and their balancer, when asked for. */
  cluster?: UserServerCluster
  regions: RoleProcess[]
  /** The XMPP gateway process, when asked for. */
  gateway?: RoleProcess
  /** An operation of openapi/admin.yaml with the admin token; resolves with the answer's body. */
  admin: <K extends AdminOperationId>(operationId: K, ...args: CallArgs<AllOperations[K]>) => Promise<CallResultFor<AllOperations[K]>['body']>
  createUser: (label: string) => Promise<TestUser>
  login: (user: TestUser, region: number) => Promise<ClientSession>
  /** Stops the user server (every instance of a cluster), waits downMs, starts it again on the same address. */
  restartUserServer: (downMs?: number) => Promise<void>
  /**
   * Ends region i (SIGKILL with `crash`, else SIGTERM) and starts it again with the same
   * identity, key, data and address, as a supervisor would; `regions[i]` is then the new process.
   */
  restartRegion: (index: number, options?: { crash?: boolean, downMs?: number }) => Promise<void>
  /** Ends region i (SIGKILL with `crash`) and leaves it down until restartRegion. */
  endRegion: (index: number, options?: { crash?: boolean }) => Promise<void>
  stop: () => Promise<void>
}

export type ProcessGridOptions = {
  regions?: number
  leaseSeconds?: number
  groupIdleSeconds?: number
  /** Start `gridim gateway` too, linked to this Jabber server when given (component port, secret, domain). */
  gateway?: { domain: string, port?: number, jabber?: { port: number, secret: string, domain: string, timings?: string } }
  /** The user server as `instances` processes on the PostgreSQL database `store` (postgres://…) behind HAProxy. */
  userServerCluster?: { instances: number, store: string }
}

export async function startProcessGrid ({ regions = 3, leaseSeconds, groupIdleSeconds, gateway, userServerCluster }: ProcessGridOptions = {}): Promise<ProcessGrid> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridim-e2e-'))
  const adminToken = randomBytes(16).toString('hex')
  const userServerArgs = ['user-server', '--data', dataDir, '--admin-token', adminToken, ...(gateway ? ['--gateway-domain', gateway.domain] : [])]
  const started: RoleProcess[] = []
  let gatewayProcess: RoleProcess | undefined
  const peer = new PeerClient()
  const cluster = userServerCluster === undefined
    ? undefined
    : await startUserServerCluster({ ...userServerCluster, adminToken, dataDir, ...(gateway ? { gatewayDomain: gateway.domain } : {}) })
  let userServer = cluster?.instances[0]!.process ?? await startRole([...userServerArgs, '--port', '0'])
  const userServerUrl: string = cluster?.url ?? userServer.ready.url
  const port = new URL(userServerUrl).port
  const admin: ProcessGrid['admin'] = async (operationId, ...[options]) => {
    // The same options, one header more: still what the operation takes (TypeScript cannot see
    // through the conditional type of a generic operation's arguments).
    const withToken = [{ ...options, headers: { authorization: `Bearer ${adminToken}` } }] as CallArgs<AllOperations[typeof operationId]>
    return (await peer.call(userServerUrl, operationId, ...withToken)).body
  }
  try {
    const settings: Record<string, number> = {}
    if (leaseSeconds) settings.leaseSeconds = leaseSeconds
    if (groupIdleSeconds) settings.groupIdleSeconds = groupIdleSeconds
    if (Object.keys(settings).length > 0) await admin('adminUpdateSettings', { body: { ...await admin('adminGetSettings'), ...settings } })
    for (let i = 0; i < regions; i++) {
      started.push(await startRole(['region', '--user-server', userServerUrl, '--admin-token', adminToken,
        '--name', `E2E Region ${i + 1}`, '--data', dataDir, '--port', '0']))
    }
    if (gateway) {
      const jabber = gateway.jabber
        ? ['--jabber', `127.0.0.1:${gateway.jabber.port}`, '--jabber-secret', gateway.jabber.secret, '--jabber-domain', gateway.jabber.domain,
            ...(gateway.jabber.timings === undefined ? [] : ['--jabber-timings', gateway.jabber.timings])]
        : []
      gatewayProcess = await startRole(['gateway', '--user-server', userServerUrl, '--admin-token', adminToken, '--gateway-domain', gateway.domain, '--data', dataDir, '--port', String(gateway.port ?? 0), ...jabber])
    }
  } catch (err) {
    await gatewayProcess?.kill()
    for (const r of started) await r.kill()
    await userServer.kill()
    await cluster?.stop()
    throw err
  }
  const tag = randomBytes(3).toString('hex')
  return {
    dataDir,
    adminToken,
    get userServer () { return cluster?.instances[0]!.process ?? userServer },
    userServerUrl,
    cluster,
    regions: started,
    gateway: gatewayProcess,
    admin,
    async createUser (label) {
      const user = { firstName: `${label}${tag}`, lastName: 'Endtoend', password: randomBytes(9).toString('base64url') }
      const created = await admin('adminCreateUser', { body: user })
      return { ...user, userId: created.userId }
    },
    login: (user, region) => ClientSession.login(started[region]!.ready.url, user.firstName, user.lastName, user.password),
    async endRegion (index, { crash = false } = {}) {
      const region = started[index]!
      await (crash ? region.kill() : region.stop())
    },
    async restartRegion (index, { crash = false, downMs = 0 } = {}) {
      const region = started[index]!
      await (crash ? region.kill() : region.stop())
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs))
      // Same id (so the same key file under --data), same port: its peers and leases know it there.
      started[index] = await startRole(['region', '--user-server', userServerUrl, '--admin-token', adminToken,
        '--name', region.ready.name, '--region-id', region.ready.regionId, '--data', dataDir, '--port', new URL(region.ready.url).port])
    },
    async restartUserServer (downMs = 0) {
      if (cluster !== undefined) {
        for (const instance of cluster.instances) await instance.stop()
        if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs))
        for (const instance of cluster.instances) await instance.start()
        await cluster.healthy()
        return
      }
      await userServer.stop()
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs))
      userServer = await startRole([...userServerArgs, '--port', port])
    },
    async stop () {
      await gatewayProcess?.stop()
      for (const r of started) await r.stop()
      if (cluster !== undefined) await cluster.stop()
      else await userServer.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
