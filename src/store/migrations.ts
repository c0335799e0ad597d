import type { Database } from "better-sqlite3"

/**
 * The schema, in steps. A step is never edited once released: a change is a new step. The
 * database's `user_version` says how many have run.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE items (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('package', 'scenario')),
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    deleted_at  TEXT,
    deleted_by  TEXT
  ) STRICT;

  CREATE TABLE versions (
    item_id      TEXT NOT NULL REFERENCES items (id),
    version      INTEGER NOT NULL CHECK (version > 0),
    name         TEXT NOT NULL,
    note         TEXT NOT NULL,
    body         TEXT NOT NULL CHECK (json_valid(body)),
    figures      TEXT CHECK (figures IS NULL OR json_valid(figures)),
    data_hash    TEXT NOT NULL,
    confidential INTEGER NOT NULL CHECK (confidential IN (0, 1)),
    saved_at     TEXT NOT NULL,
    saved_by     TEXT,
    PRIMARY KEY (item_id, version)
  ) STRICT;
  CREATE INDEX versions_confidential ON versions (item_id) WHERE confidential = 1;

  -- A version, once written, is never changed or removed.
  CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions
  BEGIN SELECT RAISE(ABORT, 'versions are append-only'); END;
  CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
  BEGIN SELECT RAISE(ABORT, 'versions are append-only'); END;

  -- An item is only ever soft-deleted, once; nothing else about it changes.
  CREATE TRIGGER items_no_delete BEFORE DELETE ON items
  BEGIN SELECT RAISE(ABORT, 'items are only soft-deleted'); END;
  CREATE TRIGGER items_soft_delete_only BEFORE UPDATE ON items
  WHEN OLD.deleted_at IS NOT NULL OR NEW.deleted_at IS NULL
    OR NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind
    OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
  BEGIN SELECT RAISE(ABORT, 'items are only soft-deleted'); END;

  CREATE TABLE audit (
    seq           INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    action        TEXT NOT NULL,
    key_id        TEXT,
    subject       TEXT,
    request_hash  TEXT NOT NULL,
    result_hash   TEXT,
    objective     REAL,
    confidential  INTEGER NOT NULL CHECK (confidential IN (0, 1)),
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    -- The saved item the row is about: its rows hide with it once it holds a confidential proposal.
    item_id       TEXT REFERENCES items (id)
  ) STRICT;
  CREATE INDEX audit_key ON audit (key_id, seq);
  CREATE INDEX audit_item ON audit (item_id) WHERE item_id IS NOT NULL;

  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

  CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('reader', 'negotiator', 'admin')),
    confidential INTEGER NOT NULL CHECK (confidential IN (0, 1)),
    secret_hash  BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    revoked_at   TEXT
  ) STRICT;

  -- A key is only ever revoked, once; a revoked key stays on record.
  CREATE TRIGGER api_keys_no_delete BEFORE DELETE ON api_keys
  BEGIN SELECT RAISE(ABORT, 'keys are revoked, not deleted'); END;
  CREATE TRIGGER api_keys_revoke_only BEFORE UPDATE ON api_keys
  WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
    OR NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name OR NEW.role IS NOT OLD.role
    OR NEW.confidential IS NOT OLD.confidential OR NEW.secret_hash IS NOT OLD.secret_hash
    OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
  BEGIN SELECT RAISE(ABORT, 'keys are only revoked'); END;
  `,
]

/**
 * Bring `db` up to the latest schema. Each step runs in its own write transaction that re-reads
 * the version first, so two processes opening a new database at once apply each step once.
 * Returns the steps applied.
 */
export const migrate = (db: Database, migrations: readonly string[] = MIGRATIONS): number => {
  const current = () => db.pragma("user_version", { simple: true }) as number
  let applied = 0
  for (let step = current(); step < migrations.length; step = current()) {
    db.transaction(() => {
      const now = current()
      const sql = migrations[now]
      if (sql === undefined) return
      db.exec(sql)
      db.pragma(`user_version = ${now + 1}`)
      applied++
    }).immediate()
  }
  return applied
}
