// The state of one flow being replayed: its actors bound to real users and regions of the
// target, the client sessions, saved responses, and the trace of everything exchanged.
import { randomBytes, randomUUID } from 'node:crypto'
import type { Flow } from '../../spec/flows/schema.ts'
import { PeerClient, type CallOptions } from '../../reference/lib/http/index.ts'
import { ContractLedger } from '../contract/contract-ledger.ts'
import { ClientSession } from '../lib/client-session.ts'
import type { Target } from '../target/target.ts'
import type { TraceEntry } from './results.ts'
import type { Scope } from './vars.ts'
import { startSimulatedRegion, type SimulatedRegion } from './simulated-region.ts'

export type UserActor = { name: string, firstName: string, lastName: string, password: string, userId: string, at?: string }

export class FlowContext {
  readonly scope: Scope = {}
  readonly users = new Map<string, UserActor>()
  readonly regions = new Map<string, { index: number, url: string, regionId?: string }>()
  readonly sessions = new Map<string, ClientSession>()
  readonly simulated = new Map<string, SimulatedRegion>()
  /** Target regions this flow crashed; the runner asks the target to bring them back after it. */
  readonly killed = new Set<number>()
  readonly trace: TraceEntry[] = []
  readonly peer: PeerClient
  readonly runTag = randomBytes(4).toString('hex')
  /** Every message of the target this flow sees, checked against the contract. */
  readonly contract: ContractLedger = new ContractLedger(this)

  constructor (readonly flow: Flow, readonly target: Target, readonly eventTimeoutMs: number) {
    this.peer = new PeerClient({ timeoutMs: 30_000 })
    // `$fresh.x`: a new UUID the first time x is named in this flow, the same one after that.
    const fresh = new Map<string, string>()
    this.scope.fresh = new Proxy({}, {
      has: () => true,
      get: (_, key: string) => { if (!fresh.has(key)) fresh.set(key, randomUUID()); return fresh.get(key) }
    })
    let index = 0
    for (const [name, actor] of Object.entries(flow.actors)) {
      if (actor.kind !== 'region' || actor.simulated) continue
      const region = target.regions[index]
      if (region) {
        this.regions.set(name, { index, url: region.url, regionId: region.regionId })
        this.scope[name] = { url: region.url, regionId: region.regionId, name: region.name }
      }
      index++
    }
  }

  /** Starts the roles this flow has the runner play. */
  async startSimulated (): Promise<void> {
    for (const [name, actor] of Object.entries(this.flow.actors)) {
      if (!actor.simulated || (actor.kind !== 'region' && actor.kind !== 'gateway')) continue
      const sim = await startSimulatedRegion(name, actor.kind, (x) => { this.contract.received(x) })
      this.simulated.set(name, sim)
      this.scope[name] = { regionId: sim.regionId, url: sim.url, publicKey: sim.publicKey, nextPublicKey: sim.nextPublicKey, name: sim.name }
    }
  }

  async stopSimulated (): Promise<void> {
    for (const sim of this.simulated.values()) await sim.stop()
  }

  /** The base URL of a role named in a flow: the user server, a target region or a simulated one. */
  urlOf (actor: string): string {
    if (actor === 'US' || this.flow.actors[actor]?.kind === 'user-server') return this.target.userServerUrl
    const url = this.regions.get(actor)?.url ?? this.simulated.get(actor)?.url
    if (url === undefined) throw new Error(`${actor} is not a role this target or the runner provides`)
    return url
  }

  /** The client interface URL where a user actor signs on. */
  regionUrlOf (user: string): string {
    const at = this.flow.actors[user]?.at
    const region = at === undefined ? [...this.regions.values()][0] : this.regions.get(at)
    if (!region) throw new Error(`${user} signs on at ${at}, which this target does not provide`)
    return region.url
  }

  session (user: string): ClientSession {
    const s = this.sessions.get(user)
    if (!s) throw new Error(`${user} is not signed on`)
    return s
  }

  record (entry: Omit<TraceEntry, 'at'>): void {
    this.trace.push({ at: Date.now(), ...entry })
  }

  async admin<T = any> (operationId: string, options: CallOptions = {}): Promise<T> {
    try {
      const res = await this.peer.call<T>(this.target.userServerUrl, operationId, {
        ...options, headers: { authorization: `Bearer ${this.target.adminToken}` }
      })
      this.record({ kind: 'admin', operationId, from: 'runner', to: 'US', status: res.status, request: options.body, response: res.body })
      return res.body
    } catch (err) {
      this.record({ kind: 'admin', operationId, from: 'runner', to: 'US', request: options.body, response: (err as Error).message })
      throw err
    }
  }

  async signOn (user: string): Promise<ClientSession> {
    const u = this.users.get(user)
    if (!u) throw new Error(`${user} is not a user of this flow`)
    const url = this.regionUrlOf(user)
    const session = await ClientSession.login(url, u.firstName, u.lastName, u.password, this.peer)
    this.record({ kind: 'client', operationId: 'clientLogin', from: user, to: this.flow.actors[user]?.at ?? 'R1', status: 200, response: { userId: session.userId } })
    this.sessions.set(user, session)
    return session
  }
}
