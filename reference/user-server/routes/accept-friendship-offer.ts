// acceptFriendshipOffer — GRIDIM-FRND-8: both sides grant CanSeeOnline; the
// offerer gets `friendshipAccepted` and the offeree's `online` presence in one request, and the
// offeree learns the offerer's presence from the answer's `online`.
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { displayName } from '../conversions.ts'
import { CAN_SEE_ON_MAP, RIGHTS_ON_ACCEPT } from '../presence/rights.ts'
import { friendView, presenceOnNewFriendship } from '../presence/rules.ts'
import { onlineAmong, presenceNotice, reachableAmong } from '../sessions/online.ts'
import { pendingOfferFor } from './answer-offer.ts'

export function acceptFriendshipOffer (ctx: UserServerContext): HandlerFor<'user-server', 'acceptFriendshipOffer', PeerPrincipal> {
  const { store } = ctx
  return async (input) => {
    const { offer, offeree } = await pendingOfferFor(ctx, input)
    const rights = ctx.faults.has('accept-grants-all-rights') ? RIGHTS_ON_ACCEPT | CAN_SEE_ON_MAP : RIGHTS_ON_ACCEPT
    const offerer = await requireUser(ctx, offer.fromUserId)
    if (await store.getFriendship(offerer.userId, offeree.userId) !== null) throw new GridImError('already-friends', 'the users are already friends')
    await store.transaction(async (tx) => {
      // Checked again here: another answer (another request, or another instance) may have
      // settled the offer since it was read. A refusal rolls back: nothing changes.
      if (!await tx.createFriendship(offerer.userId, offeree.userId, rights, rights)) throw new GridImError('already-friends', 'the users are already friends')
      if (!await tx.deleteOffer(offer.offerId)) throw new GridImError('unknown-offer', `no pending offer ${offer.offerId}`)
      // An offer the other way is settled too.
      const reverse = await tx.findOpenOffer(offeree.userId, offerer.userId)
      if (reverse !== null) await tx.deleteOffer(reverse.offerId)
    })
    const isOnline = await onlineAmong(store, [offerer.userId, offeree.userId])
    const batch = ctx.batch().add(offerer.userId, {
      type: 'friendshipAccepted', offerId: offer.offerId, friendId: offeree.userId, friendName: displayName(offeree)
    })
    const isReachable = await reachableAmong(ctx, [offerer.userId])
    for (const change of presenceOnNewFriendship(offerer.userId, offeree.userId, rights, rights, isOnline, isReachable)) {
      if (change.toUserId === offerer.userId) batch.add(offerer.userId, presenceNotice(offeree, change.status))
    }
    await batch.send()
    const row = { friendId: offerer.userId, firstName: offerer.firstName, lastName: offerer.lastName, rightsGranted: rights, rightsReceived: rights }
    return { body: friendView(row, isOnline) }
  }
}
