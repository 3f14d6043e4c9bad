// Conversions between the store's rows and the contract's shapes: timestamps are epoch ms in
// the store and RFC 3339 on the wire (GRIDIM-ID-12); names are stored in parts and reported whole.
import type { InstantMessage } from '../lib/contract/types.ts'
import type { OfflineMessageRow, UserRow } from '../store/index.ts'

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
