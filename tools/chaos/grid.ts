// The chaos run's grid: a user server and two regions, each its own `gridim` process, each
// started with a fixed identity (--region-id, --key-file, --data) and, after its first start, a
// fixed loopback port, so that a `kill -9` followed by a restart brings back the same role at
// the same advertised URL — what an operator's supervisor does after a crash.
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PeerClient } from '../../reference/lib/http/index.ts'
import { startRole, type RoleProcess } from '../../reference/e2e/processes.ts'
import type { ChaosUser } from './client.ts'
import { startUserServerCluster, type UserServerCluster } from '../cluster/user-server-cluster.ts'
import { startTemporaryPostgres, type TemporaryPostgres } from '../postgres/temporary-server.ts'

/** One role that can crash and come back as itself. */
export class Role {
  readonly name: string
  readonly #args: string[]
  #port = '0'
  #process: RoleProcess | undefined
  /** Starts so far (the first one included). */
  starts = 0

  constructor (name: string, args: string[]) {
    this.name = name
    this.#args = args
  }

  get url (): string { return this.#ready().url }
  get ready (): Record<string, any> { return this.#ready() }
  get running (): boolean { return this.#process?.child.exitCode === null && this.#process.child.signalCode === null }

  /** Starts the role and waits for its {"ready": ...} line; a restart reuses the first port. */
  async start (): Promise<void> {
    this.#process = await startRole([...this.#args, '--port', this.#port])
    this.#port = new URL(this.#process.ready.url).port
    this.starts++
  }

  /** `kill -9`: nothing is flushed or signed off. */
  async kill (): Promise<void> { await this.#process?.kill() }

  /** SIGTERM, a graceful stop. */
  async stop (): Promise<void> { await this.#process?.stop() }

  /** SIGKILL without waiting, for a harness that is exiting itself. */
  killNow (): void { if (this.running) this.#process!.child.kill('SIGKILL') }

  stderr (): string { return this.#process?.stderr() ?? '' }

  #ready (): Record<string, any> {
    if (this.#process === undefined) throw new Error(`${this.name} was never started`)
    return this.#process.ready
  }
}

export type ChaosGrid = {
  dataDir: string
  /** The user server's URL as regions know it: the process's own, or the balancer's. */
  userServerUrl: string
  /** The single user server on SQLite (userServers 0); absent with a cluster. */
  userServer: Role
  /** N user-server instances on PostgreSQL behind HAProxy (userServers ≥ 1). */
  cluster?: UserServerCluster
  /** The senders' region. */
  r1: Role
  /** The recipients' region. */
  r2: Role
  createUser: (label: string) => Promise<ChaosUser>
  /** A friendship granting both ways CanSeeOnline (right 1), so presence flows and outcomes are not masked. */
  befriend: (a: ChaosUser, b: ChaosUser) => Promise<void>
  /** The messageIds the user server holds for the user offline (the first page), for the report of a loss. */
  offlineMessageIds: (userId: string) => Promise<string[]>
  /** A group of these users (whose members may start its group session); its groupId. */
  createGroup: (name: string, members: ChaosUser[]) => Promise<string>
  /** Stops every process still running (SIGTERM, then SIGKILL) and removes the data. */
  stop: () => Promise<void>
}

/**
 * `userServers` 0 (the default): one user server on its own SQLite file. N ≥ 1: N instances on
 * one temporary PostgreSQL database behind HAProxy (tools/cluster), which regions know by the
 * balancer's URL; an instance killed comes back on its own port.
 */
export async function startChaosGrid ({ leaseSeconds, userServers = 0 }: { leaseSeconds: number, userServers?: number }): Promise<ChaosGrid> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridim-chaos-'))
  const adminToken = randomBytes(16).toString('hex')
  const dir = (name: string): string => { const d = join(dataDir, name); mkdirSync(d, { recursive: true }); return d }
  const userServer = new Role('user server', ['user-server', '--data', dir('user-server'), '--admin-token', adminToken])
  const roles: Role[] = userServers === 0 ? [userServer] : []
  let postgres: TemporaryPostgres | undefined
  let cluster: UserServerCluster | undefined
  // Should the harness itself exit early (a test timeout, Ctrl-C), no role outlives it (the
  // temporary PostgreSQL takes itself down when this process exits).
  const killAll = (): void => {
    for (const role of roles) role.killNow()
    for (const instance of cluster?.instances ?? []) if (instance.running) instance.process.child.kill('SIGKILL')
  }
  process.once('exit', killAll)
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killAll)
    for (const role of [...roles].reverse()) await role.stop()
    await cluster?.stop()
    await postgres?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
  let userServerUrl = ''
  const peer = new PeerClient()
  const headers = { authorization: `Bearer ${adminToken}` }
  /** Called once the user server is up: its URL is in the region's arguments. */
  const region = (name: string): Role => {
    const data = dir(name.toLowerCase())
    const role = new Role(name, ['region', '--user-server', userServerUrl, '--admin-token', adminToken, '--name', `Chaos ${name}`,
      '--region-id', randomUUID(), '--key-file', join(data, 'region.pem'), '--data', data])
    roles.push(role)
    return role
  }
  try {
    if (userServers === 0) {
      await userServer.start()
      userServerUrl = userServer.url
    } else {
      postgres = await startTemporaryPostgres({ durable: false })
      cluster = await startUserServerCluster({ instances: userServers, store: postgres.url, adminToken, dataDir: dir('user-server') })
      userServerUrl = cluster.url
    }
    const settings = (await peer.call(userServerUrl, 'adminGetSettings', { headers })).body
    await peer.call(userServerUrl, 'adminUpdateSettings', { headers, body: { ...settings, leaseSeconds } })
    const r1 = region('R1')
    const r2 = region('R2')
    await Promise.all([r1.start(), r2.start()])
    const tag = randomBytes(3).toString('hex')
    return {
      dataDir, userServerUrl, userServer, cluster, r1, r2, stop,
      async createUser (label) {
        const user = { firstName: `${label}${tag}`, lastName: 'Chaos', password: randomBytes(9).toString('base64url') }
        return { ...user, userId: (await peer.call(userServerUrl, 'adminCreateUser', { headers, body: user })).body.userId }
      },
      async befriend (a, b) {
        await peer.call(userServerUrl, 'adminCreateFriendship', { headers, body: { userIds: [a.userId, b.userId], rights: { ab: 1, ba: 1 } } })
      },
      async offlineMessageIds (userId) {
        return (await peer.call(userServerUrl, 'adminListOfflineMessages', { headers, params: { userId } })).body.messages.map((m) => m.messageId)
      },
      async createGroup (name, members) {
        return (await peer.call(userServerUrl, 'adminCreateGroup', { headers, body: { name, memberIds: members.map((m) => m.userId) } })).body.groupId
      }
    }
  } catch (err) {
    await stop()
    throw err
  }
}
