import { rmSync } from "node:fs"
import { join } from "node:path"
import { Writable } from "node:stream"
import ExcelJS from "exceljs"
import type { FastifyInstance } from "fastify"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildApp } from "../../src/api/app.ts"
import { ConfigError, serve } from "../../src/api/server.ts"
import { openSqliteStore, type Store } from "../../src/store/index.ts"
import { tempDir } from "../store/support/fixtures.ts"
import { roundCopy, roundWithBC05Changed, withRoundsDir } from "../support/changedRound.ts"

let tmp: ReturnType<typeof tempDir>
let store: Store
let app: FastifyInstance
const logs: string[] = []
let admin: string
let negotiator: string
let reader: string

const auth = (key: string) => ({ authorization: `Bearer ${key}` })

beforeAll(async () => {
  tmp = tempDir()
  store = openSqliteStore({ file: join(tmp.dir, "pulje.sqlite") })
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk))
      done()
    },
  })
  app = await buildApp({ threads: 1, store, validateResponses: true, logger: { level: "info", stream } })
})
afterAll(async () => {
  await app.close()
  await store.close()
  tmp.remove()
})

describe("keys and roles", () => {
  it("runs open on loopback while no key exists, then wants a key with the right role", async () => {
    expect((await app.inject({ url: "/packages" })).statusCode).toBe(200)
    const made = await app.inject({ method: "POST", url: "/keys", payload: { name: "Admin", role: "admin" } })
    expect(made.statusCode).toBe(201)
    admin = made.json().key
    negotiator = (await store.keys.create({ name: "Forhandler", role: "negotiator" }, { keyId: null })).key
    reader = (await store.keys.create({ name: "Læser", role: "reader" }, { keyId: null })).key

    expect((await app.inject({ url: "/packages" })).statusCode).toBe(401)
    expect((await app.inject({ url: "/packages", headers: auth(`${admin}x`) })).statusCode).toBe(401)
    expect((await app.inject({ url: "/health" })).statusCode).toBe(200)
    // The page and the API's description hold no data: a browser loads them without a key.
    expect((await app.inject({ url: "/" })).statusCode).not.toBe(401)
    expect((await app.inject({ url: "/openapi.json" })).statusCode).toBe(200)
    expect((await app.inject({ url: "/packages", headers: auth(reader) })).statusCode).toBe(200)
    const post = { method: "POST" as const, url: "/packages", payload: { name: "x", package: [] } }
    expect((await app.inject({ ...post, headers: auth(reader) })).statusCode).toBe(403)
    expect((await app.inject({ url: "/audit-log", headers: auth(negotiator) })).statusCode).toBe(403)
    expect((await app.inject({ url: "/audit-log", headers: auth(admin) })).statusCode).toBe(200)
    expect((await app.inject({ url: "/keys", headers: auth(negotiator) })).statusCode).toBe(403)

    const id = made.json().record.id
    const other = await app.inject({
      method: "POST",
      url: "/keys",
      headers: auth(admin),
      payload: { name: "Kort", role: "reader" },
    })
    expect((await app.inject({ url: "/proposals", headers: auth(other.json().key) })).statusCode).toBe(200)
    await app.inject({ method: "DELETE", url: `/keys/${other.json().record.id}`, headers: auth(admin) })
    expect((await app.inject({ url: "/proposals", headers: auth(other.json().key) })).statusCode).toBe(401)

    // The key id is in the request's log lines; no key is in any line.
    const lines = logs.filter((l) => l.includes("request completed"))
    expect(lines.some((l) => l.includes(`"keyId":"${id}"`))).toBe(true)
    for (const key of [admin, negotiator, reader, other.json().key]) expect(logs.join("")).not.toContain(key)
  })

  it("limits the rate per key, not for everyone at once", async () => {
    const limited = await buildApp({ threads: 0, store, rateLimit: 3 })
    try {
      const codes = async (key: string) => {
        const out: number[] = []
        for (let i = 0; i < 4; i++)
          out.push((await limited.inject({ url: "/scenarios", headers: auth(key) })).statusCode)
        return out
      }
      expect(await codes(reader)).toEqual([200, 200, 200, 429])
      expect(await codes(negotiator)).toEqual([200, 200, 200, 429])
      // Guessing keys is limited per address: after 3 bad keys even a good one waits.
      const bad = `${admin.slice(0, -4)}AAAA`
      expect(await codes(bad)).toEqual([401, 401, 401, 429])
      expect((await limited.inject({ url: "/scenarios", headers: auth(admin) })).statusCode).toBe(429)
    } finally {
      await limited.close()
    }
  })

  it("without any key listens on loopback only, and says that it runs open", async () => {
    const empty = openSqliteStore({ file: join(tmp.dir, "empty.sqlite") })
    await expect(serve({ host: "0.0.0.0", port: 0, store: empty, logger: false })).rejects.toThrow(
      ConfigError,
    )
    const lines: string[] = []
    const stream = new Writable({
      write(chunk, _e, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const open = await serve({ host: "127.0.0.1", port: 0, store: empty, threads: 1, logger: { stream } })
    await open.close()
    expect(lines.join("")).toContain("runs open, on loopback only")
    await empty.close()
  })
})

describe("saved packages", () => {
  it("saves with the figures shown, versions on PUT, soft-deletes, and audits every step", async () => {
    const body = {
      name: "Forslag A",
      scenario: "ofs-2025-26",
      package: [{ proposal: "BC05" }],
      note: "første",
    }
    const created = await app.inject({
      method: "POST",
      url: "/packages",
      headers: auth(negotiator),
      payload: body,
    })
    expect(created.statusCode).toBe(201)
    const p = created.json()
    expect(p).toMatchObject({
      version: 1,
      name: "Forslag A",
      body: { round: "ofs-2025-26", scenario: "ofs-2025-26" },
    })
    expect(p.figures.objective).toBeGreaterThan(0)
    expect(p.figures.poolUse.priceLevel).toBe(2026)

    const put = await app.inject({
      method: "PUT",
      url: `/packages/${p.id}`,
      headers: auth(negotiator),
      payload: { ...body, package: [{ proposal: "BC05" }, { proposal: "BC34" }], baseVersion: 1 },
    })
    expect(put.json()).toMatchObject({ version: 2 })
    const stale = await app.inject({
      method: "PUT",
      url: `/packages/${p.id}`,
      headers: auth(negotiator),
      payload: { ...body, baseVersion: 1 },
    })
    expect(stale.statusCode).toBe(409)

    const got = await app.inject({ url: `/packages/${p.id}`, headers: auth(reader) })
    expect(got.json()).toMatchObject({ version: 2, current: { dataChanged: false } })
    const versions = await app.inject({ url: `/packages/${p.id}/versions`, headers: auth(reader) })
    expect(versions.json().versions.map((v: { note: string; version: number }) => v.version)).toEqual([1, 2])

    expect(
      (await app.inject({ method: "DELETE", url: `/packages/${p.id}`, headers: auth(negotiator) }))
        .statusCode,
    ).toBe(200)
    expect((await app.inject({ url: `/packages/${p.id}`, headers: auth(reader) })).statusCode).toBe(404)
    expect((await store.packages.versions(p.id, { confidential: false, includeDeleted: true }))?.length).toBe(
      2,
    )

    const log = (await app.inject({ url: "/audit-log?limit=1000", headers: auth(admin) })).json()
    const negotiatorId = negotiator.slice(6, 18)
    const mine = log.entries.filter((e: { keyId: string }) => e.keyId === negotiatorId)
    expect(mine.map((e: { action: string }) => e.action)).toEqual([
      "evaluate",
      "save",
      "evaluate",
      "save",
      "evaluate",
      "delete",
    ])
    expect(log.chain).toEqual({ ok: true, rows: expect.any(Number), checked: "incremental" })
    expect(mine[1].text).toContain("gemt")
    const full = (await app.inject({ url: "/audit-log?check=full&limit=1000", headers: auth(admin) })).json()
    expect(full.chain).toEqual({ ok: true, rows: log.chain.rows, checked: "full" })
    expect((await app.inject({ url: "/audit-log?check=some", headers: auth(admin) })).statusCode).toBe(400)
  })

  it("audits solves, and saves a user scenario with its optimum", async () => {
    await app.inject({
      method: "POST",
      url: "/scenarios/ofs-2025-26/solve",
      headers: auth(negotiator),
      payload: {},
    })
    const s = await app.inject({
      method: "POST",
      url: "/scenarios",
      headers: auth(negotiator),
      payload: { title: "Mere service", rules: { limits: { service: 120000 } } },
    })
    expect(s.statusCode).toBe(201)
    expect(s.json().figures.objective).toBeGreaterThan(0)
    const reopened = (
      await app.inject({ url: `/scenarios/saved/${s.json().id}`, headers: auth(reader) })
    ).json()
    expect(reopened.body).toMatchObject({ basedOn: "ofs-2025-26" })
    expect(reopened.current.dataChanged).toBe(false)
    const solved = await app.inject({
      method: "POST",
      url: `/scenarios/saved/${s.json().id}/solve`,
      headers: auth(negotiator),
      payload: {},
    })
    expect(solved.json().result.objective).toBe(s.json().figures.objective)
    expect(solved.json().rules.limits.service).toBe(120000)
    const log = (await app.inject({ url: "/audit-log?action=solve", headers: auth(admin) })).json()
    expect(log.entries.length).toBeGreaterThanOrEqual(2)
    expect(log.entries.every((e: { objective: number }) => e.objective > 0)).toBe(true)
    expect(log.entries[0].subject).toBe("round:ofs-2025-26")
    expect(log.entries[0].text).toMatch(/løsning · round:ofs-2025-26 · målværdi \d/)
  })
})

describe("the OpenAPI document of saved work", () => {
  it("names each operation, and the server accepts each body example", async () => {
    const doc = (await app.inject({ url: "/openapi.json" })).json()
    const ops = { "/packages": "savePackage", "/scenarios": "saveScenario", "/keys": "createKey" }
    for (const [path, id] of Object.entries(ops)) {
      const op = doc.paths[path].post
      expect(op.operationId).toBe(id)
      const example = op.requestBody.content["application/json"].example
      const r = await app.inject({ method: "POST", url: path, headers: auth(admin), payload: example })
      expect(r.statusCode, `${path}: ${r.body.slice(0, 200)}`).toBe(201)
    }
    expect(doc.paths["/packages/{id}"].get.parameters[0].example).toBeDefined()
  })
})

describe("rounds", () => {
  it("a package remembers its round, and opened from another round it says where it belongs", async () => {
    const rounds = join(tmp.dir, "rounds")
    roundCopy(rounds, "anden")
    await withRoundsDir(rounds, async () => {
      const saved = await app.inject({
        method: "POST",
        url: "/rounds/anden/packages",
        headers: auth(negotiator),
        payload: { name: "I anden runde", scenario: "ofs-2025-26", package: [{ proposal: "BC05" }] },
      })
      expect(saved.json().body.round).toBe("anden")
      const there = await app.inject({
        url: `/rounds/anden/packages/${saved.json().id}`,
        headers: auth(reader),
      })
      expect(there.json().current).toMatchObject({ dataChanged: false, notice: null })
      const here = await app.inject({ url: `/packages/${saved.json().id}`, headers: auth(reader) })
      expect(here.json().current.notice).toContain("hører til runden anden")
    })
  })

  it("a user scenario opened in a round that lacks a proposal its rules name says so, not 400", async () => {
    const rounds = join(tmp.dir, "rounds-without-bc05")
    roundCopy(rounds, "uden", (dir) => rmSync(join(dir, "proposals", "BC05.json")))
    await withRoundsDir(rounds, async () => {
      const saved = await app.inject({
        method: "POST",
        url: "/scenarios",
        headers: auth(negotiator),
        payload: { title: "Uden BC05", basedOn: "ofs-2025-26", rules: { exclude: ["BC05"] } },
      })
      expect(saved.json().body.round).toBe("ofs-2025-26")
      const there = await app.inject({
        url: `/rounds/uden/scenarios/saved/${saved.json().id}`,
        headers: auth(reader),
      })
      expect(there.statusCode).toBe(200)
      expect(there.json().current).toMatchObject({
        dataChanged: true,
        figures: null,
        notice:
          "Scenariet er gemt i runden ofs-2025-26; her løses det på data fra runden uden. Scenariet nævner BC05, som runden uden ikke har: det kan ikke løses her.",
      })
      // Its solve names the stored rules, not a body.rules the request never had.
      const solved = await app.inject({
        method: "POST",
        url: `/rounds/uden/scenarios/saved/${saved.json().id}/solve`,
        headers: auth(negotiator),
        payload: {},
      })
      expect(solved.statusCode).toBe(400)
      expect(solved.json().issues).toEqual([
        {
          path: `rules of saved scenario ${saved.json().id} (version 1)`,
          message: "name BC05, which round uden does not have: it cannot be solved in this round",
        },
      ])
      expect(solved.body).not.toContain("body.rules")
    })
  })
})

describe("reopening after the data changed", () => {
  it("says so and shows both the saved and today's figures", async () => {
    const saved = await app.inject({
      method: "POST",
      url: "/packages",
      headers: auth(negotiator),
      payload: { name: "Før ændring", package: [{ proposal: "BC05" }] },
    })
    const before = saved.json().figures.objective
    const scenario = await app.inject({
      method: "POST",
      url: "/scenarios",
      headers: auth(negotiator),
      payload: { title: "Før ændring", rules: { locks: [{ proposal: "BC05" }] } },
    })
    const round = roundWithBC05Changed(join(tmp.dir, "round"))
    const second = openSqliteStore({ file: join(tmp.dir, "pulje.sqlite") })
    const changed = await buildApp({
      threads: 1,
      store: second,
      dataDir: round,
    })
    try {
      const r = (await changed.inject({ url: `/packages/${saved.json().id}`, headers: auth(reader) })).json()
      expect(r.figures.objective).toBe(before)
      expect(r.current.dataChanged).toBe(true)
      expect(r.current.figures.objective).toBe(before + 1000)
      expect(r.current.notice).toContain("Data er ændret")
      const s = (
        await changed.inject({ url: `/scenarios/saved/${scenario.json().id}`, headers: auth(reader) })
      ).json()
      expect(s.current.dataChanged).toBe(true)
      expect(s.current.figures.objective).toBe(s.figures.objective + 1000)
    } finally {
      await changed.close()
      await second.close()
    }
  })
})

describe("a saved package to Excel", () => {
  it("exports the latest version, evaluated on today's data, as the workbook /evaluate/export gives", async () => {
    const saved = await app.inject({
      method: "POST",
      url: "/packages",
      headers: auth(negotiator),
      payload: {
        name: "Eksport",
        scenario: "ofs-2025-26",
        package: [{ proposal: "BC05" }, { proposal: "BC34" }],
      },
    })
    const id = saved.json().id as string
    const x = await app.inject({ url: `/packages/${id}/export.xlsx`, headers: auth(reader) })
    expect(x.statusCode).toBe(200)
    expect(x.headers["content-disposition"]).toBe(`attachment; filename="pakke-${id}.xlsx"`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer)
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Oversigt", "Pengestrømme", "Regler"])
    const cells: string[] = []
    wb.getWorksheet("Oversigt")?.eachRow((row) => {
      row.eachCell((c) => {
        cells.push(String(c.value))
      })
    })
    expect(cells.some((c) => c.includes("Eksport (version 1)"))).toBe(true)
    expect(cells).toContain("BC05")
    expect(cells).toContain("BC34")
    // The same package through /evaluate/export: the same proposals' rows.
    const direct = await app.inject({
      method: "POST",
      url: "/evaluate/export?format=csv&table=forslag",
      headers: auth(negotiator),
      payload: { scenario: "ofs-2025-26", package: [{ proposal: "BC05" }, { proposal: "BC34" }] },
    })
    expect(direct.statusCode).toBe(200)
    expect(direct.payload).toContain("BC05")
    const missing = await app.inject({ url: "/packages/nosuchpackage/export.xlsx", headers: auth(reader) })
    expect(missing.statusCode).toBe(404)
  })
})
