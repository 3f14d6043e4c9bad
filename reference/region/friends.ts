// An agent's friend list and what it knows of who grants it CanSeeOnline, kept current from the
// user server's answers and notices, so that a message outcome can be masked without a lookup.
// GRIDIM-IM-16: the most recent of a locateUser's canSeeOnline, the friend list and the
// rightsChanged / friendshipEnded notices decides; a user who is not a friend grants nothing.
import type { Friend, Notice } from '../lib/contract/types.ts'
import type { Fault } from '../lib/faults.ts'

/** CanSeeOnline, the first of OpenSimulator's friend rights. */
export const CAN_SEE_ONLINE = 1

export type FriendView = { friends: Friend[], seesOnline: Map<string, boolean> }

export function grantsSeeOnline (view: FriendView, userId: string): boolean {
  const known = view.seesOnline.get(userId)
  if (known !== undefined) return known
  const friend = view.friends.find((f) => f.userId === userId)
  return friend !== undefined && (friend.rightsReceived & CAN_SEE_ONLINE) !== 0
}

/** A whole new friend list (listFriends) is the newest knowledge there is. */
export function replaceFriends (view: FriendView, friends: readonly Friend[]): void {
  view.friends = friends.map((f) => ({ ...f }))
  view.seesOnline.clear()
}

/** Replaces or adds one row, as returned by acceptFriendshipOffer or setFriendRights. */
export function upsertFriend (view: FriendView, friend: Friend): void {
  const i = view.friends.findIndex((f) => f.userId === friend.userId)
  if (i === -1) view.friends.push({ ...friend })
  else view.friends[i] = { ...friend }
  view.seesOnline.delete(friend.userId)
}

/** Applies what a notice says about the addressee's friends; other notices change nothing. */
export function applyNoticeToFriends (view: FriendView, notice: Notice, faults?: ReadonlySet<Fault>): void {
  const friend = (id: unknown): Friend | undefined => view.friends.find((f) => f.userId === id)
  switch (notice.type) {
    case 'presence': {
      const f = friend(notice.userId)
      if (f !== undefined && (f.rightsReceived & CAN_SEE_ONLINE) !== 0) f.online = notice.status === 'online'
      break
    }
    case 'friendshipAccepted': {
      // GRIDIM-FRND-8: each side grants the other exactly CanSeeOnline.
      const id = String(notice.friendId)
      if (friend(id) === undefined) view.friends.push({ userId: id, name: String(notice.friendName), rightsGranted: CAN_SEE_ONLINE, rightsReceived: CAN_SEE_ONLINE })
      view.seesOnline.set(id, true)
      break
    }
    case 'friendshipEnded':
      view.friends = view.friends.filter((f) => f.userId !== notice.friendId)
      view.seesOnline.set(String(notice.friendId), false)
      break
    case 'rightsChanged': {
      const rights = Number(notice.rights)
      if (faults?.has('rights-change-keeps-learned-visibility') !== true) view.seesOnline.set(String(notice.friendId), (rights & CAN_SEE_ONLINE) !== 0)
      const f = friend(notice.friendId)
      if (f === undefined) break
      f.rightsReceived = rights
      if ((rights & CAN_SEE_ONLINE) === 0) delete f.online
      break
    }
  }
}
