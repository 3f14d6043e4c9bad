/**
 * The PostgreSQL schema's migrations, applied in order, each in its own transaction, tracked in
 * the table gridim_migrations (one row per applied step). Several user-server processes may
 * start at once on one database: they take turns under a session-level advisory lock, and each
 * applies only what the table says is missing, so every step runs exactly once. Append new
 * migrations; never edit one that has shipped.
 *
 * The same tables as the SQLite schema (../migrations.ts). Differences that keep the same
 * behaviour: text compares and sorts as bytes (COLLATE "C", as SQLite's default BINARY), and
 * names are unique and found ignoring ASCII case through lower() under that collation (which
 * folds ASCII only, as SQLite's NOCASE); epoch-millisecond times are BIGINT; insertion order
 * (SQLite's rowid) is an identity column `seq`.
 */
import type pg from 'pg'
import type { Migration, MigrationResult } from '../migrations.ts'

export const postgresMigrations: readonly Migration[] = [
  {
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        user_id       TEXT COLLATE "C" PRIMARY KEY,
        first_name    TEXT COLLATE "C" NOT NULL,
        last_name     TEXT COLLATE "C" NOT NULL,
        password_hash TEXT NOT NULL,
        password_salt TEXT NOT NULL,
        created_at    BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX users_by_name ON users (lower(first_name), lower(last_name));

      CREATE TABLE regions (
        region_id        TEXT COLLATE "C" PRIMARY KEY,
        name             TEXT COLLATE "C" NOT NULL,
        kind             TEXT NOT NULL CHECK (kind IN ('region', 'gateway')),
        public_key       TEXT NOT NULL,
        url              TEXT,
        lease_expires_at BIGINT
      );
      CREATE INDEX regions_by_lease ON regions (lease_expires_at) WHERE lease_expires_at IS NOT NULL;

      CREATE TABLE sessions (
        session_id  TEXT COLLATE "C" PRIMARY KEY,
        user_id     TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES users,
        secret_hash TEXT NOT NULL,
        region_id   TEXT COLLATE "C" NOT NULL REFERENCES regions,
        started_at  BIGINT NOT NULL
      );
      CREATE INDEX sessions_by_region ON sessions (region_id);

      -- One row per direction: rights = what user_id grants friend_id.
      CREATE TABLE friend_rights (
        user_id   TEXT COLLATE "C" NOT NULL REFERENCES users,
        friend_id TEXT COLLATE "C" NOT NULL REFERENCES users,
        rights    INTEGER NOT NULL CHECK (rights BETWEEN 0 AND 7),
        PRIMARY KEY (user_id, friend_id),
        CHECK (user_id <> friend_id)
      );

      CREATE TABLE friendship_offers (
        offer_id     TEXT COLLATE "C" PRIMARY KEY,
        from_user_id TEXT COLLATE "C" NOT NULL REFERENCES users,
        to_user_id   TEXT COLLATE "C" NOT NULL REFERENCES users,
        message      TEXT,
        created_at   BIGINT NOT NULL,
        UNIQUE (from_user_id, to_user_id)
      );
      CREATE INDEX friendship_offers_to ON friendship_offers (to_user_id, created_at);

      -- seq gives insertion order among messages with the same sent_at.
      CREATE TABLE offline_messages (
        seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        message_id   TEXT COLLATE "C" NOT NULL UNIQUE,
        to_user_id   TEXT COLLATE "C" NOT NULL REFERENCES users,
        from_user_id TEXT NOT NULL,
        from_name    TEXT NOT NULL,
        body         TEXT NOT NULL,
        sent_at      BIGINT NOT NULL
      );
      CREATE INDEX offline_messages_inbox ON offline_messages (to_user_id, sent_at, seq);

      CREATE TABLE groups (
        group_id TEXT COLLATE "C" PRIMARY KEY,
        name     TEXT NOT NULL
      );
      CREATE TABLE group_members (
        group_id TEXT COLLATE "C" NOT NULL REFERENCES groups,
        user_id  TEXT COLLATE "C" NOT NULL REFERENCES users,
        seq      BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (group_id, user_id)
      );

      CREATE TABLE group_sessions (
        group_session_id TEXT COLLATE "C" PRIMARY KEY,
        name             TEXT NOT NULL,
        group_id         TEXT COLLATE "C" REFERENCES groups,
        started_by       TEXT COLLATE "C" NOT NULL REFERENCES users,
        created_at       BIGINT NOT NULL,
        last_activity_at BIGINT NOT NULL,
        closed_at        BIGINT,
        close_reason     TEXT CHECK (close_reason IN ('idle', 'ended'))
      );
      CREATE INDEX group_sessions_open ON group_sessions (last_activity_at) WHERE closed_at IS NULL;
      CREATE TABLE group_session_members (
        group_session_id TEXT COLLATE "C" NOT NULL REFERENCES group_sessions,
        user_id          TEXT COLLATE "C" NOT NULL REFERENCES users,
        left_session     BOOLEAN NOT NULL DEFAULT false,
        seq              BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (group_session_id, user_id)
      );

      CREATE TABLE settings (
        id                    INTEGER PRIMARY KEY CHECK (id = 1),
        lease_seconds         INTEGER NOT NULL CHECK (lease_seconds > 0),
        group_idle_seconds    INTEGER NOT NULL CHECK (group_idle_seconds > 0),
        replay_window_seconds INTEGER NOT NULL CHECK (replay_window_seconds > 0),
        client_idle_seconds   INTEGER NOT NULL DEFAULT 120 CHECK (client_idle_seconds > 0),
        handover_seconds      INTEGER NOT NULL DEFAULT 60 CHECK (handover_seconds > 0),
        keep_alive_seconds    INTEGER NOT NULL DEFAULT 15 CHECK (keep_alive_seconds > 0)
      );
      INSERT INTO settings (id, lease_seconds, group_idle_seconds, replay_window_seconds) VALUES (1, 60, 1800, 60);

      -- GRIDIM-OFFL-12: which regions hosted a session, kept after it ends.
      CREATE TABLE session_placements (
        session_id TEXT COLLATE "C" NOT NULL,
        region_id  TEXT COLLATE "C" NOT NULL REFERENCES regions,
        user_id    TEXT COLLATE "C" NOT NULL REFERENCES users,
        placed_at  BIGINT NOT NULL,
        PRIMARY KEY (session_id, region_id)
      );
      CREATE INDEX session_placements_by_age ON session_placements (placed_at);

      -- GRIDIM-OFFL-2: messages deleted on acknowledgement, remembered for a while.
      CREATE TABLE acknowledged_messages (
        message_id      TEXT COLLATE "C" PRIMARY KEY,
        acknowledged_at BIGINT NOT NULL
      );
      CREATE INDEX acknowledged_by_age ON acknowledged_messages (acknowledged_at);
    `,
  },
  {
    // Facts every user-server instance must see alike (store.ts SyncRecentStore).
    name: 'recent facts',
    sql: `
      CREATE TABLE recent_facts (
        kind  TEXT COLLATE "C" NOT NULL,
        key   TEXT COLLATE "C" NOT NULL,
        value TEXT NOT NULL,
        until BIGINT NOT NULL,
        PRIMARY KEY (kind, key)
      );
      CREATE INDEX recent_facts_by_expiry ON recent_facts (until);
    `,
  },
  {
    name: 'group outbox',
    sql: `
      CREATE TABLE group_outbox (
        outbox_id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        region_id     TEXT COLLATE "C" NOT NULL,
        url           TEXT NOT NULL,
        delivery      TEXT NOT NULL,
        owner         TEXT COLLATE "C" NOT NULL,
        claimed_until BIGINT NOT NULL
      );
      CREATE INDEX group_outbox_by_claim ON group_outbox (claimed_until, outbox_id);
    `,
  },
]

/** Key of the advisory lock that migrations run under (any constant no other code uses). */
export const MIGRATION_LOCK = 0x6772_6d31 // 'grm1'

/** Brings the schema up to date on one client, exactly once across processes starting together. */
export async function migratePostgres(client: pg.ClientBase, steps: readonly Migration[] = postgresMigrations): Promise<MigrationResult> {
  // Waits for any other process's migration to finish; released below, or with the connection.
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS gridim_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`)
    const applied = await client.query<{ v: number }>('SELECT coalesce(max(version), 0)::integer AS v FROM gridim_migrations')
    const from = applied.rows[0]!.v
    if (from > steps.length) {
      throw new Error(
        `database schema version ${from} is newer than this server knows (${steps.length}); refusing to open it`,
      )
    }
    for (let version = from + 1; version <= steps.length; version++) {
      const step = steps[version - 1]!
      try {
        await client.query('BEGIN')
        await client.query(step.sql)
        await client.query('INSERT INTO gridim_migrations (version, name) VALUES ($1, $2)', [version, step.name])
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw new Error(`migration ${version} (${step.name}) failed: ${(error as Error).message}`, { cause: error })
      }
    }
    return { from, to: steps.length }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
  }
}
