// Helpers for the region's tests: a fake Peer that records calls and answers from a script,
// key pairs, and signed inject() requests.
import { randomUUID } from 'node:crypto'
import type { Server } from '@hapi/hapi'
import type { AllOperations, OperationId } from '../lib/contract/types.ts'
import type { CallArgs, CallOptions, CallResultFor } from '../lib/http/index.ts'
import { createLogger } from '../lib/http/index.ts'
import { exportPublicKey, generateKeyPair, signRequest, type Ed25519KeyPair } from '../lib/signatures/index.ts'
import type { Peer } from './upstream.ts'

export type Call = { baseUrl: string, operationId: string, options: CallOptions }
export type Answer = (call: Call) => unknown

/** Records every call; `answer` returns the body or throws a GridImError. */
export class FakePeer implements Peer {
  readonly calls: Call[] = []
  answer: Answer
  /** Success status by operationId, as the contract gives it (default 200). */
  statuses: Record<string, number> = { signOn: 201, storeOfflineMessage: 201, offerFriendship: 201, startGroupSession: 201 }

  constructor (answer: Answer = () => undefined) {
    this.answer = answer
  }

  async call<K extends OperationId> (baseUrl: string, operationId: K, ...[options]: CallArgs<AllOperations[K]>): Promise<CallResultFor<AllOperations[K]>> {
    const call: Call = { baseUrl, operationId, options: structuredClone((options ?? {}) as CallOptions) }
    this.calls.push(call)
    const body = await this.answer(call)
    // The script answers as the test means the peer to, not as the contract says it must: a
    // test may answer what a faulty peer would.
    return { status: this.statuses[operationId] ?? 200, body } as CallResultFor<AllOperations[K]>
  }

  ops (): string[] {
    return this.calls.map((c) => c.operationId)
  }

  callsOf (operationId: string): Call[] {
    return this.calls.filter((c) => c.operationId === operationId)
  }
}

export const silentLogger = createLogger({}, () => {})

export const USER_SERVER_URL = 'http://user-server.test'

export function keyPair (): Ed25519KeyPair & { raw: string } {
  const pair = generateKeyPair()
  return { ...pair, raw: exportPublicKey(pair.publicKey) }
}

export const uuid = (): string => randomUUID()

/** The base URL inject() requests appear to come to, so that signatures cover it. */
export const REGION_URL = 'http://region.test'

export type SignedRequest = { method: string, path: string, body?: unknown, keyId: string, privateKey: Ed25519KeyPair['privateKey'], headers?: Record<string, string>, created?: number }

export async function signedInject (server: Server, request: SignedRequest) {
  const url = REGION_URL + request.path
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body)
  const headers: Record<string, string> = { 'content-type': 'application/json', ...request.headers }
  Object.assign(headers, signRequest({ method: request.method, url, headers, body: payload }, { keyId: request.keyId, privateKey: request.privateKey, created: request.created }))
  return await server.inject({ method: request.method, url, headers, payload })
}

export function bearer (secret: string): Record<string, string> {
  return { authorization: `Bearer ${secret}` }
}
