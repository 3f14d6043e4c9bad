// confirmHandover — the entering region's check of a hand-over; GRIDIM-LOC-12, GRIDIM-LOC-16,
// GRIDIM-LOC-17, GRIDIM-SEC-14. Only the move the user server made itself, from the region the
// session left, with the session's own secret, is confirmed — and only once. Every refusal
// changes nothing, so a forged attempt cannot spend the real hand-over (GRIDIM-ERR-5).
import { timingSafeEqual } from 'node:crypto'
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { requireUser, signerOf } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { hashSessionSecret } from '../sessions/session-secret.ts'

/** GRIDIM-SEC-14: the store keeps the secret's SHA-256; the digests are compared in constant time. */
function secretMatches (secretHash: string, given: string): boolean {
  const expected = Buffer.from(secretHash, 'base64url')
  const actual = Buffer.from(hashSessionSecret(given), 'base64url')
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

export function confirmHandover (ctx: UserServerContext): HandlerFor<'user-server', 'confirmHandover', PeerPrincipal> {
  const { store } = ctx
  return async (input) => {
    const sessionId = input.params.sessionId
    const { userId, fromRegionId, sessionSecret } = input.body
    const session = await store.getSession(sessionId)
    if (session === null) throw new GridImError('unknown-session', `no session ${sessionId}`)
    // GRIDIM-ERR-4, GRIDIM-ERR-7: whatever the request names must exist, before any authority.
    await requireUser(ctx, userId)
    if (await store.getRegion(fromRegionId) === null) throw new GridImError('unknown-region', `no region ${fromRegionId}`)
    const signer = signerOf(input)
    const now = ctx.now()
    const handover = await ctx.handovers.get(sessionId, now)
    // One answer for every reason, so a guess learns nothing about which part was wrong.
    // The fault handover-confirmed-for-any-user: any existing user's id will do.
    const confirmed = (session.userId === userId || ctx.faults.has('handover-confirmed-for-any-user')) &&
      session.regionId === signer &&
      handover?.fromRegionId === fromRegionId &&
      secretMatches(session.secretHash, sessionSecret)
    if (!confirmed) throw new GridImError('not-your-agent', `no unconfirmed hand-over of session ${sessionId} from region ${fromRegionId} to the signing region`)
    // GRIDIM-LOC-17: single use; the hand-over is complete and no longer undone (GRIDIM-LOC-15).
    // Taken, not only read: of two confirmations at once (on two instances) one gets it.
    if (!ctx.faults.has('handover-confirmed-twice') && (await ctx.handovers.take(sessionId, now))?.fromRegionId !== fromRegionId) {
      throw new GridImError('not-your-agent', `no unconfirmed hand-over of session ${sessionId} from region ${fromRegionId} to the signing region`)
    }
    return { body: { sessionId, userId, regionId: signer } }
  }
}
