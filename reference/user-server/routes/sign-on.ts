// signOn — seed steps 1–4 and 8; GRIDIM-SIGN-1..4, GRIDIM-SIGN-6..8, GRIDIM-ID-3, GRIDIM-ID-4, GRIDIM-XMPP-26.
//
// A new sign-on replaces an older session. Its friends are not told `offline` (they would see
// the user flicker), but the older session's region, if another, gets a `presence` notice about
// the user addressed to the user, status `offline`, which tells it to drop the agent
// (GRIDIM-SIGN-8, GRIDIM-SIGN-9). The older session leaves its group sessions.
import { randomUUID } from 'node:crypto'
import type { Schema } from '../../lib/contract/types.ts'
import { GridImError } from '../../lib/errors/index.ts'
import type { HandlerFor, PeerPrincipal } from '../../lib/http/index.ts'
import { verifyPassword, type UserRow } from '../../store/index.ts'
import { signerOf } from '../auth/acting-for.ts'
import type { UserServerContext } from '../context.ts'
import { displayName, messageToWire } from '../conversions.ts'
import { OFFLINE_PAGE_SIZE } from '../limits.ts'
import { regionTarget } from '../notices/locator.ts'
import { friendRow } from '../presence/friend-row.ts'
import { presenceAudience } from '../presence/rules.ts'
import { sessionsEnded } from '../sessions/end-sessions.ts'
import { onlineAmong, presenceNotice, reachableAmong } from '../sessions/online.ts'
import { hashSessionSecret, newSessionSecret } from '../sessions/session-secret.ts'
import { foreignUser } from '../users/foreign-users.ts'

/**
 * GRIDIM-SIGN-2: a grid user by name and password; GRIDIM-XMPP-26: a foreign user by bare JID,
 * only from the gateway and only for a JID outside the gateway domain.
 */
async function identify (ctx: UserServerContext, signer: string, body: Schema<'SignOnRequest'>): Promise<UserRow> {
  if (body.jid !== undefined) {
    const atGatewayDomain = body.jid.toLowerCase().endsWith(`@${ctx.gatewayDomain.toLowerCase()}`)
    if ((await ctx.store.getRegion(signer))?.kind !== 'gateway' || atGatewayDomain) {
      throw new GridImError('forbidden', 'only the gateway signs on foreign users, by a JID outside the gateway domain')
    }
    return await foreignUser(ctx.store, body.jid, ctx.now())
  }
  const user = await ctx.store.findUserByName(body.firstName, body.lastName)
  if (user === null && ctx.faults.has('unknown-name-as-unknown-user')) throw new GridImError('unknown-user', `no user named ${body.firstName} ${body.lastName}`)
  if (!await verifyPassword(body.password, user, ctx.passwordCost) || user === null) {
    throw new GridImError('invalid-credentials', 'unknown name or wrong password')
  }
  return user
}

export function signOn (ctx: UserServerContext): HandlerFor<'user-server', 'signOn', PeerPrincipal> {
  const { store } = ctx
  return async (input) => {
    const body = input.body
    const signer = signerOf(input)
    if (await store.getRegion(body.regionId) === null) throw new GridImError('unknown-region', `no region ${body.regionId}`)
    if (signer !== body.regionId) throw new GridImError('forbidden', 'a region signs users on only at itself')
    const user = await identify(ctx, signer, body)
    const { userId } = user
    // The fault session-id-reused: a sign-on that replaces a session refreshes it in place, keeping its id.
    const sessionId = (ctx.faults.has('session-id-reused') ? (await store.getSessionByUser(userId))?.sessionId : undefined) ?? randomUUID()
    const sessionSecret = newSessionSecret()
    const batch = ctx.batch()
    await store.transaction(async (tx) => {
      const replaced = await tx.createSession({ sessionId, userId, secretHash: hashSessionSecret(sessionSecret), regionId: body.regionId, startedAt: ctx.now() })
      if (replaced === null) return
      await sessionsEnded({ ...ctx, store: tx }, [replaced], batch, { announceOffline: false })
      const earlier = replaced.regionId === body.regionId ? undefined : await regionTarget(tx, replaced.regionId, ctx.now())
      if (earlier !== undefined) batch.addAt(earlier, userId, presenceNotice(user, 'offline'))
    })

    const friends = await store.listFriends(userId)
    const friendIds = friends.map((f) => f.friendId)
    const isOnline = await onlineAmong(store, friendIds)
    const isReachable = await reachableAmong(ctx, friendIds)
    // The fault sign-on-presence-ignores-rights tells every reachable friend, whatever the user grants them.
    const audience = ctx.faults.has('sign-on-presence-ignores-rights') ? friendIds.filter(isReachable) : presenceAudience(friends, isReachable)
    for (const friendId of audience) batch.add(friendId, presenceNotice(user, 'online'))
    if (ctx.faults.has('presence-to-friends-of-friends')) for (const f of friendIds) for (const ff of await store.listFriends(f)) if (ff.friendId !== userId) batch.add(ff.friendId, presenceNotice(user, 'online'))
    for (const offer of ctx.faults.has('pending-offers-not-renotified') ? [] : await store.listOpenOffers(userId)) {
      const from = await store.getUser(offer.fromUserId)
      if (from === null) continue
      batch.add(userId, {
        type: 'friendshipOffer', offerId: offer.offerId, fromUserId: offer.fromUserId, fromName: displayName(from),
        ...(offer.message === null ? {} : { message: offer.message })
      })
    }
    const page = await store.listOffline(userId, ctx.faults.has('sign-on-page-unbounded') ? Number.MAX_SAFE_INTEGER : OFFLINE_PAGE_SIZE)
    if (ctx.faults.has('offline-deleted-on-read')) await store.acknowledge(userId, page.messages.map((m) => m.messageId))
    await batch.send()
    return {
      status: 201,
      body: {
        sessionId,
        sessionSecret,
        userId,
        name: displayName(user),
        // The fault sign-on-friends-reachable-as-online shows a friend online where it can be reached, not where it is signed on.
        friends: friends.map((f) => friendRow(ctx, f, ctx.faults.has('sign-on-friends-reachable-as-online') ? isReachable : isOnline)),
        offlineMessages: (ctx.faults.has('offline-page-newest-first') ? [...page.messages].reverse() : page.messages).map(messageToWire),
        // The fault offline-more-at-full-page: "more" for any full page, without looking past it.
        moreOfflineMessages: ctx.faults.has('offline-more-at-full-page') ? page.messages.length === OFFLINE_PAGE_SIZE : page.more
      }
    }
  }
}
