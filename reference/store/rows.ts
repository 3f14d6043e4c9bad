/**
 * Rows the user server's store keeps, named after the protocol's own objects
 * (spec/protocol, openapi/components/common.yaml). All identifiers are UUID strings chosen by the caller;
 * all times are Unix epoch milliseconds, converted at the HTTP edge.
 */

/** An account. Names are compared case-insensitively (GRIDIM-ID). */
export interface UserRow {
  userId: string
  firstName: string
  lastName: string
  /** scrypt output, base64url (see password.ts); stored as given. */
  passwordHash: string
  /** Per-user random salt, base64url; stored as given. */
  passwordSalt: string
  createdAt: number
}

export type RegionKind = 'region' | 'gateway'

/** A provisioned region or gateway and its lease (GRIDIM-LEASE). */
export interface RegionRow {
  regionId: string
  name: string
  kind: RegionKind
  /** Ed25519 public key, base64url of the raw 32 bytes. */
  publicKey: string
  /** Last URL the region announced; kept after the lease ends, for diagnostics. */
  url: string | null
  /** null when the region holds no lease; online means leaseExpiresAt > now. */
  leaseExpiresAt: number | null
}

export interface NewRegion {
  regionId: string
  name: string
  kind: RegionKind
  publicKey: string
}

/** One sign-on; a user has at most one (GRIDIM-SIGN). */
export interface SessionRow {
  sessionId: string
  userId: string
  /** Hash of the session secret, stored as given; the secret itself is never stored. */
  secretHash: string
  regionId: string
  startedAt: number
}

/** A region a session was placed at (GRIDIM-OFFL-12). */
export interface SessionPlacement {
  sessionId: string
  regionId: string
  userId: string
  placedAt: number
}

/** A friendship seen from `userId`'s side (GRIDIM-FRND). */
export interface FriendshipRow {
  userId: string
  friendId: string
  /** What userId grants friendId: 1 CanSeeOnline, 2 CanSeeOnMap, 4 CanModifyObjects. */
  rightsGranted: number
  /** What friendId grants userId. */
  rightsReceived: number
}

/** An entry of a user's friend list, with the friend's name for display. */
export interface FriendRow {
  friendId: string
  firstName: string
  lastName: string
  rightsGranted: number
  rightsReceived: number
}

/** An open friendship offer; deleted when accepted or declined. */
export interface OfferRow {
  offerId: string
  fromUserId: string
  toUserId: string
  message: string | null
  createdAt: number
}

/** An instant message held for a recipient who was offline (GRIDIM-OFFL). */
export interface OfflineMessageRow {
  /** Chosen by the sender; the store keeps one row per messageId. */
  messageId: string
  fromUserId: string
  fromName: string
  toUserId: string
  body: string
  sentAt: number
}

export interface OfflinePage {
  messages: OfflineMessageRow[]
  /** True when more messages wait beyond this page. */
  more: boolean
}

export interface GroupRow {
  groupId: string
  name: string
  memberIds: string[]
}

export type GroupSessionCloseReason = 'idle' | 'ended'

/** A group or ad-hoc session (GRIDIM-GRP); closed sessions are kept so callers can answer 410. */
export interface GroupSessionRow {
  groupSessionId: string
  name: string
  /** null for an ad-hoc ("card-based") session. */
  groupId: string | null
  startedBy: string
  createdAt: number
  lastActivityAt: number
  closedAt: number | null
  closeReason: GroupSessionCloseReason | null
}

export interface NewGroupSession {
  groupSessionId: string
  name: string
  groupId: string | null
  startedBy: string
  /** Initial members; duplicates are ignored. startedBy is not added implicitly. */
  memberIds: string[]
  createdAt: number
}

export interface GroupSessionMembers {
  /** Current members, in the order they first joined. */
  members: string[]
  /** Members who left and have not rejoined. */
  left: string[]
}

/** Operator settings (adminGetSettings / adminUpdateSettings), in seconds. */
export interface Settings {
  leaseSeconds: number
  groupIdleSeconds: number
  replayWindowSeconds: number
  /** GRIDIM-SIGN-13, GRIDIM-LIM-26: published in the directory for the regions. */
  clientIdleSeconds: number
  /** GRIDIM-CLI-21, GRIDIM-LIM-26: likewise. */
  handoverSeconds: number
  /** GRIDIM-CLI-15, GRIDIM-LIM-26: likewise. */
  keepAliveSeconds: number
}

export const defaultSettings: Readonly<Settings> = Object.freeze({
  leaseSeconds: 60,
  groupIdleSeconds: 1800,
  replayWindowSeconds: 60,
  clientIdleSeconds: 120,
  handoverSeconds: 60,
  keepAliveSeconds: 15,
})
