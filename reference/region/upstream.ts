// Outgoing calls: to other regions and the gateway (a Peer, any base URL) and to the user server
// (a UserServer, its base URL bound). Tests pass a fake Peer; metrics wrap the real one.
import type { CallOptions, CallResult, PeerClient } from '../lib/http/index.ts'

export type Peer = Pick<PeerClient, 'call'>

/** A user-server operation by operationId; resolves with the response body (or, with status, the whole result). */
export type UserServer = (<T = any>(operationId: string, options?: CallOptions) => Promise<T>) & {
  withStatus: <T = any>(operationId: string, options?: CallOptions) => Promise<CallResult<T>>
}

export function userServerCaller (peer: Peer, userServerUrl: string): UserServer {
  const withStatus = async <T>(operationId: string, options?: CallOptions): Promise<CallResult<T>> => await peer.call<T>(userServerUrl, operationId, options)
  return Object.assign(async <T>(operationId: string, options?: CallOptions) => (await withStatus<T>(operationId, options)).body, { withStatus })
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
    call: async <T = any>(baseUrl: string, operationId: string, options?: CallOptions): Promise<CallResult<T>> => {
      metrics.requests[operationId] = (metrics.requests[operationId] ?? 0) + 1
      return await peer.call<T>(baseUrl, operationId, options)
    }
  }
}
