/**
 * The user server's storage interface, asynchronous so that it can live in a database server
 * shared by several user-server processes (PostgreSQL, issue 16) as well as in an SQLite file
 * (the embedded default). Each area is its own interface so a component can ask for only what
 * it uses (e.g. `SessionStore & RegionStore`).
 *
 * The methods are written once, synchronously (`Sync…Store`, what an SQLite connection does
 * directly); the public interfaces are the same methods returning promises (`Async<…>`).
 *
 * Conventions: expected outcomes (name taken, already friends, duplicate message) are
 * return values, never exceptions. Referring to a user, region or group that does not
 * exist is a caller bug and rejects (foreign keys are enforced).
 *
 * Transactions are explicit: `transaction(fn)` hands fn a store bound to the transaction, and
 * everything fn reads or writes goes through that one — the store it was called on waits until
 * the transaction ends (SQLite), or is another connection (PostgreSQL), so using it inside fn
 * waits forever or reads around the transaction.
 */
import type {
  FriendRow,
  FriendshipRow,
  GroupRow,
  GroupSessionCloseReason,
  GroupSessionMembers,
  GroupSessionRow,
  NewGroupSession,
  NewRegion,
  OfferRow,
  OfflineMessageRow,
  OfflinePage,
  RegionRow,
  SessionPlacement,
  SessionRow,
  Settings,
  UserRow,
} from './rows.ts'

export * from './rows.ts'

export interface SyncUserStore {
  /** False (and nothing stored) when the id or the name, ignoring case, is taken. */
  createUser(user: UserRow): boolean
  getUser(userId: string): UserRow | null
  /** Case-insensitive match on both names (GRIDIM-ID). */
  findUserByName(firstName: string, lastName: string): UserRow | null
}

export interface SyncRegionStore {
  /** Creates the region, or updates name, kind and key of an existing one (its lease is kept). */
  provisionRegion(region: NewRegion): RegionRow
  getRegion(regionId: string): RegionRow | null
  listRegions(): RegionRow[]
  /** Null when the region was never provisioned (GRIDIM-LEASE). */
  renewLease(regionId: string, url: string, expiresAt: number): RegionRow | null
  /**
   * True when the region held a lease, which is now ended. With `lapsedBy`, only a lease that
   * expired at or before it: a sweeper that found the lease lapsed leaves alone one renewed
   * since (by another request, or another instance).
   */
  endLease(regionId: string, lapsedBy?: number): boolean
  /** Regions whose lease has lapsed (expiresAt <= now) and was not yet ended. */
  listExpiredLeases(now: number): RegionRow[]
}

export interface SyncSessionStore {
  /** A new sign-on replaces the user's current one, which is returned (GRIDIM-SIGN). */
  createSession(session: SessionRow): SessionRow | null
  getSession(sessionId: string): SessionRow | null
  getSessionByUser(userId: string): SessionRow | null
  /** Border crossing or teleport; returns the updated session, null when unknown. */
  moveSession(sessionId: string, regionId: string): SessionRow | null
  /** Returns the ended session, null when unknown. */
  endSession(sessionId: string): SessionRow | null
  /** Ends every session hosted by the region (lease lapsed or ended) and returns them. */
  endSessionsAtRegion(regionId: string): SessionRow[]
  /** The sessions of those of `userIds` who are online. */
  listOnlineUsers(userIds: readonly string[]): SessionRow[]
  /**
   * Every region a session was placed at (sign-on, moves), kept after the session ends until
   * purged (GRIDIM-OFFL-12); empty for a session never seen or purged.
   */
  listPlacements(sessionId: string): SessionPlacement[]
  /** Forgets placements made before `before` of sessions that have ended; returns how many. */
  purgePlacements(before: number): number
}

export interface SyncFriendshipStore {
  /** rightsAB = what a grants b. False (nothing changed) when already friends. */
  createFriendship(a: string, b: string, rightsAB: number, rightsBA: number): boolean
  /** Seen from a's side; null when not friends. */
  getFriendship(a: string, b: string): FriendshipRow | null
  listFriends(userId: string): FriendRow[]
  /** Sets what granter grants grantee; false when they are not friends. */
  setRights(granter: string, grantee: string, rights: number): boolean
  /** Removes both directions; false when they were not friends. */
  endFriendship(a: string, b: string): boolean
}

export interface SyncOfferStore {
  /** Stores the offer, unless one from the same user to the same user is open: that one is returned. */
  createOffer(offer: OfferRow): OfferRow
  getOffer(offerId: string): OfferRow | null
  deleteOffer(offerId: string): boolean
  findOpenOffer(fromUserId: string, toUserId: string): OfferRow | null
  /** Offers waiting for the user's answer, oldest first. */
  listOpenOffers(toUserId: string): OfferRow[]
}

export interface SyncOfflineMessageStore {
  /** Idempotent by messageId (GRIDIM-OFFL): a repeat changes nothing. */
  storeOffline(message: OfflineMessageRow): 'stored' | 'duplicate'
  /** Oldest first: by sentAt, then in the order stored. */
  listOffline(userId: string, limit: number): OfflinePage
  /**
   * Deletes the listed messages addressed to userId, ignoring others; returns how many. Null
   * deletes them whoever they are addressed to: only the deliberate fault acknowledge-ignores-recipient.
   */
  acknowledge(userId: string | null, messageIds: readonly string[]): number
  /** GRIDIM-OFFL-2: remembers that messageId was deleted on acknowledgement at `at` (ms). */
  rememberAcknowledged(messageId: string, at: number): void
  /** Whether messageId was deleted on acknowledgement at or after `since` (ms). */
  acknowledgedSince(messageId: string, since: number): boolean
  /** Forgets an acknowledgement (the message is wanted again). */
  forgetAcknowledged(messageId: string): void
  /** Forgets acknowledgements older than `before` (ms); returns how many. */
  purgeAcknowledged(before: number): number
}

export interface SyncGroupStore {
  createGroup(group: GroupRow): void
  getGroup(groupId: string): GroupRow | null
  /**
   * Inside a transaction: holds the group's row (starting its one open session, GRIDIM-GRP-5) until the transaction ends, so that other processes'
   * transactions that lock it too wait for this one (PostgreSQL: SELECT … FOR UPDATE). A no-op on
   * SQLite, whose transactions one process runs one at a time anyway.
   */
  lockGroup(groupId: string): void
}

export interface SyncGroupSessionStore {
  /** lastActivityAt starts at createdAt. */
  createGroupSession(session: NewGroupSession): void
  getGroupSession(groupSessionId: string): GroupSessionRow | null
  /** Joins or rejoins; true when membership changed. */
  addMember(groupSessionId: string, userId: string): boolean
  /** Marks the member as left; true when they were a current member. */
  removeMember(groupSessionId: string, userId: string): boolean
  listMembers(groupSessionId: string): GroupSessionMembers
  /**
   * Inside a transaction: holds the group session's row (a leave that may close it, GRIDIM-GRP-11) until the transaction ends, so that other processes'
   * transactions that lock it too wait for this one (PostgreSQL: SELECT … FOR UPDATE). A no-op on
   * SQLite, whose transactions one process runs one at a time anyway.
   */
  lockGroupSession(groupSessionId: string): void
  /** Records activity, which postpones the idle timeout. */
  touch(groupSessionId: string, lastActivityAt: number): void
  /** Open sessions with no activity since before `olderThan`. */
  listIdleGroupSessions(olderThan: number): GroupSessionRow[]
  /**
   * True when the session was open, and is now closed. With `idleSince`, only a session still
   * without activity since before it: the idle sweeper leaves alone one that a message or a join
   * (on another instance) made active after it was listed.
   */
  closeGroupSession(groupSessionId: string, reason: GroupSessionCloseReason, closedAt: number, idleSince?: number): boolean
}

/**
 * Short-lived facts that every user-server process must see alike (issue 16): a signature nonce
 * already accepted (GRIDIM-SEC), the first answer to a group message (GRIDIM-GRP-15), a hand-over
 * that may be undone or confirmed once (GRIDIM-LOC-15..17). Each is a (kind, key) with a text
 * value that lives until `until` (epoch ms); an expired one is as good as absent.
 */
export interface SyncRecentStore {
  /**
   * Stores the fact unless a live one holds (kind, key): then that one's value is returned and
   * nothing changes. Null means this caller's value is now the fact — of two racing callers,
   * exactly one gets null.
   */
  claimRecent(kind: string, key: string, value: string, until: number, now: number): string | null
  getRecent(kind: string, key: string, now: number): string | null
  /** Stores or replaces the fact. */
  putRecent(kind: string, key: string, value: string, until: number): void
  /** Removes the fact and returns its value when it was live: of two racing callers, one gets it. */
  takeRecent(kind: string, key: string, now: number): string | null
  /** Forgets facts that expired before `before`; returns how many. */
  purgeRecent(before: number): number
}

/** A group message's delivery to one region, waiting in the outbox (GRIDIM-GRP-31). */
export type NewGroupOutboxRow = {
  regionId: string
  /** Where the region was when the message was accepted. */
  url: string
  /** The GroupMessageDelivery, as JSON. */
  delivery: string
}

export type GroupOutboxRow = NewGroupOutboxRow & {
  /** Grows with every row stored: the order the messages were accepted in. */
  outboxId: number
  /** The user-server process that is delivering it. */
  owner: string
  /** Epoch ms; once it has passed, any process may claim the row and send it again. */
  claimedUntil: number
}

/**
 * Group messages accepted and not yet taken by a destination region (GRIDIM-GRP-31): a row per
 * message and region, stored before the sender is answered and deleted once the region answered
 * (or the user server gave up on it). The process that stored a row holds it while delivering
 * it and renews its claim; rows of a process that died lapse and another claims them.
 */
export interface SyncGroupOutboxStore {
  /** Stores the rows, owned by `owner` until `claimedUntil`; their outboxIds, in the order given. */
  addGroupOutbox(rows: readonly NewGroupOutboxRow[], owner: string, claimedUntil: number): number[]
  /**
   * Claims for `owner`, until now + leaseMs, at most `limit` rows whose claim has lapsed
   * (claimedUntil <= now), oldest first; of processes claiming at once, each row goes to one.
   */
  claimGroupOutbox(owner: string, now: number, leaseMs: number, limit: number): GroupOutboxRow[]
  /** Extends the claim of those of the rows that `owner` still holds; returns how many. */
  renewGroupOutbox(owner: string, outboxIds: readonly number[], claimedUntil: number): number
  /** Deletes the rows; returns how many there were. */
  deleteGroupOutbox(outboxIds: readonly number[]): number
  /** The first `limit` rows, oldest first, whoever holds them (what an operator or a test looks at). */
  listGroupOutbox(limit: number): GroupOutboxRow[]
}

export interface SyncSettingsStore {
  getSettings(): Settings
  /** Applies the given fields (positive integers) and returns the result. */
  updateSettings(patch: Partial<Settings>): Settings
}

/** The same methods, each answering with a promise. */
export type Async<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : T[K] }

export type UserStore = Async<SyncUserStore>
export type RegionStore = Async<SyncRegionStore>
export type SessionStore = Async<SyncSessionStore>
export type FriendshipStore = Async<SyncFriendshipStore>
export type OfferStore = Async<SyncOfferStore>
export type OfflineMessageStore = Async<SyncOfflineMessageStore>
export type GroupStore = Async<SyncGroupStore>
export type GroupSessionStore = Async<SyncGroupSessionStore>
export type SettingsStore = Async<SyncSettingsStore>
export type RecentStore = Async<SyncRecentStore>
export type GroupOutboxStore = Async<SyncGroupOutboxStore>

/** Every area's methods, synchronously: what one SQLite connection does. */
export type SyncStoreAreas = SyncUserStore & SyncRegionStore & SyncSessionStore & SyncFriendshipStore & SyncOfferStore &
  SyncOfflineMessageStore & SyncGroupStore & SyncGroupSessionStore & SyncSettingsStore & SyncRecentStore & SyncGroupOutboxStore

export type StoreAreas = Async<SyncStoreAreas>

export interface Store extends StoreAreas {
  /**
   * Runs fn atomically with a store bound to the transaction (`tx`): all of fn's changes
   * through tx commit together or, if fn rejects, none do. Inside fn use only tx. Nests
   * (tx.transaction makes a savepoint).
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>
  /**
   * A number that grows with every call of a method that may change the store — all but the
   * reads (get…, list…, find…, acknowledgedSince), `touch`, which only moves a group
   * session's idle clock, the recent facts (SyncRecentStore) and the group outbox (SyncGroupOutboxStore). What the user server derives
   * from reads and keeps (a group session's destinations) is current while this number has not moved. Null when other processes change
   * the store too (a shared database): then nothing derived may be kept.
   */
  version(): number | null
  close(): Promise<void>
}
