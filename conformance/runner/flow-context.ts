// The state of one flow being replayed: its actors bound to real users and regions of the
// target, the client sessions, saved responses, and the trace of everything exchanged.
import type { ObservedExchange } from '../../reference/lib/http/index.ts'
import { randomBytes, randomUUID } from 'node:crypto'
import type { Flow } from '../../spec/flows/schema.ts'
import { allOperations, type Operation } from '../../reference/lib/contract/operations.ts'
import type { DocumentOperations } from '../../reference/lib/contract/types.ts'
import { buildUrl, PeerClient, type CallArgs, type CallOptions, type CallResultFor } from '../../reference/lib/http/index.ts'
import { ContractLedger } from '../contract/contract-ledger.ts'
import { asCaller, pathOf } from '../lib/caller.ts'
import { ClientSession, type ClientInterface } from '../lib/client-session.ts'
import type { ClientStream, FrameRecord, FrameViolation } from '../lib/client-stream.ts'
import type { Refusal } from '../lib/refusals.ts'
import type { Target } from '../target/target.ts'
import type { TraceEntry } from './results.ts'
import type { Scope } from './vars.ts'
import { StartedRequests } from './concurrent.ts'
import { startSimulatedRegion, type SimulatedRegion } from './simulated-region.ts'
import { XmppUsers } from './xmpp-users.ts'

type AdminOperations = DocumentOperations['admin']
/** An operation of the admin interface (admin.yaml). */
export type AdminOperationId = keyof AdminOperations & string

let operations: Map<string, Operation> | undefined

/** The method and path (with query) an operation is sent with, for the trace; nothing when it cannot be built. */
export function requestLine (baseUrl: string, operationId: string, options: Pick<CallOptions, 'params' | 'query'>): { method?: string, path?: string } {
  operations ??= allOperations()
  const op = operations.get(operationId)
  if (op === undefined) return {}
  try {
    return { method: op.method, path: pathOf(buildUrl(baseUrl, op, options)) }
  } catch {
    return { method: op.method }
  }
}

/** A client stream of the flow: whose it is, at which region, and how many of its violations a check already reported. */
type StreamOfFlow = { stream: ClientStream, user: string, region: string, taken: number }

/** A frame of a region that broke the frame rules, for a failed check (run-flow.ts). */
export type StreamViolation = { user: string, region: string, step: string, violation: FrameViolation }
/** A request a region the runner plays refused as replayed: its signer sent a nonce again (GRIDIM-SEC-18). */
export type ReplayedNonce = { step: string, region: string, operationId: string, keyId?: string }

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
  /** The xmpp-user actors' streams and stanzas. */
  readonly xmpp: XmppUsers
  readonly runTag = randomBytes(4).toString('hex')
  /** What the flow's actions ask to undo when it ends (a broken link, a restarted gateway), in order. */
  readonly cleanups: Array<() => Promise<void>> = []
  /** How the flow last restarted the gateway, if it did: with its own configuration, or otherwise (or not at all). */
  gatewayRestarted: 'as configured' | 'otherwise' | undefined
  /** When the target last made a service-to-service request (capability observe-traffic). */
  lastTrafficAt = 0
  /** Every message of the target this flow sees, checked against the contract. */
  readonly contract: ContractLedger = new ContractLedger(this)
  /** Requests steps started and later steps await (concurrent steps). */
  readonly started = new StartedRequests()

  /** Every client stream the flow opened (its sessions' and its stream steps'), to judge and close. */
  readonly streams: StreamOfFlow[] = []
  /** The streams the flow's stream steps opened, by the name they gave (stream-actions.ts). */
  readonly namedStreams = new Map<string, ClientStream>()
  /** The flow step under way, to say where a frame violation was seen. */
  step = 'setup'

  constructor (readonly flow: Flow, readonly target: Target, readonly eventTimeoutMs: number, readonly clientInterface: ClientInterface = 'http') {
    this.peer = new PeerClient({ timeoutMs: 30_000 })
    this.xmpp = new XmppUsers(this)
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
    for (const [name, actor] of Object.entries(flow.actors)) {
      if (actor.kind === 'gateway' && !actor.simulated && target.gateway) {
        this.scope[name] = { url: target.gateway.url, regionId: target.gateway.regionId, domain: target.gateway.domain }
      }
      if (actor.kind === 'jabber-server' && target.jabberServer) this.scope[name] = { domain: target.jabberServer.domain }
    }
  }

  /** The flow's name for the target's gateway (a non-simulated actor of kind gateway). */
  get gatewayActor (): string | undefined {
    return Object.entries(this.flow.actors).find(([, a]) => a.kind === 'gateway' && !a.simulated)?.[0]
  }

  readonly #received = new Set<(exchange: ObservedExchange) => void>()
  /** What the runner's regions refused as replayed, not taken yet (takeReplayedNonces). */
  #replayed: ReplayedNonce[] = []

  /** Hears every request the roles this flow has the runner play receive. Returns the stop function. */
  onReceived (listener: (exchange: ObservedExchange) => void): () => void {
    this.#received.add(listener)
    return () => { this.#received.delete(listener) }
  }

  /** Starts the roles this flow has the runner play. */
  async startSimulated (): Promise<void> {
    for (const [name, actor] of Object.entries(this.flow.actors)) {
      if (!actor.simulated || (actor.kind !== 'region' && actor.kind !== 'gateway')) continue
      const sim = await startSimulatedRegion(name, actor.kind, (x) => {
        this.contract.received(x)
        // An ordinary region refuses a nonce it has seen (GRIDIM-SEC-5); the signer broke GRIDIM-SEC-18.
        if (x.status === 401 && (x.responseBody as { code?: unknown } | undefined)?.code === 'replayed-request') {
          this.#replayed.push({ step: this.step, region: name, operationId: x.operationId, ...(x.keyId === undefined ? {} : { keyId: x.keyId }) })
        }
        for (const listener of this.#received) listener(x)
      })
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
    const gateway = actor === this.gatewayActor ? this.target.gateway?.url : undefined
    const url = this.regions.get(actor)?.url ?? this.simulated.get(actor)?.url ?? gateway
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

  /** The userId of a user of this flow (a grid user or a foreign one). */
  userIdOf (user: string): string {
    const u = this.users.get(user)
    if (!u) throw new Error(`${user} is not a user of this flow`)
    return u.userId
  }

  session (user: string): ClientSession {
    const s = this.sessions.get(user)
    if (!s) throw new Error(`${user} is not signed on`)
    return s
  }

  /**
   * Waits until the target has made no service-to-service request for `quietMs` (bounded by
   * `maxMs`), so that what setup set off does not spill into step 1's exchanges. Without
   * observe-traffic it cannot tell, and returns at once.
   */
  async settle (quietMs = 250, maxMs = 3000): Promise<void> {
    if (!this.target.observe) return
    const deadline = Date.now() + maxMs
    while (Date.now() - this.lastTrafficAt < quietMs && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(10, quietMs - (Date.now() - this.lastTrafficAt))))
    }
  }

  /** What the roles the runner plays (its user server, its simulated regions) refused at or after `since`, oldest first. */
  refusalsSince (since: number): Refusal[] {
    const simulated = [...this.simulated.values()].flatMap((s) => s.refusals.since(since))
    return [...this.target.refusals?.(since) ?? [], ...simulated].sort((a, b) => a.at - b.at)
  }

  record (entry: Omit<TraceEntry, 'at'>): void {
    this.trace.push({ at: Date.now(), ...entry })
  }

  /** Calls an operation of the admin interface with the target's admin token; its successful answer's body. */
  async admin<K extends AdminOperationId> (operationId: K, ...[typed]: CallArgs<AdminOperations[K]>): Promise<CallResultFor<AdminOperations[K]>['body']> {
    const options: CallOptions = typed ?? {}
    const line = requestLine(this.target.userServerUrl, operationId, options)
    try {
      // Typed by this method's signature (as ClientSession.request is); forwarded as is.
      const res = await asCaller({ name: 'runner', traced: true }, async () => await this.peer.callUnchecked(this.target.userServerUrl, operationId, {
        ...options, headers: { authorization: `Bearer ${this.target.adminToken}` }
      })) as CallResultFor<AdminOperations[K]>
      this.record({ kind: 'admin', operationId, from: 'runner', to: 'US', ...line, status: res.status, request: options.body, response: res.body })
      return res.body
    } catch (err) {
      this.record({ kind: 'admin', operationId, from: 'runner', to: 'US', ...line, request: options.body, response: (err as Error).message })
      throw err
    }
  }

  /** The interface a user's client uses: the one its actor names, else the run's (`--client-interface`). */
  clientInterfaceOf (user: string): ClientInterface {
    return this.flow.actors[user]?.client ?? this.clientInterface
  }

  /** Traces a frame of a client stream as an exchange between the user and its region. */
  traceFrame (user: string, region: string, record: FrameRecord): void {
    const type = (record.frame as { type?: unknown } | null)?.type
    const name = `${typeof type === 'string' ? type : 'malformed'} frame`
    if (record.direction === 'sent') this.record({ kind: 'client', operationId: name, from: user, to: region, method: 'WS', path: '/client/stream', request: record.frame })
    else this.record({ kind: 'client', operationId: name, from: region, to: user, method: 'WS', path: '/client/stream', response: record.frame, ...(record.problems === undefined ? {} : { status: 0 }) })
  }

  /** Keeps a stream the flow opened, to judge its frames and close it when the flow ends. */
  addStream (stream: ClientStream, user: string, region: string): void {
    this.streams.push({ stream, user, region, taken: 0 })
  }

  /** The requests the runner's regions refused as replayed since the last call. */
  takeReplayedNonces (): ReplayedNonce[] {
    return this.#replayed.splice(0)
  }

  /** What the regions sent on the flow's streams that breaks the frame rules, not taken before. */
  takeStreamViolations (): StreamViolation[] {
    const out: StreamViolation[] = []
    for (const s of this.streams) {
      for (const violation of s.stream.violations.slice(s.taken)) out.push({ user: s.user, region: s.region, step: this.step, violation })
      s.taken = s.stream.violations.length
    }
    return out
  }

  async signOn (user: string): Promise<ClientSession> {
    const u = this.users.get(user)
    if (!u) throw new Error(`${user} is not a user of this flow`)
    const url = this.regionUrlOf(user)
    const region = this.flow.actors[user]?.at ?? 'R1'
    const seen = new Set<ClientStream>()
    const options = {
      clientInterface: this.clientInterfaceOf(user),
      onFrame: (record: FrameRecord) => {
        // The session's current stream: a teleport or a reconnection opens another.
        const stream = session?.stream
        if (stream !== undefined && !seen.has(stream)) { seen.add(stream); this.addStream(stream, user, this.regionNameOf(stream.regionUrl) ?? region) }
        this.traceFrame(user, stream === undefined ? region : this.regionNameOf(stream.regionUrl) ?? region, record)
      }
    }
    let session: ClientSession | undefined
    session = await asCaller({ name: user, traced: true }, async () => await ClientSession.login(url, u.firstName, u.lastName, u.password, this.peer, options))
    session.actor = user
    this.record({ kind: 'client', operationId: 'clientLogin', from: user, to: region, ...requestLine(url, 'clientLogin', {}), status: 200, response: { userId: session.userId } })
    for (const stream of session.streams) if (!seen.has(stream)) { seen.add(stream); this.addStream(stream, user, region) }
    // `$A.sessionSecret`: what the client holds, for a flow's frames (a hello written out, GRIDIM-CLI-42).
    const scoped = this.scope[user]
    if (scoped !== undefined && typeof scoped === 'object') Object.assign(scoped, { sessionSecret: session.login.sessionSecret })
    this.sessions.set(user, session)
    this.allSessions.add(session)
    return session
  }

  /** Every session of the flow, those logged out or replaced by a second sign-on too: their streams close with the flow. */
  readonly allSessions = new Set<ClientSession>()

  /** The flow's name for the target region at `url`. */
  regionNameOf (url: string): string | undefined {
    const origin = new URL(url).origin
    for (const [name, r] of this.regions) if (new URL(r.url).origin === origin) return name
    return undefined
  }
}
