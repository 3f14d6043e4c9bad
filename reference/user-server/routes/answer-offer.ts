// What accepting and declining an offer share: GRIDIM-FRND-6, GRIDIM-FRND-7.
import { GridImError } from '../../lib/errors/index.ts'
import type { AllOperations } from '../../lib/contract/types.ts'
import type { OperationInput, PeerPrincipal } from '../../lib/http/index.ts'
import type { OfferRow, UserRow } from '../../store/index.ts'
import { requireHosted, requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'

/** Accepting and declining take the same: the offer in the path, the offeree in the body. */
type OfferAnswerInput = Pick<OperationInput<AllOperations['acceptFriendshipOffer'] | AllOperations['declineFriendshipOffer'], PeerPrincipal>, 'params' | 'body' | 'principal'>

export async function pendingOfferFor (ctx: UserServerContext, input: OfferAnswerInput): Promise<{ offer: OfferRow, offeree: UserRow }> {
  const { userId } = input.body
  const offeree = await requireUser(ctx, userId)
  const offer = await ctx.store.getOffer(input.params.offerId)
  if (offer === null) throw new GridImError('unknown-offer', `no pending offer ${input.params.offerId}`)
  await requireHosted(ctx, input, offeree)
  if (offer.toUserId !== userId && !ctx.faults.has('offer-answered-by-anyone')) throw new GridImError('forbidden', 'only the offeree answers an offer')
  return { offer, offeree }
}
