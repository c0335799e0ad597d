import { existsSync } from "node:fs"
import { join } from "node:path"
import BetterSqlite3 from "better-sqlite3"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import {
  canonicalJson,
  contentHash,
  DATABASE_FILE,
  dataDir,
  keyIdOf,
  openSqliteStore,
  roleAllows,
  SchemaTooNew,
  type Store,
} from "../../src/store/index.ts"
import { MIGRATIONS, migrate } from "../../src/store/migrations.ts"
import { packageDraft, tempDir } from "./support/fixtures.ts"

const open = { confidential: false } as const
const granted = { confidential: true } as const
const alice = { keyId: "alice" }

let tmp: ReturnType<typeof tempDir>
let file: string
let store: Store
let tick = 0
beforeEach(() => {
  tmp = tempDir()
  file = join(tmp.dir, DATABASE_FILE)
  tick = 0
  // A clock that moves one second per reading, so that order by time is order of saving.
  store = openSqliteStore({ file, now: () => new Date(Date.UTC(2026, 0, 1) + 1000 * tick++) })
})
afterEach(async () => {
  await store.close()
  tmp.remove()
})

/** A second, raw connection to the same file: what someone with the file and sqlite3 could do. */
const raw = () => new BetterSqlite3(file)

describe("saved packages", () => {
  it("a PUT adds a version; every earlier version stays as it was", async () => {
    const first = await store.packages.create(packageDraft("Forslag A", 100), alice)
    expect(first.version).toBe(1)
    const r2 = await store.packages.update(first.id, packageDraft("Forslag A2", 200), alice, open)
    const r3 = await store.packages.update(first.id, packageDraft("Forslag A3", 300), { keyId: "bob" }, open)
    expect(r2.status).toBe("ok")
    expect(r3.status === "ok" && r3.saved.version).toBe(3)
    const versions = await store.packages.versions(first.id, open)
    expect(versions?.map((v) => [v.version, v.name, v.figures?.objective, v.savedBy])).toEqual([
      [1, "Forslag A", 100, "alice"],
      [2, "Forslag A2", 200, "alice"],
      [3, "Forslag A3", 300, "bob"],
    ])
    expect(await store.packages.version(first.id, 1, open)).toEqual(versions?.[0])
    const latest = await store.packages.get(first.id, open)
    expect(latest).toMatchObject({ name: "Forslag A3", version: 3, createdBy: "alice", savedBy: "bob" })
    expect(latest?.body).toEqual(packageDraft("x").body)
    expect(latest?.figures).toEqual(packageDraft("x", 300).figures)
  })

  it("a PUT against a version that is no longer the latest writes nothing", async () => {
    const p = await store.packages.create(packageDraft("A"), alice)
    await store.packages.update(p.id, packageDraft("B"), alice, open, 1)
    const stale = await store.packages.update(p.id, packageDraft("C"), alice, open, 1)
    expect(stale).toEqual({ status: "conflict", latest: 2 })
    expect((await store.packages.versions(p.id, open))?.map((v) => v.name)).toEqual(["A", "B"])
  })

  it("a delete hides the package from lists and gets but keeps every version", async () => {
    const p = await store.packages.create(packageDraft("Slettes"), alice)
    await store.packages.update(p.id, packageDraft("Slettes 2"), alice, open)
    const other = await store.packages.create(packageDraft("Bliver"), alice)
    expect(await store.packages.remove(p.id, { keyId: "bob" }, open)).toBe(true)
    expect(await store.packages.remove(p.id, { keyId: "bob" }, open)).toBe(false)
    expect(await store.packages.get(p.id, open)).toBeNull()
    expect((await store.packages.list(open)).map((x) => x.id)).toEqual([other.id])
    expect(await store.packages.update(p.id, packageDraft("igen"), alice, open)).toEqual({
      status: "not-found",
    })
    const kept = await store.packages.versions(p.id, { confidential: false, includeDeleted: true })
    expect(kept?.map((v) => v.name)).toEqual(["Slettes", "Slettes 2"])
    const listed = await store.packages.list({ confidential: false, includeDeleted: true })
    expect(listed.find((x) => x.id === p.id)).toMatchObject({ deletedBy: "bob", version: 2 })
  })

  it("lists the latest version of each, most recently saved first, without bodies", async () => {
    const a = await store.packages.create(packageDraft("A"), alice)
    const b = await store.packages.create(packageDraft("B"), alice)
    await store.packages.update(a.id, packageDraft("A2"), alice, open)
    const list = await store.packages.list(open)
    expect(list.map((x) => [x.id, x.name, x.version])).toEqual([
      [a.id, "A2", 2],
      [b.id, "B", 1],
    ])
    expect(list[0]).not.toHaveProperty("body")
  })

  it("a package that ever held a confidential proposal does not exist without the grant", async () => {
    const p = await store.packages.create(packageDraft("Åben"), alice)
    await store.packages.update(p.id, packageDraft("Med fortrolig", 5, true), alice, granted)
    await store.packages.update(p.id, packageDraft("Åben igen"), alice, granted)
    const unknown = "nosuchid0000"
    for (const id of [p.id, unknown]) {
      expect(await store.packages.get(id, open)).toBeNull()
      expect(await store.packages.versions(id, open)).toBeNull()
      expect(await store.packages.version(id, 1, open)).toBeNull()
      expect(await store.packages.update(id, packageDraft("x"), alice, open)).toEqual({ status: "not-found" })
      expect(await store.packages.remove(id, alice, open)).toBe(false)
    }
    expect(await store.packages.list(open)).toEqual([])
    expect((await store.packages.list(granted)).map((x) => x.name)).toEqual(["Åben igen"])
    expect(await store.packages.versions(p.id, granted)).toHaveLength(3)
    const rows = await store.audit.list(open)
    expect(rows).toEqual([])
    expect((await store.audit.list(granted)).map((r) => [r.subject, r.confidential])).toEqual([
      [`package:${p.id}@1`, false],
      [`package:${p.id}@2`, true],
      [`package:${p.id}@3`, true],
    ])
  })

  it("scenarios are a collection of their own", async () => {
    const body = { id: "mine", title: "Min", rules: { limits: { service: 1 } } }
    const s = await store.scenarios.create(
      { name: "Min", note: "", body, figures: null, dataHash: "h", confidential: false },
      alice,
    )
    expect(await store.scenarios.get(s.id, open)).toMatchObject({ body, figures: null })
    expect(await store.packages.get(s.id, open)).toBeNull()
    expect(await store.packages.list(open)).toEqual([])
  })
})

describe("the stored data cannot be rewritten", () => {
  it("refuses UPDATE and DELETE of versions, audit rows, and anything but one soft delete or revoke", async () => {
    const p = await store.packages.create(packageDraft("A"), alice)
    await store.keys.create({ name: "k", role: "reader" }, alice)
    await store.packages.remove(p.id, alice, open)
    const db = raw()
    const refused = [
      ["UPDATE versions SET name = 'x'", /append-only/],
      ["DELETE FROM versions", /append-only/],
      ["UPDATE audit SET objective = 1e9", /append-only/],
      ["DELETE FROM audit", /append-only/],
      ["DELETE FROM items", /soft-deleted/],
      ["UPDATE items SET deleted_at = NULL", /soft-deleted/],
      ["UPDATE items SET deleted_at = 'later'", /soft-deleted/],
      ["UPDATE api_keys SET role = 'admin'", /only revoked/],
      ["DELETE FROM api_keys", /not deleted/],
    ] as const
    for (const [sql, message] of refused) expect(() => db.exec(sql), sql).toThrow(message)
    db.close()
    expect(await store.packages.versions(p.id, { confidential: false, includeDeleted: true })).toHaveLength(1)
    expect((await store.audit.verify()).ok).toBe(true)
  })

  it("appends made in one turn are committed together after it, in order, and each caller waits for the commit", async () => {
    const appends = Array.from({ length: 20 }, (_, i) =>
      store.audit.append({ action: "solve", keyId: "k", requestHash: `r${i}`, objective: i }),
    )
    const db = raw()
    const count = db.prepare("SELECT count(*) AS n FROM audit")
    expect(count.get()).toEqual({ n: 0 })
    const entries = await Promise.all(appends)
    expect(count.get()).toEqual({ n: 20 })
    db.close()
    expect(entries.map((e) => [e.seq, e.requestHash])).toEqual(
      Array.from({ length: 20 }, (_, i) => [i + 1, `r${i}`]),
    )
    expect(await store.audit.verify()).toEqual({ ok: true, rows: 20 })
  })

  it("a bad audit row fails alone, and close() writes the rows still waiting", async () => {
    const good = store.audit.append({ action: "solve", keyId: "k", requestHash: "a" })
    await expect(store.audit.append({ action: "nonsense" } as never)).rejects.toThrow()
    const waiting = store.audit.append({ action: "solve", keyId: "k", requestHash: "b" })
    await store.close()
    expect((await Promise.all([good, waiting])).map((e) => e.seq)).toEqual([1, 2])
    store = openSqliteStore({ file })
    expect(await store.audit.verify()).toEqual({ ok: true, rows: 2 })
  })

  it("the audit chain shows a row changed behind the triggers' back", async () => {
    for (let i = 0; i < 3; i++)
      await store.audit.append({ action: "solve", keyId: "k", requestHash: `r${i}`, objective: i })
    expect(await store.audit.verify()).toEqual({ ok: true, rows: 3 })
    const db = raw()
    db.exec("DROP TRIGGER audit_no_update; UPDATE audit SET objective = 99 WHERE seq = 2")
    db.close()
    expect(await store.audit.verify()).toEqual({ ok: false, rows: 1, brokenAt: 2 })
  })

  /** Change row `seq` with the triggers out of the way, as someone with the file could. */
  const tamper = (seq: number) => {
    const db = raw()
    db.exec(`DROP TRIGGER IF EXISTS audit_no_update; UPDATE audit SET objective = -1 WHERE seq = ${seq}`)
    db.close()
  }
  const appendSolves = (n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        store.audit.append({ action: "solve", keyId: "k", requestHash: `r${i}`, objective: i }),
      ),
    )

  it("an incremental check finds a row changed after the last check, over several slices", async () => {
    await appendSolves(3)
    expect(await store.audit.verify("incremental")).toEqual({ ok: true, rows: 3 })
    await appendSolves(1200)
    tamper(1100)
    expect(await store.audit.verify("incremental")).toEqual({ ok: false, rows: 1099, brokenAt: 1100 })
    // and again on the next read: the break is not passed over
    expect(await store.audit.verify("incremental")).toEqual({ ok: false, rows: 1099, brokenAt: 1100 })
  })

  it("an incremental check re-checks the row it last verified", async () => {
    await appendSolves(5)
    expect(await store.audit.verify("incremental")).toEqual({ ok: true, rows: 5 })
    tamper(5)
    expect((await store.audit.verify("incremental")).ok).toBe(false)
    expect(await store.audit.verify("full")).toEqual({ ok: false, rows: 4, brokenAt: 5 })
  })

  it("a row changed before the last check is found by the full check, and then by every read", async () => {
    await appendSolves(1200)
    expect(await store.audit.verify("incremental")).toEqual({ ok: true, rows: 1200 })
    tamper(7)
    await appendSolves(2)
    // An incremental check hashes only the rows after the checkpoint: it cannot see row 7.
    expect(await store.audit.verify("incremental")).toEqual({ ok: true, rows: 1202 })
    expect(await store.audit.verify()).toEqual({ ok: false, rows: 6, brokenAt: 7 })
    expect(await store.audit.verify("incremental")).toEqual({ ok: false, rows: 6, brokenAt: 7 })
  })

  it("a full check and reads running side by side agree", async () => {
    await appendSolves(1500)
    const checks = await Promise.all([
      store.audit.verify("full"),
      store.audit.verify("incremental"),
      store.audit.verify("incremental"),
    ])
    expect(checks).toEqual([
      { ok: true, rows: 1500 },
      { ok: true, rows: 1500 },
      { ok: true, rows: 1500 },
    ])
  })
})

describe("the audit writer thread", () => {
  it("commits appends on its own connection, chained with the saves of the store's connection, each caller waiting for its commit", async () => {
    const threaded = openSqliteStore({ file: join(tmp.dir, "threaded.sqlite"), auditThread: true })
    const db = new BetterSqlite3(join(tmp.dir, "threaded.sqlite"))
    const count = db.prepare("SELECT count(*) AS n FROM audit")
    try {
      const first = Array.from({ length: 10 }, (_, i) =>
        threaded.audit.append({ action: "solve", keyId: "k", requestHash: `a${i}`, objective: i }),
      )
      expect(count.get()).toEqual({ n: 0 })
      const saved = await threaded.packages.create(packageDraft("A", 42), alice)
      const second = Array.from({ length: 10 }, (_, i) =>
        threaded.audit.append({ action: "evaluate", keyId: "k", requestHash: `b${i}` }),
      )
      const entries = await Promise.all([...first, ...second])
      expect(count.get()).toEqual({ n: 21 })
      const rows = await threaded.audit.list(open, { limit: 100 })
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1))
      // Each caller got its own row as written, in the order appended.
      for (const e of entries) expect(rows.find((r) => r.seq === e.seq)).toEqual(e)
      expect(entries.map((e) => e.requestHash)).toEqual([
        ...Array.from({ length: 10 }, (_, i) => `a${i}`),
        ...Array.from({ length: 10 }, (_, i) => `b${i}`),
      ])
      expect(rows.filter((r) => r.action === "save").map((r) => r.subject)).toEqual([`package:${saved.id}@1`])
      expect(await threaded.audit.verify()).toEqual({ ok: true, rows: 21 })
      await expect(threaded.audit.append({ action: "nonsense" } as never)).rejects.toThrow()
      // The thread hashes texts it is given, as the store's connection does.
      const hashed = await threaded.audit.append({
        action: "solve",
        keyId: "k",
        requestJson: canonicalJson({ q: 1 }),
        resultJson: '{"a":1}',
      })
      expect([hashed.requestHash, hashed.resultHash]).toEqual([contentHash({ q: 1 }), contentHash({ a: 1 })])
      expect(hashed).not.toHaveProperty("requestJson")
      const waiting = threaded.audit.append({ action: "solve", keyId: "k", requestHash: "last" })
      await threaded.close()
      expect((await waiting).seq).toBe(23)
      expect(count.get()).toEqual({ n: 23 })
    } finally {
      db.close()
      await threaded.close()
    }
  })
})

describe("the audit trail", () => {
  it("records every save and delete with key, hashes and objective, in order", async () => {
    const p = await store.packages.create(packageDraft("A", 42), alice)
    await store.audit.append({
      action: "solve",
      keyId: "bob",
      subject: "ofs-2025-26",
      requestHash: contentHash({ q: 1 }),
      resultHash: contentHash({ a: 1 }),
      objective: 7.5,
    })
    await store.packages.remove(p.id, { keyId: "carol" }, open)
    const rows = await store.audit.list(open)
    expect(rows.map((r) => [r.seq, r.action, r.keyId, r.objective])).toEqual([
      [1, "save", "alice", 42],
      [2, "solve", "bob", 7.5],
      [3, "delete", "carol", null],
    ])
    expect(rows[0]?.requestHash).toBe(contentHash(packageDraft("A", 42)))
    expect(rows[1]?.prevHash).toBe(rows[0]?.hash)
    // Each row's hash is the sha256 of its canonical JSON (the chain's definition), whatever the
    // store writes it with.
    await store.audit.append({
      action: "solve",
      keyId: null,
      subject: 'æøå \u2028 "x"',
      requestHash: "h",
      objective: -0.1,
    })
    for (const { hash, ...rest } of await store.audit.list(open)) expect(hash).toBe(contentHash(rest))
    expect(rows.every((r) => /^\d{4}-\d\d-\d\dT/.test(r.at))).toBe(true)
    expect((await store.audit.list(open, { after: 1, limit: 1 })).map((r) => r.seq)).toEqual([2])
    expect((await store.audit.list(open, { action: "delete" })).map((r) => r.seq)).toEqual([3])
    expect((await store.audit.list(open, { keyId: "bob" })).map((r) => r.seq)).toEqual([2])
  })

  it("hashes the request and result texts it is given, and wants the request's hash or its text, not both", async () => {
    const text = await store.audit.append({
      action: "evaluate",
      keyId: "k",
      requestJson: canonicalJson({ b: 2, a: 1 }),
      resultJson: canonicalJson({ ok: true }),
    })
    expect([text.requestHash, text.resultHash]).toEqual([
      contentHash({ a: 1, b: 2 }),
      contentHash({ ok: true }),
    ])
    const both = { action: "solve", keyId: "k", requestHash: "h", requestJson: "{}" } as const
    await expect(store.audit.append(both)).rejects.toThrow(/requestHash or requestJson/)
    await expect(store.audit.append({ action: "solve", keyId: "k" })).rejects.toThrow(
      /requestHash or requestJson/,
    )
    expect(await store.audit.verify()).toEqual({ ok: true, rows: 1 })
  })

  it("hashes canonical JSON: key order does not matter, values do", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    )
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }))
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }))
  })
})

describe("API keys", () => {
  it("verifies a key it made, then not after revoking; stores no secret", async () => {
    const { key, record } = await store.keys.create({ name: "Forhandler 1", role: "negotiator" }, alice)
    expect(key).toMatch(/^pulje_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/)
    expect(keyIdOf(key)).toBe(record.id)
    expect(await store.keys.verify(key)).toEqual(record)
    expect(record).toMatchObject({ role: "negotiator", confidential: false, revokedAt: null })
    expect(await store.keys.activeCount()).toBe(1)

    const secret = key.slice(`pulje_${record.id}_`.length)
    const db = raw()
    const dump = JSON.stringify(db.prepare("SELECT * FROM api_keys").all())
    db.close()
    expect(dump).not.toContain(secret)
    expect(dump).not.toContain(key)

    expect(await store.keys.revoke(record.id, alice)).toBe(true)
    expect(await store.keys.revoke(record.id, alice)).toBe(false)
    expect(await store.keys.verify(key)).toBeNull()
    expect(await store.keys.activeCount()).toBe(0)
    expect((await store.keys.list())[0]?.revokedAt).not.toBeNull()
    expect((await store.audit.list(open)).map((r) => [r.action, r.subject])).toEqual([
      ["key-add", `key:${record.id}`],
      ["key-revoke", `key:${record.id}`],
    ])
  })

  it("refuses a wrong secret, another key's secret, garbage and an unknown id", async () => {
    const a = await store.keys.create({ name: "a", role: "admin", confidential: true }, alice)
    const b = await store.keys.create({ name: "b", role: "reader" }, alice)
    const secretOf = (k: string) => k.slice(19)
    const wrong = [
      `${a.key.slice(0, -1)}${a.key.endsWith("A") ? "B" : "A"}`,
      `pulje_${a.record.id}_${secretOf(b.key)}`,
      `pulje_zzzzzzzzzzzz_${secretOf(a.key)}`,
      "",
      "Bearer",
      "pulje_",
      a.record.id,
      secretOf(a.key),
    ]
    for (const k of wrong) expect(await store.keys.verify(k), k).toBeNull()
    expect(await store.keys.verify(a.key)).toMatchObject({ role: "admin", confidential: true })
  })

  it("counts active keys: its own changes at once, another process's within a second", async () => {
    vi.useFakeTimers({ toFake: ["performance"] })
    const other = openSqliteStore({ file })
    try {
      expect(await store.keys.activeCount()).toBe(0)
      const { record } = await other.keys.create({ name: "Fra CLI", role: "admin" }, alice)
      vi.advanceTimersByTime(1001)
      expect(await store.keys.activeCount()).toBe(1)
      expect(store.keys.activeCountNow()).toBe(1)
      await store.keys.revoke(record.id, alice)
      expect(store.keys.activeCountNow()).toBe(0)
      expect(await store.keys.activeCount()).toBe(0)
      await other.keys.create({ name: "Igen", role: "reader" }, alice)
      expect(store.keys.activeCountNow()).toBe(0)
      vi.advanceTimersByTime(1001)
      expect(store.keys.activeCountNow()).toBe(1)
    } finally {
      await other.close()
      vi.useRealTimers()
    }
  })

  it("orders the roles reader < negotiator < admin", () => {
    expect(roleAllows("admin", "negotiator")).toBe(true)
    expect(roleAllows("negotiator", "negotiator")).toBe(true)
    expect(roleAllows("reader", "negotiator")).toBe(false)
    expect(roleAllows("negotiator", "admin")).toBe(false)
  })
})

describe("opening, migrations and backup", () => {
  it("runs the migrations once: reopening applies nothing and keeps the data", async () => {
    const p = await store.packages.create(packageDraft("A"), alice)
    await store.close()
    const db = raw()
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length)
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal")
    expect(migrate(db)).toBe(0)
    db.close()
    store = openSqliteStore({ file })
    expect((await store.packages.get(p.id, open))?.name).toBe("A")
  })

  it("refuses a database made by a newer pulje", async () => {
    await store.close()
    const db = raw()
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`)
    db.close()
    expect(() => openSqliteStore({ file })).toThrow(SchemaTooNew)
  })

  it("backs up a consistent copy while the store is open", async () => {
    const p = await store.packages.create(packageDraft("A"), alice)
    await store.packages.update(p.id, packageDraft("B"), alice, open)
    const copy = join(tmp.dir, "backup", "copy.sqlite")
    await store.backup(copy)
    expect(existsSync(copy)).toBe(true)
    const restored = openSqliteStore({ file: copy })
    expect((await restored.packages.versions(p.id, open))?.map((v) => v.name)).toEqual(["A", "B"])
    expect(await restored.audit.verify()).toEqual({ ok: true, rows: 2 })
    await restored.close()
  })

  it("keeps its data in PULJE_DATA_DIR, else ./var", () => {
    expect(dataDir({ PULJE_DATA_DIR: "/srv/pulje" })).toBe("/srv/pulje")
    expect(dataDir({})).toBe(join(process.cwd(), "var"))
  })
})
