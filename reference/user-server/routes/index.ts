// operationId → handler, for user-server.yaml and admin.yaml. Every operation is counted for
// the metrics. (The lease of a signing region is checked with its signature: auth/lease-check.ts.)
import type { OperationHandler } from '../../lib/http/index.ts'
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

export type Route = (ctx: UserServerContext) => OperationHandler

/** user-server.yaml, by operationId. */
export const userServerRoutes: Record<string, Route> = {
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
export const adminRoutes: Record<string, Route> = {
  adminCreateUser,
  adminGetUser,
  adminListOfflineMessages,
  adminCreateFriendship,
  adminCreateGroup,
  adminProvisionRegion,
  adminGetSettings,
  adminUpdateSettings
}

export function handlers (routes: Record<string, Route>, ctx: UserServerContext, metrics: Metrics): Record<string, OperationHandler> {
  return Object.fromEntries(Object.entries(routes).map(([operationId, route]) => {
    const handler = route(ctx)
    return [operationId, (input) => {
      metrics.countReceived(operationId)
      return handler(input)
    }]
  }))
}
