// A region the runner plays itself (an actor with `simulated: true`): it has its own Ed25519
// keys (and a second, "next" key for rotation), listens on loopback, answers the region
// interface as a region that hosts nobody, and records everything it receives — so a flow can
// check what a user server or region under test sends it. Like any region, it takes each nonce
// from a signer once (GRIDIM-SEC-5).
import { randomUUID, type KeyObject } from 'node:crypto'
import type { Request, Server } from '@hapi/hapi'
import type { DocumentOperations, RegionKind, RequestBody } from '../../reference/lib/contract/types.ts'
import { GridImError } from '../../reference/lib/errors/index.ts'
import { createLogger, createServer, registerOperations, type ObservedExchange, type OperationHandlers, type OperationInput } from '../../reference/lib/http/index.ts'
import { exportPublicKey, generateKeyPair } from '../../reference/lib/signatures/index.ts'
import { parsed, recordExchanges, signatureParams } from '../lib/record-exchanges.ts'
import { RefusalLog } from '../lib/refusals.ts'
import { ScriptedAnswers } from './scripted-answers.ts'

type RegionOperations = DocumentOperations['region']
/** The operations a simulated region records: every one it answers that carries a body. */
type RecordedOperation = 'deliverInstantMessage' | 'deliverInstantMessages' | 'deliverChatState' | 'deliverNotices' | 'deliverGroupMessage' | 'deliverGroupMessages' | 'acceptAgent'

const RECORDED: ReadonlySet<string> = new Set<RecordedOperation>(['deliverInstantMessage', 'deliverInstantMessages', 'deliverChatState', 'deliverNotices', 'deliverGroupMessage', 'deliverGroupMessages', 'acceptAgent'])

/**
 * A request it received, its body typed by its operation (validated against the contract on the
 * way in), with the signature's `keyid` and `nonce`. `cut`: read, and the connection closed with
 * no answer (a scripted cut; its body was not validated).
 */
export type Received = { [K in RecordedOperation]: { operationId: K, keyId?: string, nonce?: string, body: RequestBody<RegionOperations[K]>, at: number, cut?: true } }[RecordedOperation]
type Receipt = { [K in RecordedOperation]: { operationId: K, body: RequestBody<RegionOperations[K]> } }[RecordedOperation]

export type SimulatedRegion = {
  name: string
  regionId: string
  kind: RegionKind
  url: string
  privateKey: KeyObject
  publicKey: string
  nextPrivateKey: KeyObject
  nextPublicKey: string
  received: Received[]
  /** What it refused (answers of 400 or more), for a failure's message. */
  refusals: RefusalLog
  /** Answers a flow scripts for its next requests (runner action region-answers). */
  script: ScriptedAnswers
  /**
   * Renews its lease as a live region does (runner action keep-lease): `renew` now, then again
   * a third of the granted lease later, until it stops. Resolves with the first answer.
   */
  keepLease: <T extends { status: number, leaseSeconds?: number }>(renew: () => Promise<T>) => Promise<T>
  stop: () => Promise<void>
}

/** `onExchange` sees every request it answers, before any validation (so malformed ones too). */
export async function startSimulatedRegion (name: string, kind: RegionKind = 'region', onExchange?: (x: ObservedExchange) => void): Promise<SimulatedRegion> {
  const keys = generateKeyPair()
  const next = generateKeyPair()
  const regionId = randomUUID()
  const received: Received[] = []
  const server: Server = createServer({ logger: createLogger({ role: 'simulated-region', name }) })
  // Signatures are recorded, not verified: the runner observes what it is sent. Only a nonce
  // received before from the same keyid is refused, below, as any region refuses it.
  const record = (headers: OperationInput<unknown>['headers'], receipt: Receipt): void => {
    received.push({ ...receipt, ...signatureParams(headers as Request['headers']), at: Date.now() })
  }
  // A request read and left unanswered was received all the same.
  const recordCut = (request: Request): void => {
    const operationId = request.route.settings.id
    if (operationId === undefined || !RECORDED.has(operationId)) return
    received.push({ operationId, body: parsed(request.payload), ...signatureParams(request.headers), at: Date.now(), cut: true } as Received)
  }
  const notHere = (userId: string) => new GridImError('agent-not-here', `${userId} is not on ${name}`)
  const handlers: OperationHandlers<'region'> = {
    getRegionStatus: () => ({ body: { regionId, name, kind, agents: 0 } }),
    deliverInstantMessage: (input) => { record(input.headers, { operationId: 'deliverInstantMessage', body: input.body }); throw notHere(input.body.toUserId) },
    // GRIDIM-IM-26: as an ordinary region hosting nobody, one agent-not-here per message, in order.
    deliverInstantMessages: (input) => {
      record(input.headers, { operationId: 'deliverInstantMessages', body: input.body })
      return { body: { results: input.body.messages.map((m) => ({ messageId: m.messageId, code: 'agent-not-here' as const, detail: `${m.toUserId} is not on ${name}` })) } }
    },
    deliverChatState: (input) => { record(input.headers, { operationId: 'deliverChatState', body: input.body }); throw notHere(input.body.toUserId) },
    deliverNotices: (input) => {
      record(input.headers, { operationId: 'deliverNotices', body: input.body })
      return { body: { accepted: 0, notHere: [...new Set(input.body.notices.map((n) => n.toUserId))] } }
    },
    deliverGroupMessage: (input) => { record(input.headers, { operationId: 'deliverGroupMessage', body: input.body }); return { body: { delivered: [], notHere: input.body.toUserIds } } },
    // GRIDIM-GRP-26: as an ordinary region hosting nobody, every member of every delivery not here, in order.
    deliverGroupMessages: (input) => {
      record(input.headers, { operationId: 'deliverGroupMessages', body: input.body })
      return { body: { results: input.body.deliveries.map((d) => ({ groupSessionId: d.groupSessionId, messageId: d.messageId, delivered: [], notHere: d.toUserIds })) } }
    },
    acceptAgent: (input) => { record(input.headers, { operationId: 'acceptAgent', body: input.body }); throw new GridImError('not-your-agent', `${name} accepts no agents`) }
  }
  // GRIDIM-SEC-5: a nonce once from a keyid, whatever the answer was, none or scripted (so this
  // runs before the scripted answers). A nonce is never accepted again even after the replay
  // window: a signer makes each one anew (GRIDIM-SEC-16, GRIDIM-SEC-18), so none should come twice.
  const nonces = new Set<string>()
  server.ext('onPreHandler', (request, h) => {
    const { keyId, nonce } = signatureParams(request.headers)
    if (keyId === undefined || nonce === undefined) return h.continue
    const key = `${keyId} ${nonce}`
    if (nonces.has(key)) throw new GridImError('replayed-request', `${name} received the nonce ${nonce} from ${keyId} before`)
    nonces.add(key)
    return h.continue
  })
  const script = new ScriptedAnswers()
  script.install(server, recordCut)
  registerOperations(server, {
    document: 'region',
    authenticators: { gridimSignature: () => ({ kind: 'anonymous' }) },
    handlers,
    validateResponses: false
  })
  const refusals = new RefusalLog()
  recordExchanges(server, onExchange ?? (() => {}), { by: name, log: refusals })
  await server.start()
  let renewal: NodeJS.Timeout | undefined
  let stopped = false
  const keepLease = async <T extends { status: number, leaseSeconds?: number }>(renew: () => Promise<T>): Promise<T> => {
    const schedule = (seconds: number | undefined): void => {
      if (stopped) return
      // Without a granted length (a refusal, an unreachable user server), try again in a second.
      renewal = setTimeout(() => { void renew().then((a) => { schedule(a.leaseSeconds) }, () => { schedule(undefined) }) }, seconds === undefined ? 1000 : Math.max(250, seconds * 1000 / 3))
      renewal.unref()
    }
    clearTimeout(renewal)
    const first = await renew()
    schedule(first.leaseSeconds)
    return first
  }
  return {
    name,
    regionId,
    kind,
    url: server.info.uri,
    privateKey: keys.privateKey,
    publicKey: exportPublicKey(keys.publicKey),
    nextPrivateKey: next.privateKey,
    nextPublicKey: exportPublicKey(next.publicKey),
    received,
    refusals,
    script,
    keepLease,
    stop: async () => { stopped = true; clearTimeout(renewal); await server.stop() }
  }
}
