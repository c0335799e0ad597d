import { mkdirSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import BetterSqlite3 from "better-sqlite3"
import { type AuditSink, type AuditThreadOptions, auditThread, type CheckedAudit } from "./auditThread.ts"
import type { PackageBody, ScenarioBody } from "./bodies.ts"
import { contentHash, sha256Hex } from "./hash.ts"
import { newKey, parseKey, randomId, secretMatches } from "./keys.ts"
import { MIGRATIONS, migrate } from "./migrations.ts"
import {
  type Actor,
  type ApiKey,
  type AuditEntry,
  AuditInput,
  type Draft,
  KeyInput,
  type Saved,
  type Version,
  View,
} from "./schema.ts"
import type { AuditLog, ChainCheck, Collection, KeyStore, Listed, Store } from "./store.ts"

type Db = BetterSqlite3.Database

/** The file name of the database inside the data folder. */
export const DATABASE_FILE = "pulje.sqlite"

/** The data folder: `PULJE_DATA_DIR`, else `./var`. */
export const dataDir = (env: NodeJS.ProcessEnv = process.env): string => resolve(env.PULJE_DATA_DIR || "var")

export interface SqliteOptions {
  /** The database file (default: `pulje.sqlite` in `dataDir()`); `:memory:` for a throw-away store. */
  readonly file?: string
  /** The clock (tests). */
  readonly now?: () => Date
  /** How long a writer waits for another process's write to finish, ms (default 10 000). */
  readonly busyTimeoutMs?: number
  /**
   * Commit appended audit rows (`audit.append`: solves, evaluations) in a thread of their own, on
   * its own connection (default false): the event loop then neither builds the rows nor waits for
   * the sync to disk. For a server; ignored for `:memory:` and with a clock of its own (`now`).
   */
  readonly auditThread?: boolean
  /**
   * How appended audit rows (`audit.append`: solves, evaluations, comparisons) are committed:
   * "normal" (default) commits them in the WAL without waiting for the disk (SQLite's synchronous
   * NORMAL): a row committed survives a crash or kill -9 of the process, and a power loss can take
   * only the last rows, never a row before one that stays, so the chain stays whole; "full" also
   * syncs each commit to disk. Saves, deletes and key changes, with their rows, always sync.
   */
  readonly auditSync?: AuditSync
}

/** See SqliteOptions.auditSync. */
export type AuditSync = "normal" | "full"

/** The database has a newer schema than this program knows. */
export class SchemaTooNew extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(`${file} has schema version ${found}; this pulje knows up to ${known}: update pulje`)
    this.name = "SchemaTooNew"
  }
}

const GENESIS = "0".repeat(64)

/** A row of the audit chain known to hold, with every row before it: `rows` of them up to `seq`. */
interface Checkpoint {
  readonly seq: number
  readonly hash: string
  readonly rows: number
}
const START: Checkpoint = { seq: 0, hash: GENESIS, rows: 0 }

/** Rows hashed per slice of the chain check, between which the event loop gets a turn (about 2 ms of work). */
const CHECK_SLICE = 500

/**
 * Batches of appended rows go to the audit writer thread at least this far apart (ms). A commit's
 * sync to disk costs about 0,15 ms of CPU and each batch a message each way, whatever it holds.
 */
const GATHER_MS = 2

interface ItemRow {
  id: string
  kind: string
  created_at: string
  created_by: string | null
  deleted_at: string | null
  deleted_by: string | null
}
interface VersionRow {
  item_id: string
  version: number
  name: string
  note: string
  body: string
  figures: string | null
  data_hash: string
  confidential: number
  saved_at: string
  saved_by: string | null
}
interface AuditRow {
  seq: number
  at: string
  action: string
  key_id: string | null
  subject: string | null
  request_hash: string
  result_hash: string | null
  objective: number | null
  confidential: number
  prev_hash: string
  hash: string
}
interface KeyRow {
  id: string
  name: string
  role: string
  confidential: number
  secret_hash: Buffer
  created_at: string
  created_by: string | null
  revoked_at: string | null
}

const toVersion = <B>(r: VersionRow): Version<B> => ({
  id: r.item_id,
  version: r.version,
  name: r.name,
  note: r.note,
  body: JSON.parse(r.body) as B,
  figures: r.figures === null ? null : JSON.parse(r.figures),
  dataHash: r.data_hash,
  confidential: r.confidential === 1,
  savedAt: r.saved_at,
  savedBy: r.saved_by,
})

const toSaved = <B>(item: ItemRow, v: VersionRow): Saved<B> => ({
  ...toVersion<B>(v),
  createdAt: item.created_at,
  createdBy: item.created_by,
  deletedAt: item.deleted_at,
  deletedBy: item.deleted_by,
})

const toAudit = (r: AuditRow): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  action: r.action as AuditEntry["action"],
  keyId: r.key_id,
  subject: r.subject,
  requestHash: r.request_hash,
  resultHash: r.result_hash,
  objective: r.objective,
  confidential: r.confidential === 1,
  prevHash: r.prev_hash,
  hash: r.hash,
})

const toKey = (r: KeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role as ApiKey["role"],
  confidential: r.confidential === 1,
  createdAt: r.created_at,
  createdBy: r.created_by,
  revokedAt: r.revoked_at,
})

/**
 * The hash of an audit row: everything in it but the hash itself, chained to the row before; the
 * sha256 of its canonical JSON (contentHash), written here with the fields in sorted order by
 * JSON.stringify, which gives the same text several times faster.
 */
const rowHash = (e: Omit<AuditEntry, "hash">) =>
  sha256Hex(
    JSON.stringify({
      action: e.action,
      at: e.at,
      confidential: e.confidential,
      keyId: e.keyId,
      objective: e.objective,
      prevHash: e.prevHash,
      requestHash: e.requestHash,
      resultHash: e.resultHash,
      seq: e.seq,
      subject: e.subject,
    }),
  )

/** Append a row inside the caller's write transaction; `itemId` ties it to a saved item. */
type AppendSync = (input: AuditInput, itemId?: string | null) => AuditEntry

/**
 * Appending audit rows on a connection: one row inside the caller's write transaction
 * (`appendSync`), or a batch of checked rows in a write transaction of its own (`appendAll`, one
 * commit and one sync to disk for all of them). Used on the store's connection and by the audit
 * writer thread (auditThread.ts) on its own.
 */
export const auditAppender = (db: Db, now: () => string) => {
  const last = db.prepare<[], { seq: number; hash: string }>(
    "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
  )
  const insert = db.prepare(
    `INSERT INTO audit (seq, at, action, key_id, subject, request_hash, result_hash, objective, confidential, prev_hash, hash, item_id)
     VALUES (@seq, @at, @action, @keyId, @subject, @requestHash, @resultHash, @objective, @confidential, @prevHash, @hash, @itemId)`,
  )
  // Must run inside a write transaction: the chain needs the last row to stay the last. `prev`,
  // the row before, when the caller knows it (the previous row of the same transaction).
  const appendChecked = (
    a: CheckedAudit,
    itemId: string | null,
    prev: { seq: number; hash: string } | undefined = last.get(),
  ): AuditEntry => {
    const { requestJson, resultJson, ...given } = a
    const row = {
      seq: (prev?.seq ?? 0) + 1,
      at: now(),
      ...given,
      requestHash: requestJson === undefined ? (given.requestHash as string) : sha256Hex(requestJson),
      resultHash: resultJson === undefined ? given.resultHash : sha256Hex(resultJson),
      prevHash: prev?.hash ?? GENESIS,
    }
    const entry = { ...row, hash: rowHash(row) }
    insert.run({ ...entry, confidential: entry.confidential ? 1 : 0, itemId })
    return entry
  }
  const appendSync: AppendSync = (input, itemId = null) => appendChecked(AuditInput.parse(input), itemId)
  const all = db.transaction((inputs: readonly CheckedAudit[]) => {
    const entries: AuditEntry[] = []
    let prev = last.get()
    for (const i of inputs) {
      const e = appendChecked(i, null, prev)
      entries.push(e)
      prev = e
    }
    return entries
  })
  return { appendSync, appendAll: (inputs: readonly CheckedAudit[]): AuditEntry[] => all.immediate(inputs) }
}

const auditLog = (
  db: Db,
  now: () => string,
  thread: AuditThreadOptions | null,
  sync: AuditSync,
): AuditLog & { appendSync: AppendSync; close: () => Promise<void> } => {
  const { appendSync, appendAll } = auditAppender(db, now)
  const select = db.prepare<
    [{ granted: number; after: number; action: string | null; keyId: string | null; limit: number }],
    AuditRow
  >(
    `SELECT * FROM audit
     WHERE (@granted OR (confidential = 0 AND (item_id IS NULL OR NOT EXISTS
         (SELECT 1 FROM versions c WHERE c.item_id = audit.item_id AND c.confidential = 1))))
       AND seq > @after
       AND (@action IS NULL OR action = @action) AND (@keyId IS NULL OR key_id = @keyId)
     ORDER BY seq LIMIT @limit`,
  )
  const slice = db.prepare<[number, number], AuditRow>(
    "SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?",
  )
  const atSeq = db.prepare<[number], AuditRow>("SELECT * FROM audit WHERE seq = ?")
  const holds = (r: AuditRow, prev: string) => {
    const { hash, ...rest } = toAudit(r)
    return rest.prevHash === prev && rowHash(rest) === hash
  }

  // The chain check. `checkpoint`: the last row known to hold, with every row before it, so a read
  // checks only the rows after it and each row is hashed once per process; the full check from the
  // first row is still there (`verify("full")`). Both go in slices of CHECK_SLICE rows, giving the
  // event loop a turn between slices. A break found moves the checkpoint back before it, so every
  // later check reports it again; `epoch` counts such moves, and a check that started before one
  // does not move the checkpoint forward past the break.
  let checkpoint: Checkpoint = START
  let epoch = 0
  let checking: Promise<unknown> = Promise.resolve()
  const checkFrom = async (from: Checkpoint): Promise<ChainCheck> => {
    const started = epoch
    let last = from
    let result: ChainCheck | undefined
    for (;;) {
      const rows = slice.all(last.seq, CHECK_SLICE)
      for (const r of rows) {
        if (!holds(r, last.hash)) {
          result = { ok: false, rows: last.rows, brokenAt: r.seq }
          break
        }
        last = { seq: r.seq, hash: r.hash, rows: last.rows + 1 }
      }
      if (result || rows.length < CHECK_SLICE) break
      await new Promise((resolve) => setImmediate(resolve))
    }
    if (result) {
      if (last.seq < checkpoint.seq || epoch === started) {
        epoch++
        checkpoint = last
      }
      return result
    }
    if (epoch === started && last.seq > checkpoint.seq) checkpoint = last
    return { ok: true, rows: last.rows }
  }

  const sink: AuditSink = thread
    ? auditThread(thread)
    : {
        send: async (batch) => {
          if (!db.open) throw new TypeError("The database connection is not open")
          if (sync === "full") return appendAll(batch)
          // The connection's saves sync; its batches of appended rows commit as `sync` says.
          db.pragma("synchronous = NORMAL")
          try {
            return appendAll(batch)
          } finally {
            db.pragma("synchronous = FULL")
          }
        },
        close: async () => {},
      }
  // Group commit: the rows appended while the last batch is being committed (say, the solves of
  // 16 connections) are sent together as the next batch once it is, so they share one sync to
  // disk and one message each way instead of paying one each. With the writer thread, batches
  // also start at least GATHER_MS apart: under load the rows of that span share a commit, while a
  // row of a quiet service goes at once. Each caller is still answered only once its row is committed.
  const gatherMs = thread ? GATHER_MS : 0
  let pending: { input: CheckedAudit; resolve(e: AuditEntry): void; reject(e: unknown): void }[] = []
  let sending: Promise<void> | undefined
  let scheduled = false
  let lastSent = Number.NEGATIVE_INFINITY
  const schedule = () => {
    if (scheduled || sending || pending.length === 0) return
    scheduled = true
    const wait = lastSent + gatherMs - performance.now()
    const go = () => {
      scheduled = false
      sending = flush().finally(() => {
        sending = undefined
        schedule()
      })
    }
    if (wait <= 0) setImmediate(go)
    else setTimeout(go, wait)
  }
  const flush = async () => {
    const batch = pending
    pending = []
    if (batch.length === 0) return
    lastSent = performance.now()
    let entries: AuditEntry[]
    try {
      entries = await sink.send(batch.map((p) => p.input))
    } catch (e) {
      for (const p of batch) p.reject(e)
      return
    }
    for (const [i, p] of batch.entries()) p.resolve(entries[i] as AuditEntry)
  }

  return {
    appendSync,
    async close() {
      // Rows still waiting for their group commit are written first.
      await sending
      await flush()
      await sink.close()
    },
    append(input) {
      return new Promise<AuditEntry>((resolve, reject) => {
        // Checked now, so that a bad row fails alone rather than its whole batch.
        const a = AuditInput.parse(input)
        pending.push({ input: a, resolve, reject })
        schedule()
      })
    },
    async list(view, query = {}) {
      const v = View.parse(view)
      const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000)
      return select
        .all({
          granted: v.confidential ? 1 : 0,
          after: query.after ?? 0,
          action: query.action ?? null,
          keyId: query.keyId ?? null,
          limit,
        })
        .map(toAudit)
    },
    async verify(check = "full") {
      if (check === "full") return checkFrom(START)
      // One check from the checkpoint at a time: the next read starts from where this one ends.
      const run = checking.then(async () => {
        const from = checkpoint
        if (from.seq > 0) {
          // The checkpoint row itself still as verified, so the rows after it still link to the chain.
          const r = atSeq.get(from.seq)
          if (!r || r.hash !== from.hash || !holds(r, r.prev_hash)) {
            epoch++
            checkpoint = START
            return { ok: false as const, rows: from.rows - 1, brokenAt: from.seq }
          }
        }
        return checkFrom(from)
      })
      checking = run.catch(() => {})
      return run
    },
  }
}

const collection = <B>(
  db: Db,
  kind: "package" | "scenario",
  now: () => string,
  audit: AppendSync,
): Collection<B> => {
  const itemQ = db.prepare<[string, string], ItemRow>("SELECT * FROM items WHERE id = ? AND kind = ?")
  const hiddenQ = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM versions WHERE item_id = ? AND confidential = 1",
  )
  const latestQ = db.prepare<[string], VersionRow>(
    "SELECT * FROM versions WHERE item_id = ? ORDER BY version DESC LIMIT 1",
  )
  const versionQ = db.prepare<[string, number], VersionRow>(
    "SELECT * FROM versions WHERE item_id = ? AND version = ?",
  )
  const versionsQ = db.prepare<[string], VersionRow>(
    "SELECT * FROM versions WHERE item_id = ? ORDER BY version",
  )
  const listQ = db.prepare<[{ kind: string; deleted: number; granted: number }], ItemRow & VersionRow>(
    `SELECT i.*, v.* FROM items i
     JOIN versions v ON v.item_id = i.id
       AND v.version = (SELECT max(version) FROM versions WHERE item_id = i.id)
     WHERE i.kind = @kind AND (@deleted OR i.deleted_at IS NULL)
       AND (@granted OR NOT EXISTS (SELECT 1 FROM versions c WHERE c.item_id = i.id AND c.confidential = 1))
     ORDER BY v.saved_at DESC, i.id`,
  )
  const insertItem = db.prepare(
    "INSERT INTO items (id, kind, created_at, created_by) VALUES (@id, @kind, @at, @by)",
  )
  const insertVersion = db.prepare(
    `INSERT INTO versions (item_id, version, name, note, body, figures, data_hash, confidential, saved_at, saved_by)
     VALUES (@item_id, @version, @name, @note, @body, @figures, @data_hash, @confidential, @saved_at, @saved_by)`,
  )
  const softDelete = db.prepare("UPDATE items SET deleted_at = ?, deleted_by = ? WHERE id = ?")

  /** The item if this view may see it. */
  const visible = (id: string, view: View): ItemRow | null => {
    const v = View.parse(view)
    const item = itemQ.get(id, kind)
    if (!item) return null
    if (item.deleted_at !== null && !v.includeDeleted) return null
    if (!v.confidential && (hiddenQ.get(id)?.n ?? 0) > 0) return null
    return item
  }

  const write = (id: string, version: number, draft: Draft<B>, by: Actor): VersionRow => {
    const row: VersionRow = {
      item_id: id,
      version,
      name: draft.name,
      note: draft.note,
      body: JSON.stringify(draft.body),
      figures: draft.figures === null ? null : JSON.stringify(draft.figures),
      data_hash: draft.dataHash,
      confidential: draft.confidential ? 1 : 0,
      saved_at: now(),
      saved_by: by.keyId,
    }
    insertVersion.run(row)
    const stored = toVersion<B>(row)
    audit(
      {
        action: "save",
        keyId: by.keyId,
        subject: `${kind}:${id}@${version}`,
        requestHash: contentHash(draft),
        resultHash: contentHash(stored),
        objective: draft.figures?.objective ?? null,
        confidential: (hiddenQ.get(id)?.n ?? 0) > 0,
      },
      id,
    )
    return row
  }

  const createTx = db.transaction((draft: Draft<B>, by: Actor): Saved<B> => {
    const item: ItemRow = {
      id: randomId(),
      kind,
      created_at: now(),
      created_by: by.keyId,
      deleted_at: null,
      deleted_by: null,
    }
    insertItem.run({ id: item.id, kind, at: item.created_at, by: item.created_by })
    return toSaved(item, write(item.id, 1, draft, by))
  })

  const updateTx = db.transaction((id: string, draft: Draft<B>, by: Actor, view: View, expected?: number) => {
    const item = visible(id, { ...view, includeDeleted: false })
    if (!item) return { status: "not-found" as const }
    const latest = latestQ.get(id)?.version ?? 0
    if (expected !== undefined && expected !== latest) return { status: "conflict" as const, latest }
    return { status: "ok" as const, saved: toSaved<B>(item, write(id, latest + 1, draft, by)) }
  })

  const removeTx = db.transaction((id: string, by: Actor, view: View) => {
    const item = visible(id, { ...view, includeDeleted: false })
    if (!item) return false
    softDelete.run(now(), by.keyId, id)
    const latest = latestQ.get(id)
    audit(
      {
        action: "delete",
        keyId: by.keyId,
        subject: `${kind}:${id}@${latest?.version ?? 0}`,
        requestHash: contentHash({ delete: id }),
        confidential: (hiddenQ.get(id)?.n ?? 0) > 0,
      },
      id,
    )
    return true
  })

  return {
    async create(draft, by) {
      return createTx.immediate(draft, by)
    },
    async update(id, draft, by, view, expectedVersion) {
      return updateTx.immediate(id, draft, by, view, expectedVersion)
    },
    async get(id, view) {
      const item = visible(id, view)
      const latest = item && latestQ.get(id)
      return item && latest ? toSaved<B>(item, latest) : null
    },
    async version(id, version, view) {
      if (!visible(id, view)) return null
      const row = versionQ.get(id, version)
      return row ? toVersion<B>(row) : null
    },
    async versions(id, view) {
      return visible(id, view) ? versionsQ.all(id).map(toVersion<B>) : null
    },
    async list(view) {
      const v = View.parse(view)
      return listQ
        .all({ kind, deleted: v.includeDeleted ? 1 : 0, granted: v.confidential ? 1 : 0 })
        .map((r) => {
          const { body: _body, ...rest } = toSaved<B>(r, r)
          return rest satisfies Listed<B>
        })
    },
    async remove(id, by, view) {
      return removeTx.immediate(id, by, view)
    },
  }
}

/** How long the count of active keys is taken as known when no key changed in this store (ms). */
const ACTIVE_COUNT_FRESH_MS = 1000

const keyStore = (db: Db, now: () => string, audit: AppendSync): KeyStore => {
  const insert = db.prepare(
    `INSERT INTO api_keys (id, name, role, confidential, secret_hash, created_at, created_by)
     VALUES (@id, @name, @role, @confidential, @secret_hash, @created_at, @created_by)`,
  )
  const byId = db.prepare<[string], KeyRow>("SELECT * FROM api_keys WHERE id = ?")
  const all = db.prepare<[], KeyRow>("SELECT * FROM api_keys ORDER BY created_at, id")
  const active = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL")
  const revoke = db.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
  // The service asks on every request whether it may run open; a change made here is seen at
  // once, one made by another process (`pulje keys add` beside a running server) within this.
  let counted: { n: number; at: number } | undefined
  const activeCountNow = () => {
    const t = performance.now()
    if (counted === undefined || t - counted.at > ACTIVE_COUNT_FRESH_MS)
      counted = { n: active.get()?.n ?? 0, at: t }
    return counted.n
  }

  const createTx = db.transaction((input: KeyInput, by: Actor) => {
    const k = KeyInput.parse(input)
    const { key, id, secretHash } = newKey()
    const row: KeyRow = {
      id,
      name: k.name,
      role: k.role,
      confidential: k.confidential ? 1 : 0,
      secret_hash: secretHash,
      created_at: now(),
      created_by: by.keyId,
      revoked_at: null,
    }
    insert.run(row)
    counted = undefined
    audit({
      action: "key-add",
      keyId: by.keyId,
      subject: `key:${id}`,
      requestHash: contentHash({ name: k.name, role: k.role, confidential: k.confidential }),
    })
    return { key, record: toKey(row) }
  })
  const revokeTx = db.transaction((id: string, by: Actor) => {
    if (revoke.run(now(), id).changes === 0) return false
    counted = undefined
    audit({
      action: "key-revoke",
      keyId: by.keyId,
      subject: `key:${id}`,
      requestHash: contentHash({ revoke: id }),
    })
    return true
  })

  return {
    async create(input, by) {
      return createTx.immediate(input, by)
    },
    async list() {
      return all.all().map(toKey)
    },
    async revoke(id, by) {
      return revokeTx.immediate(id, by)
    },
    async verify(key) {
      const parsed = parseKey(key)
      const row = parsed && byId.get(parsed.id)
      // Compare even for an unknown id, so that the time taken does not tell which ids exist.
      const ok = secretMatches(parsed?.secret ?? key, row?.secret_hash ?? Buffer.alloc(32))
      return ok && row && row.revoked_at === null ? toKey(row) : null
    },
    async activeCount() {
      return activeCountNow()
    },
    activeCountNow,
  }
}

/**
 * Open (creating if needed) the SQLite store: WAL, full sync on commit of saves (an acknowledged
 * save survives a crash of the process or the machine), appended audit rows as `auditSync` says,
 * migrations run at open.
 */
export const openSqliteStore = (options: SqliteOptions = {}): Store => {
  const file = options.file ?? join(dataDir(), DATABASE_FILE)
  if (file !== ":memory:") mkdirSync(dirname(resolve(file)), { recursive: true })
  const db = new BetterSqlite3(file, { timeout: options.busyTimeoutMs ?? 10_000 })
  try {
    if (file !== ":memory:") db.pragma("journal_mode = WAL")
    db.pragma("synchronous = FULL")
    db.pragma("foreign_keys = ON")
    const found = db.pragma("user_version", { simple: true }) as number
    if (found > MIGRATIONS.length) throw new SchemaTooNew(file, found, MIGRATIONS.length)
    migrate(db)
  } catch (e) {
    db.close()
    throw e
  }
  const clock = options.now ?? (() => new Date())
  const now = () => clock().toISOString()
  const audit = auditLog(
    db,
    now,
    options.auditThread && file !== ":memory:" && options.now === undefined
      ? { file, busyTimeoutMs: options.busyTimeoutMs ?? 10_000, sync: options.auditSync ?? "normal" }
      : null,
    options.auditSync ?? "normal",
  )
  return {
    packages: collection<PackageBody>(db, "package", now, audit.appendSync),
    scenarios: collection<ScenarioBody>(db, "scenario", now, audit.appendSync),
    audit,
    keys: keyStore(db, now, audit.appendSync),
    async backup(target) {
      mkdirSync(dirname(resolve(target)), { recursive: true })
      await db.backup(target)
    },
    async close() {
      if (db.open) await audit.close()
      if (db.open) db.close()
    },
  }
}
