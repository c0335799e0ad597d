import { join } from "node:path"
import { Writable } from "node:stream"
import type { FastifyInstance, InjectOptions } from "fastify"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildApp } from "../../src/api/app.ts"
import { openSqliteStore, type Store } from "../../src/store/index.ts"
import { tempDir } from "../store/support/fixtures.ts"

/**
 * The confidential proposal: tests/fixtures/confidential/XX99.json is fictional test data. Every
 * endpoint is called by a key with the confidential grant and by keys without it; nothing a
 * caller without the grant gets may name the proposal's id or title.
 */
const FIXTURE = join(import.meta.dirname, "..", "fixtures", "confidential")
const ID = "XX99"
const TITLE = "Zephyrbro"
const UNKNOWN = "XX98"

let tmp: ReturnType<typeof tempDir>
let store: Store
let app: FastifyInstance
const logs: string[] = []
const keys: Record<"granted" | "admin" | "negotiator", string> = { granted: "", admin: "", negotiator: "" }

beforeAll(async () => {
  tmp = tempDir()
  store = openSqliteStore({ file: join(tmp.dir, "pulje.sqlite") })
  const by = { keyId: null }
  keys.granted = (await store.keys.create({ name: "Fortrolig", role: "admin", confidential: true }, by)).key
  keys.admin = (await store.keys.create({ name: "Admin", role: "admin" }, by)).key
  keys.negotiator = (await store.keys.create({ name: "Forhandler", role: "negotiator" }, by)).key
  const stream = new Writable({
    write(chunk, _e, done) {
      logs.push(String(chunk))
      done()
    },
  })
  app = await buildApp({
    threads: 1,
    store,
    confidentialDir: FIXTURE,
    validateResponses: true,
    logger: { level: "info", stream },
  })
})
afterAll(async () => {
  await app.close()
  await store.close()
  tmp.remove()
})

const call = (key: string, o: InjectOptions) =>
  app.inject({ ...o, headers: { ...o.headers, authorization: `Bearer ${key}` } })

const pkg = (...ids: string[]) => ids.map((proposal) => ({ proposal }))

/** Requests that do not name the proposal: the answer to a caller without the grant must not either. */
const plain: InjectOptions[] = [
  { url: "/health" },
  { url: "/proposals" },
  { url: "/proposals?committee=%C3%B8konomi" },
  { url: "/audit" },
  { url: "/scenarios" },
  { url: "/scenarios/ofs-2025-26" },
  { url: "/openapi.json" },
  { method: "POST", url: "/scenarios/ofs-2025-26/solve", payload: {} },
  { method: "POST", url: "/scenarios/payback-waived/solve", payload: {} },
  { method: "POST", url: "/solve", payload: { rules: { limits: { service: 100000 } } } },
  { method: "POST", url: "/evaluate", payload: { package: pkg("BC05") } },
  {
    method: "POST",
    url: "/compare",
    payload: { items: [{ scenario: "ofs-2025-26" }, { package: pkg("BC05") }] },
  },
  { url: "/round" },
  {
    method: "POST",
    url: "/scenarios/ofs-2025-26/frontier",
    payload: { pool: "service", from: 80000, to: 120000 },
  },
  { method: "POST", url: "/scenarios/ofs-2025-26/explain", payload: {} },
  { method: "POST", url: "/scenarios/ofs-2025-26/alternatives", payload: { k: 3 } },
  { method: "POST", url: "/scenarios/ofs-2025-26/robustness", payload: { draws: 200, seed: 1 } },
  { url: "/rounds/ofs-2025-26/proposals" },
  { method: "POST", url: "/scenarios/ofs-2025-26/export?format=csv&table=forslag", payload: {} },
  { method: "POST", url: "/evaluate/export?format=csv&table=forslag", payload: { package: pkg("BC05") } },
  { url: "/packages" },
  { url: "/scenarios/saved" },
  { url: "/audit-log?limit=1000" },
  { url: "/keys" },
  { url: "/no-such-endpoint" },
]

/** Requests that name an id: a caller without the grant must get for XX99 what it gets for XX98. */
const naming = (id: string): InjectOptions[] => [
  { url: `/proposals/${id}` },
  { url: `/proposals/${id.toLowerCase()}` },
  { url: `/rounds/ofs-2025-26/proposals/${id}` },
  { method: "POST", url: "/evaluate/export?format=csv", payload: { package: pkg("BC05", id) } },
  { method: "POST", url: "/evaluate", payload: { package: pkg("BC05", id) } },
  { method: "POST", url: "/solve", payload: { proposals: ["BC05", id], rules: {} } },
  { method: "POST", url: "/scenarios/ofs-2025-26/solve", payload: { rules: { locks: [{ proposal: id }] } } },
  { method: "POST", url: "/scenarios/ofs-2025-26/solve", payload: { rules: { exclude: [id] } } },
  { method: "POST", url: "/compare", payload: { items: [{ package: pkg(id) }, { package: pkg("BC05") }] } },
  { method: "POST", url: "/packages", payload: { name: "p", package: pkg(id) } },
  { method: "POST", url: "/scenarios", payload: { title: "t", rules: { locks: [{ proposal: id }] } } },
  { method: "POST", url: "/scenarios/ofs-2025-26/explain", payload: { proposals: [id] } },
  {
    method: "POST",
    url: "/scenarios/ofs-2025-26/robustness",
    payload: { draws: 100, seed: 1, uncertainty: { [id]: { min: 0.5, mode: 0.8, max: 1 } } },
  },
]

const leaks = (text: string) => text.includes(ID) || text.includes(TITLE)
const withoutRequestId = (text: string) => text.replace(/"requestId":"[^"]*"/g, "")

describe("a confidential proposal", () => {
  let hiddenPackage = ""
  let hiddenScenario = ""

  it("is seen and used by a key with the grant", async () => {
    const list = await call(keys.granted, { url: "/proposals" })
    expect(list.body).toContain(TITLE)
    expect((await call(keys.granted, { url: `/proposals/${ID}` })).json().proposal.confidential).toBe(true)
    const solved = await call(keys.granted, {
      method: "POST",
      url: "/scenarios/ofs-2025-26/solve",
      payload: {},
    })
    expect(solved.json().result.package.chosen.map((c: { proposal: string }) => c.proposal)).toContain(ID)
    const explained = await call(keys.granted, {
      method: "POST",
      url: "/scenarios/ofs-2025-26/explain",
      payload: { proposals: [ID] },
    })
    expect(explained.statusCode).toBe(200)
    expect(explained.body).toContain(ID)
    const alternatives = await call(keys.granted, {
      method: "POST",
      url: "/scenarios/ofs-2025-26/alternatives",
      payload: { k: 3 },
    })
    expect(alternatives.body).toContain(ID)
    const exported = await call(keys.granted, {
      method: "POST",
      url: "/scenarios/ofs-2025-26/export?format=csv&table=forslag",
      payload: {},
    })
    expect(exported.body).toContain(ID)
    const saved = await call(keys.granted, {
      method: "POST",
      url: "/packages",
      payload: { name: "Med det fortrolige", package: pkg("BC05", ID) },
    })
    expect(saved.statusCode).toBe(201)
    hiddenPackage = saved.json().id
    const scenario = await call(keys.granted, {
      method: "POST",
      url: "/scenarios",
      payload: { title: "Uden det fortrolige", rules: { exclude: [ID] } },
    })
    expect(scenario.statusCode).toBe(201)
    hiddenScenario = scenario.json().id
    expect((await call(keys.granted, { url: "/packages" })).body).toContain(hiddenPackage)
    expect((await call(keys.granted, { url: `/packages/${hiddenPackage}/versions` })).body).toContain(ID)
  })

  it("does not exist for keys without the grant, in any answer", async () => {
    // The admin key reaches every endpoint; roles do not change what exists.
    for (const o of plain) {
      const r = await call(keys.admin, o)
      expect(r.statusCode, `${o.method ?? "GET"} ${o.url}`).toBeLessThan(500)
      expect(leaks(r.body), `${o.method ?? "GET"} ${o.url}: ${r.body.slice(0, 300)}`).toBe(false)
    }
    // The same answers once more, now that the grant's key has used it: the solve's optimum differs.
    const publicSolve = await call(keys.admin, {
      method: "POST",
      url: "/scenarios/ofs-2025-26/solve",
      payload: {},
    })
    const grantedSolve = await call(keys.granted, {
      method: "POST",
      url: "/scenarios/ofs-2025-26/solve",
      payload: {},
    })
    expect(publicSolve.json().result.objective).toBeLessThan(grantedSolve.json().result.objective)
  })

  it("gets the same answer as an unknown id, and so does a package or scenario that holds it", async () => {
    const shown = naming(ID)
    const unknown = naming(UNKNOWN)
    for (const [i, o] of shown.entries()) {
      const hidden = await call(keys.negotiator, o)
      const never = await call(keys.negotiator, unknown[i] as InjectOptions)
      expect(hidden.statusCode, `${o.method ?? "GET"} ${o.url}`).toBe(never.statusCode)
      expect(
        withoutRequestId(hidden.body)
          .replaceAll(ID, UNKNOWN)
          .replaceAll(ID.toLowerCase(), UNKNOWN.toLowerCase()),
      ).toBe(withoutRequestId(never.body))
      expect(hidden.body).not.toContain(TITLE)
    }
    for (const [hiddenId, base] of [
      [hiddenPackage, "/packages"],
      [hiddenScenario, "/scenarios/saved"],
    ] as const) {
      const made = "nosuchid0000"
      for (const [method, suffix] of [
        ["GET", ""],
        ["GET", "/versions"],
        ...(base === "/scenarios/saved" ? ([["POST", "/solve"]] as const) : []),
        ["DELETE", ""],
      ] as const) {
        const body = method === "POST" ? { payload: {} } : {}
        const hidden = await call(keys.admin, { method, url: `${base}/${hiddenId}${suffix}`, ...body })
        const never = await call(keys.admin, { method, url: `${base}/${made}${suffix}`, ...body })
        expect(hidden.statusCode).toBe(404)
        expect(withoutRequestId(hidden.body).replace(hiddenId, made)).toBe(withoutRequestId(never.body))
      }
    }
    const put = await call(keys.negotiator, {
      method: "PUT",
      url: `/packages/${hiddenPackage}`,
      payload: { name: "overtaget", package: pkg("BC05") },
    })
    expect(put.statusCode).toBe(404)
    expect((await call(keys.granted, { url: `/packages/${hiddenPackage}` })).json().name).toBe(
      "Med det fortrolige",
    )
  })

  it("leaves no trace in a user scenario saved with the grant that does not name it", async () => {
    const payload = { title: "Mere service", rules: { limits: { service: 110000 } } }
    const saved = await call(keys.granted, { method: "POST", url: "/scenarios", payload })
    const publicOptimum = await call(keys.admin, {
      method: "POST",
      url: "/scenarios/ofs-2025-26/solve",
      payload: { rules: payload.rules },
    })
    const seen = await call(keys.admin, { url: `/scenarios/saved/${saved.json().id}` })
    expect(seen.statusCode).toBe(200)
    expect(seen.json().figures.objective).toBe(publicOptimum.json().result.objective)
    expect(leaks(seen.body)).toBe(false)
    const solved = await call(keys.admin, {
      method: "POST",
      url: `/scenarios/saved/${saved.json().id}/solve`,
      payload: {},
    })
    expect(leaks(solved.body)).toBe(false)
  })

  it("can be granted to a new key only by a key that has the grant", async () => {
    const payload = { name: "Ny", role: "reader", confidential: true }
    const refused = await call(keys.admin, { method: "POST", url: "/keys", payload })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().issues[0].path).toBe("body.confidential")
    const granted = await call(keys.granted, { method: "POST", url: "/keys", payload })
    expect(granted.statusCode).toBe(201)
    expect((await call(granted.json().key, { url: "/proposals" })).body).toContain(TITLE)
  })

  it("keeps the audit rows of its use from admins without the grant", async () => {
    const all = (await call(keys.granted, { url: "/audit-log?limit=1000" })).json().entries
    const seen = (await call(keys.admin, { url: "/audit-log?limit=1000" })).json().entries
    const hidden = all.filter((e: { confidential: boolean }) => e.confidential)
    expect(hidden.length).toBeGreaterThan(0)
    const seenSeq = new Set(seen.map((e: { seq: number }) => e.seq))
    for (const e of hidden) expect(seenSeq.has(e.seq)).toBe(false)
    expect(logs.join("")).not.toContain(TITLE)
  })
})
