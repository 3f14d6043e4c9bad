// offerFriendship — GRIDIM-FRND-2..5, GRIDIM-LIM-2. The offeree is told now if online, else at
// its next sign-on (GRIDIM-SIGN-7).
import { randomUUID } from 'node:crypto'
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireHosted, requireUser } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { displayName } from '../conversions.ts'
import { checkMessageBytes } from '../limits.ts'

export function offerFriendship (ctx: UserServerContext): HandlerFor<'user-server', 'offerFriendship', PeerPrincipal> {
  const { store } = ctx
  return async (input) => {
    const { fromUserId, toUserId, message } = input.body
    checkMessageBytes(message, 'the offer message')
    if (fromUserId === toUserId && !ctx.faults.has('self-friendship-offer-accepted')) throw new GridImError('invalid-request', 'a user cannot offer friendship to itself')
    const from = await requireUser(ctx, fromUserId)
    await requireUser(ctx, toUserId)
    await requireHosted(ctx, input, from)
    // Looked for and made in one transaction: a repeat arriving meanwhile finds the offer pending
    // (GRIDIM-FRND-4) instead of making another.
    const { offer, made } = await store.transaction(async (tx) => {
      if (await tx.getFriendship(fromUserId, toUserId) !== null) throw new GridImError('already-friends', 'the users are already friends')
      const pending = await tx.findOpenOffer(fromUserId, toUserId)
      if (pending !== null && !ctx.faults.has('repeated-offer-creates-another')) return { offer: pending, made: false }
      const offerId = randomUUID()
      // On a shared store another instance may have made it meanwhile: createOffer then answers
      // that one, which is a repeat here too (GRIDIM-FRND-4).
      const offer = await tx.createOffer({ offerId, fromUserId, toUserId, message: message ?? null, createdAt: ctx.now() })
      // The fault repeated-offer-creates-another answers and notifies the repeat as a new offer.
      return { offer, made: offer.offerId === offerId || ctx.faults.has('repeated-offer-creates-another') }
    })
    if (!made) return { status: 200, body: { offerId: offer.offerId } }
    await ctx.batch().add(toUserId, {
      type: 'friendshipOffer', offerId: offer.offerId, fromUserId, fromName: displayName(from),
      ...(message === undefined ? {} : { message })
    }).send()
    return { status: 201, body: { offerId: offer.offerId } }
  }
}
