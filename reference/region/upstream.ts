// Outgoing calls: to other regions and the gateway (a Peer, any base URL) and to the user server
// (a UserServer, its base URL bound). Tests pass a fake Peer; metrics wrap the real one. Both
// are typed from the contract: an operationId that does not exist, or a body its schema does
// not allow, fails typecheck.
import type { DocumentOperations, OperationId, AllOperations } from '../lib/contract/types.ts'
import type { CallArgs, CallResultFor, PeerClient } from '../lib/http/index.ts'

export type Peer = Pick<PeerClient, 'call'>

/** The operations of openapi/user-server.yaml, the only ones a UserServer calls. */
export type UserServerOperationId = keyof DocumentOperations['user-server'] & string

/** The body of `K`'s successful answer. */
export type UserServerAnswer<K extends UserServerOperationId> = CallResultFor<AllOperations[K]>['body']

/** A user-server operation by operationId; resolves with the response body (or, with status, the whole result). */
export type UserServer = (<K extends UserServerOperationId>(operationId: K, ...args: CallArgs<AllOperations[K]>) => Promise<UserServerAnswer<K>>) & {
  withStatus: <K extends UserServerOperationId>(operationId: K, ...args: CallArgs<AllOperations[K]>) => Promise<CallResultFor<AllOperations[K]>>
}

/** A UserServer from its `withStatus`: the plain call keeps only the body. */
export function bodiesOf (withStatus: UserServer['withStatus']): UserServer {
  const call = async <K extends UserServerOperationId>(operationId: K, ...args: CallArgs<AllOperations[K]>): Promise<UserServerAnswer<K>> =>
    (await withStatus(operationId, ...args)).body
  return Object.assign(call, { withStatus })
}

export function userServerCaller (peer: Peer, userServerUrl: string): UserServer {
  return bodiesOf(async (operationId, ...args) => await peer.call(userServerUrl, operationId, ...args))
}

export type RegionMetrics = {
  /** Requests sent, by operationId ("requests per sign-on", per message). */
  requests: Record<string, number>
  /** Instant messages handed to a client event log here. */
  delivered: number
  /** Instant messages this region stored at the user server for an offline recipient. */
  stored: number
  /** Repeated messageIds (or noticeIds) recognised and not shown again. */
  duplicate: number
}

export function createMetrics (): RegionMetrics {
  return { requests: {}, delivered: 0, stored: 0, duplicate: 0 }
}

export function countingPeer (peer: Peer, metrics: RegionMetrics): Peer {
  return {
    call: async <K extends OperationId>(baseUrl: string, operationId: K, ...args: CallArgs<AllOperations[K]>): Promise<CallResultFor<AllOperations[K]>> => {
      metrics.requests[operationId] = (metrics.requests[operationId] ?? 0) + 1
      return await peer.call(baseUrl, operationId, ...args)
    }
  }
}
