// The JSON shapes the user server sends, as openapi/components/common.yaml names them, and the
// conversions between the store's rows (epoch ms) and the wire (RFC 3339, GRIDIM-ID-12).
import type { OfflineMessageRow, UserRow } from '../store/index.ts'

export type PresenceStatus = 'online' | 'offline'

export type GroupMember = { userId: string, name: string }

/** A Notice without its envelope (`noticeId`, `toUserId`), discriminated by `type`. */
export type NoticeContent =
  | { type: 'presence', userId: string, name: string, status: PresenceStatus }
  | { type: 'friendshipOffer', offerId: string, fromUserId: string, fromName: string, message?: string }
  | { type: 'friendshipAccepted', offerId: string, friendId: string, friendName: string }
  | { type: 'friendshipDeclined', offerId: string, byUserId: string }
  | { type: 'friendshipEnded', friendId: string }
  | { type: 'rightsChanged', friendId: string, rights: number }
  | { type: 'groupSessionInvitation', groupSessionId: string, name: string, groupId?: string, startedBy: string, members: GroupMember[] }
  | { type: 'groupSessionMemberLeft', groupSessionId: string, userId: string }
  | { type: 'groupSessionClosed', groupSessionId: string, reason: 'idle' | 'ended' }

export type Notice = NoticeContent & { noticeId: string, toUserId: string }

export type Friend = {
  userId: string
  name: string
  rightsGranted: number
  rightsReceived: number
  online?: boolean
}

export type InstantMessage = {
  messageId: string
  fromUserId: string
  fromName: string
  toUserId: string
  body: string
  sentAt: string
}

export type GroupSession = {
  groupSessionId: string
  name: string
  groupId?: string
  members: GroupMember[]
  regions: Array<{ regionId: string, userIds: string[] }>
}

export type GroupMessageDelivery = {
  groupSessionId: string
  messageId: string
  fromUserId: string
  fromName: string
  body: string
  sentAt: string
  toUserIds: string[]
}

/** GRIDIM-ID-12: RFC 3339 in UTC with the `Z` suffix. */
export function timestamp (epochMs: number): string {
  return new Date(epochMs).toISOString()
}

/**
 * A user's name as reported: `First Last` in the capitalisation of the account for a grid user
 * (GRIDIM-ID-7), the bare JID for a foreign user (GRIDIM-ID-10), kept with an empty last name.
 */
export function displayName (user: Pick<UserRow, 'firstName' | 'lastName'>): string {
  return user.lastName === '' ? user.firstName : `${user.firstName} ${user.lastName}`
}

export function messageToWire (row: OfflineMessageRow): InstantMessage {
  return { messageId: row.messageId, fromUserId: row.fromUserId, fromName: row.fromName, toUserId: row.toUserId, body: row.body, sentAt: timestamp(row.sentAt) }
}

export function messageFromWire (message: InstantMessage): OfflineMessageRow {
  return { ...message, sentAt: Date.parse(message.sentAt) }
}
