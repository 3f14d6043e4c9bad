// Who is told what about whose presence. Plain functions over data: the routes feed them rows
// from the store and turn the answers into notices. "Online" is a predicate so that callers
// decide how they know it (one store query for all friends, a set of users just signed off...).
import type { Friend, Schema } from '../../lib/contract/types.ts'
import type { FriendRow } from '../../store/index.ts'
import { displayName } from '../conversions.ts'
import { grantsSeeOnline } from './rights.ts'

/** What a `presence` notice says of a user (region.yaml PresenceNotice). */
export type PresenceStatus = Schema<'PresenceNotice'>['status']

export type IsOnline = (userId: string) => boolean

/** One presence notice: tell `toUserId` that `aboutUserId` is `status`. */
export type PresenceChange = { toUserId: string, aboutUserId: string, status: PresenceStatus }

/** A friendship seen from the subject's side: what the subject grants the friend. */
export type Grant = Pick<FriendRow, 'friendId' | 'rightsGranted'>

/**
 * GRIDIM-SIGN-6, GRIDIM-SIGN-11, GRIDIM-PRES-1, GRIDIM-PRES-3: the subject's going online or
 * offline is told to its friends who can be reached and to whom it grants CanSeeOnline — nobody
 * else. B and C, both friends of A but not of each other, are never in each other's audience.
 */
export function presenceAudience (grants: readonly Grant[], isReachable: IsOnline): string[] {
  return grants.filter((g) => grantsSeeOnline(g.rightsGranted) && isReachable(g.friendId)).map((g) => g.friendId)
}

/** The presence notices caused by `subject` going online or offline. */
export function presenceChanges (subject: string, status: PresenceStatus, grants: readonly Grant[], isReachable: IsOnline): PresenceChange[] {
  return presenceAudience(grants, isReachable).map((toUserId) => ({ toUserId, aboutUserId: subject, status }))
}

/**
 * GRIDIM-PRES-6: presence follows rights at once. When the granter is online and
 * CanSeeOnline is added for a reachable grantee, the grantee learns `online`; when it is removed,
 * `offline`. Nothing when the bit did not change, the granter is offline (it already looks
 * offline) or the grantee cannot be reached (notices are not kept).
 */
export function presenceAfterRightsChange (
  before: number, after: number, granterOnline: boolean, granteeReachable: boolean
): PresenceStatus | null {
  if (!granterOnline || !granteeReachable) return null
  const had = grantsSeeOnline(before)
  const has = grantsSeeOnline(after)
  if (had === has) return null
  return has ? 'online' : 'offline'
}

/**
 * A new friendship (an accepted offer, or an operator's fixture): each side that is online and
 * grants the other CanSeeOnline is shown to the other, if that one can be reached.
 */
export function presenceOnNewFriendship (
  a: string, b: string, rightsAB: number, rightsBA: number, isOnline: IsOnline, isReachable: IsOnline = isOnline
): PresenceChange[] {
  const out: PresenceChange[] = []
  if (isOnline(a) && isReachable(b) && grantsSeeOnline(rightsAB)) out.push({ toUserId: b, aboutUserId: a, status: 'online' })
  if (isOnline(b) && isReachable(a) && grantsSeeOnline(rightsBA)) out.push({ toUserId: a, aboutUserId: b, status: 'online' })
  return out
}

/**
 * GRIDIM-PRES-2: a row of a friend list. `online` is present exactly when the friend grants the
 * listing user CanSeeOnline, so the list never reveals more than the rights allow.
 */
export function friendView (row: FriendRow, isOnline: IsOnline): Friend {
  const friend: Friend = {
    userId: row.friendId,
    name: displayName(row),
    rightsGranted: row.rightsGranted,
    rightsReceived: row.rightsReceived
  }
  if (grantsSeeOnline(row.rightsReceived)) friend.online = isOnline(row.friendId)
  return friend
}

/**
 * GRIDIM-LOC-2, GRIDIM-IM-16: whether `userId` grants `asUserId` CanSeeOnline, from what
 * `userId` grants (null when they are not friends: a stranger sees nothing).
 */
export function canSeeOnline (rightsGranted: number | null): boolean {
  return rightsGranted !== null && grantsSeeOnline(rightsGranted)
}
