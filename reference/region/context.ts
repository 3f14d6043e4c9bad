// Everything a region's operation handlers share. Built once by createRegion.
import type { Fault } from '../lib/faults.ts'
import type { Logger } from '../lib/http/index.ts'
import type { Agents } from './agents.ts'
import type { DeliveryDeps } from './delivery.ts'
import type { Inbox } from './inbox.ts'
import type { LocationCache } from './location-cache.ts'
import type { MessageStore } from './message-store.ts'
import type { OfflineMessages } from './offline-messages.ts'
import type { RegionKind } from '../lib/contract/types.ts'
import type { UnreadReturns } from './unread-returns.ts'
import type { Peer, RegionMetrics, UserServer } from './upstream.ts'

export type RegionContext = {
  regionId: string
  name: string
  kind: RegionKind
  agents: Agents
  inbox: Inbox
  cache: LocationCache
  offline: OfflineMessages
  /** The messages accepted here, kept until read or returned (GRIDIM-IM-20). */
  messages: MessageStore
  /** Sends what ended sessions left unread back to the user server (GRIDIM-OFFL-11). */
  returns: UnreadReturns
  peer: Peer
  userServer: UserServer
  metrics: RegionMetrics
  logger: Logger
  now: () => number
  /** Retry and timeout settings for sendInstantMessage. */
  delivery: Pick<DeliveryDeps, 'attempts' | 'backoffMs' | 'timeoutMs' | 'sleep'>
  /** Seconds between keep-alive comments on an event stream. */
  heartbeatSeconds: number
  /** Deliberate bugs for conformance/variants only; empty otherwise (reference/lib/faults.ts). */
  faults: ReadonlySet<Fault>
}
