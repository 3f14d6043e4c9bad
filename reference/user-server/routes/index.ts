// operationId → handler, for user-server.yaml and admin.yaml. Every operation is counted for
// the metrics. (The lease of a signing region is checked with its signature: auth/lease-check.ts.)
import type { DocumentOperations } from '../../lib/contract/types.ts'
import type { HandlerFor, OperationHandlers } from '../../lib/http/index.ts'
import type { UserServerContext } from '../context.ts'
import type { Metrics } from '../metrics.ts'
import { acceptFriendshipOffer } from './accept-friendship-offer.ts'
import { acknowledgeOfflineMessages } from './acknowledge-offline-messages.ts'
import { adminCreateFriendship } from './admin-create-friendship.ts'
import { adminCreateGroup } from './admin-create-group.ts'
import { adminCreateUser } from './admin-create-user.ts'
import { adminGetSettings } from './admin-get-settings.ts'
import { adminGetUser } from './admin-get-user.ts'
import { adminListOfflineMessages } from './admin-list-offline-messages.ts'
import { adminProvisionRegion } from './admin-provision-region.ts'
import { adminUpdateSettings } from './admin-update-settings.ts'
import { confirmHandover } from './confirm-handover.ts'
import { declineFriendshipOffer } from './decline-friendship-offer.ts'
import { endFriendship } from './end-friendship.ts'
import { endRegionLease } from './end-region-lease.ts'
import { getDirectory } from './get-directory.ts'
import { getRegion } from './get-region.ts'
import { joinGroupSession } from './join-group-session.ts'
import { leaveGroupSession } from './leave-group-session.ts'
import { listFriends } from './list-friends.ts'
import { listOfflineMessages } from './list-offline-messages.ts'
import { locateUser } from './locate-user.ts'
import { lookupUser } from './lookup-user.ts'
import { offerFriendship } from './offer-friendship.ts'
import { renewRegionLease } from './renew-region-lease.ts'
import { returnUnreadMessages } from './return-unread-messages.ts'
import { sendGroupMessage } from './send-group-message.ts'
import { setFriendRights } from './set-friend-rights.ts'
import { signOff } from './sign-off.ts'
import { signOn } from './sign-on.ts'
import { startGroupSession } from './start-group-session.ts'
import { storeOfflineMessage } from './store-offline-message.ts'
import { updateLocation } from './update-location.ts'

type Served = 'user-server' | 'admin'

/**
 * The route of operation `K` of document `D`: given the server's context, a handler of exactly
 * that operation, typed from the contract. Each handler names its caller's kind itself (a region
 * for a signed operation); the operation's security scheme is what makes that true.
 */
export type Route<D extends Served, K extends keyof DocumentOperations[D]> = (ctx: UserServerContext) => HandlerFor<D, K, any>

/**
 * Every operation of a document, by operationId: a route missing, named after no operation, or
 * filed under another operation's name fails typecheck.
 */
export type Routes<D extends Served> = { [K in keyof DocumentOperations[D]]-?: Route<D, K> }

/** user-server.yaml, by operationId. */
export const userServerRoutes: Routes<'user-server'> = {
  getDirectory,
  renewRegionLease,
  endRegionLease,
  getRegion,
  signOn,
  signOff,
  updateLocation,
  confirmHandover,
  lookupUser,
  locateUser,
  listFriends,
  offerFriendship,
  acceptFriendshipOffer,
  declineFriendshipOffer,
  setFriendRights,
  endFriendship,
  storeOfflineMessage,
  listOfflineMessages,
  acknowledgeOfflineMessages,
  returnUnreadMessages,
  startGroupSession,
  sendGroupMessage,
  joinGroupSession,
  leaveGroupSession
}

/** admin.yaml, by operationId. */
export const adminRoutes: Routes<'admin'> = {
  adminCreateUser,
  adminGetUser,
  adminListOfflineMessages,
  adminCreateFriendship,
  adminCreateGroup,
  adminProvisionRegion,
  adminGetSettings,
  adminUpdateSettings
}

/** The handlers of a document's routes, each counting the requests that reach it. */
export function handlers<D extends Served> (routes: Routes<D>, ctx: UserServerContext, metrics: Metrics): OperationHandlers<D> {
  const counted = <K extends keyof DocumentOperations[D] & string>(operationId: K): HandlerFor<D, K, any> => {
    const handler = routes[operationId](ctx)
    return (input) => {
      metrics.countReceived(operationId)
      return handler(input)
    }
  }
  const out: OperationHandlers<D> = {}
  // Object.keys forgets that the keys are the routes' operationIds.
  for (const operationId of Object.keys(routes) as Array<keyof DocumentOperations[D] & string>) out[operationId] = counted(operationId)
  return out
}
