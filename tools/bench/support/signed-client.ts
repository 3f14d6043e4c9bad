// Service-to-service calls as a light region makes them: by operationId (paths from the
// contract), RFC 9421-signed with the region's Ed25519 key (the same signerFor the reference
// PeerClient uses), over the lean keep-alive client.
import type { KeyObject } from 'node:crypto'
import type { Agent } from 'node:http'
import { allOperations, type Operation } from '../../../reference/lib/contract/operations.ts'
import { buildUrl, signerFor, type Signer } from '../../../reference/lib/http/index.ts'
import { send } from './http-client.ts'

let operations: Map<string, Operation> | undefined

export class SignedCallError extends Error {
  constructor (readonly operationId: string, readonly status: number, readonly text: string) {
    super(`${operationId}: status ${status}: ${text.slice(0, 300)}`)
  }
}

export class SignedClient {
  readonly #signer: Signer
  constructor (readonly agent: Agent, keyId: string, privateKey: KeyObject) {
    this.#signer = signerFor(keyId, privateKey)
  }

  async call<T = any> (baseUrl: string, operationId: string, options: { params?: Record<string, string>, body?: unknown } = {}): Promise<T> {
    operations ??= allOperations()
    const op = operations.get(operationId)
    if (op === undefined) throw new Error(`unknown operationId ${operationId}`)
    const url = buildUrl(baseUrl, op, { params: options.params })
    const body = options.body === undefined ? undefined : JSON.stringify(options.body)
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    Object.assign(headers, this.#signer({ method: op.method, url, headers, body }))
    const answer = await send(this.agent, op.method, new URL(url), body, headers)
    if (answer.status >= 400) throw new SignedCallError(operationId, answer.status, answer.text)
    return (answer.text === '' ? undefined : JSON.parse(answer.text)) as T
  }
}
