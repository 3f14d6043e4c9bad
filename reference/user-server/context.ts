// What every route and sweeper of the user server shares. Built once by createUserServer.
import type { KeyObject } from 'node:crypto'
import type { Schema } from '../lib/contract/types.ts'
import type { Fault } from '../lib/faults.ts'
import type { Logger } from '../lib/http/index.ts'
import type { PasswordCost, Store } from '../store/index.ts'
import type { GroupDestinationCache } from './group-sessions/destinations.ts'
import type { GroupOutbox } from './group-sessions/outbox.ts'
import type { Courier } from './notices/courier.ts'
import type { Locate } from './notices/locator.ts'
import type { NoticeBatch } from './notices/notice-batch.ts'
import type { AcknowledgedIds } from './offline/acknowledged-ids.ts'
import type { Redelivery } from './offline/redelivery.ts'
import type { Recent } from './recent-facts.ts'

/** The answer to a group message (user-server.yaml GroupMessageSent), kept to answer a repeat alike. */
export type GroupMessageSent = Schema<'GroupMessageSent'>

/**
 * The region a session left, which may place it back once (GRIDIM-LOC-15) and whose hand-over the
 * entering region may confirm once (GRIDIM-LOC-16, GRIDIM-LOC-17).
 */
export type Handover = { fromRegionId: string }

export type UserServerContext = {
  store: Store
  /** Epoch milliseconds. */
  now: () => number
  logger: Logger
  publicKey: KeyObject
  gatewayDomain: string
  courier: Courier
  locate: Locate
  /** Starts the notices of one change (GRIDIM-SIGN-14). */
  batch: () => NoticeBatch
  redelivery: Redelivery
  /** messageIds deleted on acknowledgement in the last 24 hours (GRIDIM-OFFL-2). */
  acknowledged: AcknowledgedIds
  /** First answers to group messages, by `groupSessionId messageId` (GRIDIM-GRP-15). */
  groupReplies: Recent<GroupMessageSent>
  /** Group messages answered and not yet taken by their regions (GRIDIM-GRP-31). */
  groupOutbox: GroupOutbox
  /** Each group session's members and destination regions while nothing changed (issue 15). */
  groupDestinations: GroupDestinationCache
  /** The last unconfirmed move of each session, by sessionId, for 60 s (GRIDIM-LOC-15..17). */
  handovers: Recent<Handover>
  /** scrypt's cost for passwords (GRIDIM-SEC-12): RFC 7914's interactive one except in throwaway grids. */
  passwordCost: PasswordCost
  /** Deliberate bugs for conformance/variants only; empty otherwise (reference/lib/faults.ts). */
  faults: ReadonlySet<Fault>
}
