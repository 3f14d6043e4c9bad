/**
 * Schema migrations, applied in order, each in its own transaction, tracked with
 * `PRAGMA user_version` (= the number of migrations applied). Append new migrations;
 * never edit one that has shipped.
 */
import type { Database } from 'better-sqlite3'

export interface Migration {
  /** What the step does, for error messages. */
  name: string
  sql: string
}

export const migrations: readonly Migration[] = [
  {
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        user_id       TEXT PRIMARY KEY,
        first_name    TEXT NOT NULL COLLATE NOCASE,
        last_name     TEXT NOT NULL COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        password_salt TEXT NOT NULL,
        created_at    INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX users_by_name ON users (first_name, last_name);

      CREATE TABLE regions (
        region_id        TEXT PRIMARY KEY,
        name             TEXT NOT NULL,
        kind             TEXT NOT NULL CHECK (kind IN ('region', 'gateway')),
        public_key       TEXT NOT NULL,
        url              TEXT,
        lease_expires_at INTEGER
      ) STRICT;
      CREATE INDEX regions_by_lease ON regions (lease_expires_at) WHERE lease_expires_at IS NOT NULL;

      CREATE TABLE sessions (
        session_id  TEXT PRIMARY KEY,
        user_id     TEXT NOT NULL UNIQUE REFERENCES users,
        secret_hash TEXT NOT NULL,
        region_id   TEXT NOT NULL REFERENCES regions,
        started_at  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sessions_by_region ON sessions (region_id);

      -- One row per direction: rights = what user_id grants friend_id.
      CREATE TABLE friend_rights (
        user_id   TEXT NOT NULL REFERENCES users,
        friend_id TEXT NOT NULL REFERENCES users,
        rights    INTEGER NOT NULL CHECK (rights BETWEEN 0 AND 7),
        PRIMARY KEY (user_id, friend_id),
        CHECK (user_id <> friend_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE friendship_offers (
        offer_id     TEXT PRIMARY KEY,
        from_user_id TEXT NOT NULL REFERENCES users,
        to_user_id   TEXT NOT NULL REFERENCES users,
        message      TEXT,
        created_at   INTEGER NOT NULL,
        UNIQUE (from_user_id, to_user_id)
      ) STRICT;
      CREATE INDEX friendship_offers_to ON friendship_offers (to_user_id, created_at);

      -- seq gives insertion order among messages with the same sent_at.
      CREATE TABLE offline_messages (
        seq          INTEGER PRIMARY KEY,
        message_id   TEXT NOT NULL UNIQUE,
        to_user_id   TEXT NOT NULL REFERENCES users,
        from_user_id TEXT NOT NULL,
        from_name    TEXT NOT NULL,
        body         TEXT NOT NULL,
        sent_at      INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX offline_messages_inbox ON offline_messages (to_user_id, sent_at, seq);

      CREATE TABLE groups (
        group_id TEXT PRIMARY KEY,
        name     TEXT NOT NULL
      ) STRICT;
      CREATE TABLE group_members (
        group_id TEXT NOT NULL REFERENCES groups,
        user_id  TEXT NOT NULL REFERENCES users,
        PRIMARY KEY (group_id, user_id)
      ) STRICT;

      CREATE TABLE group_sessions (
        group_session_id TEXT PRIMARY KEY,
        name             TEXT NOT NULL,
        group_id         TEXT REFERENCES groups,
        started_by       TEXT NOT NULL REFERENCES users,
        created_at       INTEGER NOT NULL,
        last_activity_at INTEGER NOT NULL,
        closed_at        INTEGER,
        close_reason     TEXT CHECK (close_reason IN ('idle', 'ended'))
      ) STRICT;
      CREATE INDEX group_sessions_open ON group_sessions (last_activity_at) WHERE closed_at IS NULL;
      CREATE TABLE group_session_members (
        group_session_id TEXT NOT NULL REFERENCES group_sessions,
        user_id          TEXT NOT NULL REFERENCES users,
        left_session     INTEGER NOT NULL DEFAULT 0 CHECK (left_session IN (0, 1)),
        PRIMARY KEY (group_session_id, user_id)
      ) STRICT;

      CREATE TABLE settings (
        id                    INTEGER PRIMARY KEY CHECK (id = 1),
        lease_seconds         INTEGER NOT NULL CHECK (lease_seconds > 0),
        group_idle_seconds    INTEGER NOT NULL CHECK (group_idle_seconds > 0),
        replay_window_seconds INTEGER NOT NULL CHECK (replay_window_seconds > 0)
      ) STRICT;
      INSERT INTO settings VALUES (1, 60, 1800, 60);
    `,
  },
  {
    name: 'session placements',
    // GRIDIM-OFFL-12: which regions hosted a session, kept after it ends, so that a region can
    // return what the session left unread. started_at of the session is the placement time.
    sql: `
      CREATE TABLE session_placements (
        session_id TEXT NOT NULL,
        region_id  TEXT NOT NULL REFERENCES regions,
        user_id    TEXT NOT NULL REFERENCES users,
        placed_at  INTEGER NOT NULL,
        PRIMARY KEY (session_id, region_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX session_placements_by_age ON session_placements (placed_at);
    `,
  },
  {
    // GRIDIM-OFFL-2: a message deleted on acknowledgement is not stored again for 24 hours, and
    // a user-server restart must not forget which (a sender's retry after it would store again
    // what the recipient has read).
    name: 'acknowledged offline messages',
    sql: `
      CREATE TABLE acknowledged_messages (
        message_id      TEXT PRIMARY KEY,
        acknowledged_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX acknowledged_by_age ON acknowledged_messages (acknowledged_at);
    `,
  },
  {
    // GRIDIM-LIM-26: the regions' client timers, set for the grid and published in the directory.
    name: 'client timers',
    sql: `
      ALTER TABLE settings ADD COLUMN client_idle_seconds INTEGER NOT NULL DEFAULT 120 CHECK (client_idle_seconds > 0);
      ALTER TABLE settings ADD COLUMN handover_seconds INTEGER NOT NULL DEFAULT 60 CHECK (handover_seconds > 0);
      ALTER TABLE settings ADD COLUMN keep_alive_seconds INTEGER NOT NULL DEFAULT 15 CHECK (keep_alive_seconds > 0);
    `,
  },
  {
    // Issue 16: facts every user-server process must see alike (store.ts SyncRecentStore).
    name: 'recent facts',
    sql: `
      CREATE TABLE recent_facts (
        kind  TEXT NOT NULL,
        key   TEXT NOT NULL,
        value TEXT NOT NULL,
        until INTEGER NOT NULL,
        PRIMARY KEY (kind, key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX recent_facts_by_expiry ON recent_facts (until);
    `,
  },
  {
    name: 'group outbox',
    // No foreign key to regions: the row is written on every group message, and a region is never deleted.
    sql: `
      CREATE TABLE group_outbox (
        outbox_id     INTEGER PRIMARY KEY AUTOINCREMENT,
        region_id     TEXT NOT NULL,
        url           TEXT NOT NULL,
        delivery      TEXT NOT NULL,
        owner         TEXT NOT NULL,
        claimed_until INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX group_outbox_by_claim ON group_outbox (claimed_until, outbox_id);
    `,
  },
]

export function configureConnection(db: Database): void {
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
}

export interface MigrationResult {
  from: number
  to: number
}

/** Brings the schema up to date; a no-op when it already is. */
export function migrate(db: Database, steps: readonly Migration[] = migrations): MigrationResult {
  const from = db.pragma('user_version', { simple: true }) as number
  if (from > steps.length) {
    throw new Error(
      `database schema version ${from} is newer than this server knows (${steps.length}); refusing to open it`,
    )
  }
  for (let version = from + 1; version <= steps.length; version++) {
    const step = steps[version - 1]!
    try {
      db.transaction(() => {
        // Another process may have applied it between our read and our write lock.
        if ((db.pragma('user_version', { simple: true }) as number) >= version) return
        db.exec(step.sql)
        db.pragma(`user_version = ${version}`)
      }).immediate()
    } catch (error) {
      throw new Error(`migration ${version} (${step.name}) failed: ${(error as Error).message}`, { cause: error })
    }
  }
  return { from, to: steps.length }
}
