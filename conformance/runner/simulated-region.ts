// A region the runner plays itself (an actor with `simulated: true`): it has its own Ed25519
// keys (and a second, "next" key for rotation), listens on loopback, answers the region
// interface as a region that hosts nobody, and records everything it receives — so a flow can
// check what a user server or region under test sends it.
import { randomUUID, type KeyObject } from 'node:crypto'
import type { Server } from '@hapi/hapi'
import { GridImError } from '../../reference/lib/errors/index.ts'
import { createLogger, createServer, registerOperations, type ObservedExchange, type OperationInput } from '../../reference/lib/http/index.ts'
import { exportPublicKey, generateKeyPair } from '../../reference/lib/signatures/index.ts'
import { recordExchanges } from '../lib/record-exchanges.ts'

export type Received = { operationId: string, keyId?: string, body: unknown, at: number }

export type SimulatedRegion = {
  name: string
  regionId: string
  kind: 'region' | 'gateway'
  url: string
  privateKey: KeyObject
  publicKey: string
  nextPrivateKey: KeyObject
  nextPublicKey: string
  received: Received[]
  stop: () => Promise<void>
}

/** `onExchange` sees every request it answers, before any validation (so malformed ones too). */
export async function startSimulatedRegion (name: string, kind: 'region' | 'gateway' = 'region', onExchange?: (x: ObservedExchange) => void): Promise<SimulatedRegion> {
  const keys = generateKeyPair()
  const next = generateKeyPair()
  const regionId = randomUUID()
  const received: Received[] = []
  const server: Server = createServer({ logger: createLogger({ role: 'simulated-region', name }) })
  // Signatures are recorded, not enforced: the runner observes what it is sent.
  const record = (operationId: string) => (input: OperationInput) => {
    const keyId = /keyid="([^"]*)"/.exec(String(input.headers['signature-input'] ?? ''))?.[1]
    received.push({ operationId, keyId, body: input.body, at: Date.now() })
  }
  const notHere = (userId: string) => new GridImError('agent-not-here', `${userId} is not on ${name}`)
  registerOperations(server, {
    document: 'region',
    authenticators: { gridimSignature: () => ({ kind: 'anonymous' }) },
    handlers: {
      getRegionStatus: () => ({ body: { regionId, name, kind, agents: 0 } }),
      deliverInstantMessage: (input) => { record('deliverInstantMessage')(input); throw notHere(input.body.toUserId) },
      deliverChatState: (input) => { record('deliverChatState')(input); throw notHere(input.body.toUserId) },
      deliverNotices: (input) => {
        record('deliverNotices')(input)
        return { body: { accepted: 0, notHere: [...new Set<string>(input.body.notices.map((n: { toUserId: string }) => n.toUserId))] } }
      },
      deliverGroupMessage: (input) => { record('deliverGroupMessage')(input); return { body: { delivered: [], notHere: input.body.toUserIds } } },
      acceptAgent: (input) => { record('acceptAgent')(input); throw new GridImError('not-your-agent', `${name} accepts no agents`) }
    },
    validateResponses: false
  })
  if (onExchange) recordExchanges(server, onExchange)
  await server.start()
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
    stop: async () => { await server.stop() }
  }
}
