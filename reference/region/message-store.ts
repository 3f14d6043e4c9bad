// The region's own durable store of the instant messages it accepted (spec chapter 7, "Delivered
// is durable"): a row is committed before the region answers `delivered` (GRIDIM-IM-20), marked
// read when the client reads past its event (GRIDIM-CLI-23), and, when the session ends with it
// unread, kept as `returning` until the user server has taken it back as an offline message
// (GRIDIM-OFFL-11). The same rows remember messageIds for de-duplication across restarts
// (GRIDIM-IM-14, GRIDIM-IM-21). An SQLite file in WAL mode with synchronous=NORMAL: a commit is
// in the WAL (the OS's page cache) when `accept` returns, so it survives a crash or `kill -9` of
// the region process — what GRIDIM-IM-20 asks — though not a power cut of the machine. FULL
// would add an fsync per message: measured 3.2 ms per accept (315/s) against 0.11 ms (9,000/s),
// a ceiling far below the grid's 1:1 rate (BENCHMARKS.md). `:memory:` serves tests.
import Database from 'better-sqlite3'
import type { InstantMessage } from '../lib/contract/types.ts'

/** live: from deliverInstantMessage; offline: from signOn or listOfflineMessages, still held by the user server. */
export type Origin = 'live' | 'offline'
export type RowState = 'unread' | 'read' | 'returning'
export type Kept = { state: RowState, sessionId: string }
export type Returning = { sessionId: string, userId: string, messages: InstantMessage[] }

/** GRIDIM-IM-14: a messageId is remembered for 24 hours after the message was read. */
export const DEDUP_MS = 24 * 3600_000

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS accepted_messages (
    message_id  TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    cursor      INTEGER NOT NULL,
    origin      TEXT NOT NULL CHECK (origin IN ('live', 'offline')),
    state       TEXT NOT NULL CHECK (state IN ('unread', 'read', 'returning')),
    message     TEXT NOT NULL,
    accepted_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS accepted_by_session ON accepted_messages (session_id, state, cursor);
  CREATE INDEX IF NOT EXISTS accepted_by_age ON accepted_messages (state, accepted_at);
  CREATE TABLE IF NOT EXISTS hosted_sessions (
    session_id TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL
  ) STRICT;
`

/** A session that is still signing on (GRIDIM-SIGN-5) has no sessionId yet. */
const PENDING = ''

export class MessageStore {
  readonly #db: Database.Database
  readonly #now: () => number
  readonly #statements
  #inserts = 0
  /** Stream acks not yet applied: sessionId → the highest cursor acknowledged (see readThroughSoon). */
  readonly #pendingReads = new Map<string, number>()

  constructor (path = ':memory:', now: () => number = Date.now) {
    this.#db = new Database(path)
    this.#now = now
    this.#db.pragma('journal_mode = WAL')
    this.#db.pragma('synchronous = NORMAL')
    this.#db.exec(SCHEMA)
    const db = this.#db
    this.#statements = {
      state: db.prepare<[string], Kept & { acceptedAt: number }>('SELECT state, session_id AS sessionId, accepted_at AS acceptedAt FROM accepted_messages WHERE message_id = ?'),
      upsert: db.prepare(`INSERT INTO accepted_messages (message_id, session_id, user_id, cursor, origin, state, message, accepted_at)
        VALUES (@messageId, @sessionId, @userId, @cursor, @origin, 'unread', @message, @acceptedAt)
        ON CONFLICT (message_id) DO UPDATE SET session_id = excluded.session_id, user_id = excluded.user_id, cursor = excluded.cursor,
          origin = excluded.origin, state = 'unread', message = excluded.message, accepted_at = excluded.accepted_at`),
      handed: db.prepare(`INSERT INTO accepted_messages (message_id, session_id, user_id, cursor, origin, state, message, accepted_at)
        VALUES (@messageId, '${PENDING}', @userId, 0, 'live', 'read', @message, @acceptedAt) ON CONFLICT (message_id) DO NOTHING`),
      bind: db.prepare<[string, string]>(`UPDATE accepted_messages SET session_id = ? WHERE user_id = ? AND session_id = '${PENDING}'`),
      read: db.prepare<[string, number]>("UPDATE accepted_messages SET state = 'read' WHERE session_id = ? AND state = 'unread' AND cursor <= ?"),
      unread: db.prepare<[string], { message: string }>("SELECT message FROM accepted_messages WHERE session_id = ? AND state = 'unread' ORDER BY cursor"),
      adopt: db.prepare<[string]>("UPDATE accepted_messages SET origin = 'live' WHERE message_id = ? AND origin = 'offline'"),
      dropOffline: db.prepare<[string]>("DELETE FROM accepted_messages WHERE session_id = ? AND state = 'unread' AND origin = 'offline'"),
      toReturn: db.prepare<[string]>("UPDATE accepted_messages SET state = 'returning' WHERE session_id = ? AND state = 'unread'"),
      forget: db.prepare<[string]>("DELETE FROM accepted_messages WHERE session_id = ? AND state = 'unread'"),
      dropAllOffline: db.prepare("DELETE FROM accepted_messages WHERE state = 'unread' AND origin = 'offline'"),
      allToReturn: db.prepare("UPDATE accepted_messages SET state = 'returning' WHERE state = 'unread'"),
      returning: db.prepare<[], { sessionId: string, userId: string, message: string }>(
        `SELECT session_id AS sessionId, user_id AS userId, message FROM accepted_messages
         WHERE state = 'returning' AND session_id <> '${PENDING}' ORDER BY session_id, cursor`),
      returned: db.prepare<[string]>("DELETE FROM accepted_messages WHERE state = 'returning' AND message_id IN (SELECT value FROM json_each(?))"),
      host: db.prepare<[string, string]>('INSERT INTO hosted_sessions (session_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING'),
      unhost: db.prepare<[string]>('DELETE FROM hosted_sessions WHERE session_id = ?'),
      hosted: db.prepare<[], { sessionId: string, userId: string }>('SELECT session_id AS sessionId, user_id AS userId FROM hosted_sessions'),
      purge: db.prepare<[number]>("DELETE FROM accepted_messages WHERE state = 'read' AND accepted_at < ?")
    }
    this.#statements.purge.run(now() - DEDUP_MS)
  }

  /**
   * A stored message this region holds from a sign-on or a page (origin offline) was also
   * redelivered by the user server and answered `duplicate`: the user server deletes it on that
   * answer (GRIDIM-OFFL-4), so it is this region's to keep from now on — returned if its session
   * leaves it unread (GRIDIM-OFFL-11), not dropped as one the user server still holds.
   */
  adopt (messageId: string): void {
    this.#statements.adopt.run(messageId)
  }

  /** The state of a kept messageId and its session; a read one is forgotten after 24 hours. */
  stateOf (messageId: string): Kept | undefined {
    const row = this.#statements.state.get(messageId)
    if (row === undefined || (row.state === 'read' && row.acceptedAt < this.#now() - DEDUP_MS)) return undefined
    return { state: row.state, sessionId: row.sessionId }
  }

  /**
   * Keeps an accepted message (committed when this returns), unread, for the session; sessionId
   * is '' while the session is signing on, until `bind`. A `returning` row is taken over.
   */
  accept (im: InstantMessage, where: { sessionId: string, userId: string, cursor: string, origin: Origin }): void {
    this.#statements.upsert.run({
      messageId: im.messageId, sessionId: where.sessionId, userId: where.userId, cursor: Number(where.cursor), origin: where.origin,
      message: JSON.stringify(im), acceptedAt: this.#now()
    })
    if (++this.#inserts % 1000 === 0) this.#statements.purge.run(this.#now() - DEDUP_MS)
  }

  /**
   * Runs fn in one transaction: what it accepts is committed together when it returns (one WAL
   * commit instead of one per message), or not at all if it throws.
   */
  transaction<R> (fn: () => R): R {
    return this.#db.transaction(() => {
      this.#applyReads()
      return fn()
    })()
  }

  /**
   * A message handed on at once, with no session log to wait in (the gateway writing a stanza
   * to a foreign user's server): remembered only for de-duplication.
   */
  handedOn (im: InstantMessage): void {
    this.#statements.handed.run({ messageId: im.messageId, userId: im.toUserId, message: JSON.stringify(im), acceptedAt: this.#now() })
  }

  /**
   * Sessions hosted here, so that after a crash the region can sign off those the user server
   * still places here (GRIDIM-SIGN-12): nobody is left online at a region that forgot them.
   */
  hosting (sessionId: string, userId: string): void {
    this.#statements.host.run(sessionId, userId)
  }

  notHosting (sessionId: string): void {
    this.#statements.unhost.run(sessionId)
  }

  hostedSessions (): Array<{ sessionId: string, userId: string }> {
    return this.#statements.hosted.all()
  }

  /** The sign-on completed: what was accepted for the user meanwhile belongs to this session. */
  bind (userId: string, sessionId: string): void {
    this.#statements.bind.run(sessionId, userId)
  }

  /** GRIDIM-CLI-10, GRIDIM-CLI-23: the client has read every event up to cursor. */
  readThrough (sessionId: string, cursor: string): number {
    this.#flushReads()
    return this.#statements.read.run(sessionId, Number(cursor)).changes
  }

  /**
   * readThrough at the end of this event-loop turn, in one transaction with every other such
   * call of the turn (one commit for many acks instead of one each). For the client stream's
   * ack, which is never answered (GRIDIM-CLI-38): no client can tell it from one in flight a
   * moment longer. Anything that reads or ends a session's unread messages applies what is
   * pending first, so they are never seen or returned as unread after their ack was taken.
   */
  readThroughSoon (sessionId: string, cursor: string): void {
    const scheduled = this.#pendingReads.size > 0
    this.#pendingReads.set(sessionId, Math.max(this.#pendingReads.get(sessionId) ?? 0, Number(cursor)))
    if (!scheduled) setImmediate(() => { if (this.#db.open) this.#flushReads() })
  }

  /** Applies the pending acks, in a transaction of their own. */
  #flushReads (): void {
    if (this.#pendingReads.size > 0) this.#db.transaction(() => { this.#applyReads() })()
  }

  #applyReads (): void {
    for (const [sessionId, cursor] of this.#pendingReads) this.#statements.read.run(sessionId, cursor)
    this.#pendingReads.clear()
  }

  unread (sessionId: string): InstantMessage[] {
    this.#flushReads()
    return this.#statements.unread.all(sessionId).map((r) => JSON.parse(r.message) as InstantMessage)
  }

  /**
   * The session ended: its unread live messages are to be returned (GRIDIM-OFFL-11); unread
   * stored ones are forgotten, since the user server still holds them (GRIDIM-OFFL-4).
   * Returns how many are to be returned.
   */
  endSession (sessionId: string): number {
    return this.#db.transaction(() => {
      this.#applyReads()
      this.#statements.dropOffline.run(sessionId)
      return this.#statements.toReturn.run(sessionId).changes
    })()
  }

  /** Only for the deliberate faults unread-dropped-*: the session's unread messages are deleted. */
  forget (sessionId: string): void {
    this.#flushReads()
    this.#statements.forget.run(sessionId)
  }

  /** At start-up: every session of the previous run has ended (GRIDIM-OFFL-13). */
  endAllSessions (): number {
    return this.#db.transaction(() => {
      this.#applyReads()
      this.#statements.dropAllOffline.run()
      return this.#statements.allToReturn.run().changes
    })()
  }

  /** What waits to be returned, by session, oldest first. */
  returning (): Returning[] {
    const bySession = new Map<string, Returning>()
    for (const row of this.#statements.returning.all()) {
      const entry = bySession.get(row.sessionId) ?? { sessionId: row.sessionId, userId: row.userId, messages: [] }
      entry.messages.push(JSON.parse(row.message) as InstantMessage)
      bySession.set(row.sessionId, entry)
    }
    return [...bySession.values()]
  }

  /** The user server has taken these back; a row accepted again meanwhile is kept. */
  returned (messageIds: readonly string[]): void {
    this.#statements.returned.run(JSON.stringify(messageIds))
  }

  get open (): boolean {
    return this.#db.open
  }

  close (): void {
    if (!this.#db.open) return
    this.#flushReads()
    this.#db.close()
  }
}
