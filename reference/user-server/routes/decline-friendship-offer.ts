// declineFriendshipOffer — GRIDIM-FRND-9.
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import type { UserServerContext } from '../context.ts'
import { pendingOfferFor } from './answer-offer.ts'

export function declineFriendshipOffer (ctx: UserServerContext): HandlerFor<'user-server', 'declineFriendshipOffer', PeerPrincipal> {
  return async (input) => {
    const { offer, offeree } = await pendingOfferFor(ctx, input)
    // Not deleted here: another answer to it (another request, or another instance) settled it
    // since it was read, and told the offerer itself.
    if (!ctx.faults.has('declined-offer-kept') && !await ctx.store.deleteOffer(offer.offerId)) {
      throw new GridImError('unknown-offer', `no pending offer ${offer.offerId}`)
    }
    await ctx.batch().add(offer.fromUserId, { type: 'friendshipDeclined', offerId: offer.offerId, byUserId: offeree.userId }).send()
    return { status: 204 }
  }
}
