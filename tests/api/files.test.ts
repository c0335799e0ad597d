import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import ExcelJS from "exceljs"
import type { FastifyInstance } from "fastify"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildApp } from "../../src/api/app.ts"
import { XLSX_TYPE } from "../../src/app/useCases/roundFiles.ts"
import { BUILT_IN_ROUND_DIR } from "../../src/model/round.ts"

let app: FastifyInstance
let dir: string
let before: string | undefined

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pulje-api-files-"))
  cpSync(BUILT_IN_ROUND_DIR, join(dir, "ofs-2025-26"), { recursive: true })
  before = process.env.PULJE_ROUNDS_DIR
  process.env.PULJE_ROUNDS_DIR = dir
  app = await buildApp({ threads: 0, validateResponses: true })
})
afterAll(async () => {
  await app.close()
  if (before === undefined) delete process.env.PULJE_ROUNDS_DIR
  else process.env.PULJE_ROUNDS_DIR = before
  rmSync(dir, { recursive: true, force: true })
})

const workbook = async (body: Buffer) => {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(body as unknown as ArrayBuffer)
  return wb
}

describe("files over REST", () => {
  it("exports a scenario's package as xlsx and one table as CSV", async () => {
    const x = await app.inject({
      method: "POST",
      url: "/scenarios/ofs-2025-26/export?format=xlsx",
      payload: {},
    })
    expect(x.statusCode).toBe(200)
    expect(x.headers["content-type"]).toBe(XLSX_TYPE)
    expect(x.headers["content-disposition"]).toBe('attachment; filename="ofs-2025-26.xlsx"')
    expect((await workbook(x.rawPayload)).worksheets.map((w) => w.name)).toEqual([
      "Oversigt",
      "Pengestrømme",
      "Regler",
    ])
    const c = await app.inject({
      method: "POST",
      url: "/scenarios/ofs-2025-26/export?format=csv&table=puljer",
      payload: { rules: { limits: { service: 120000 } } },
    })
    expect(c.statusCode).toBe(200)
    expect(c.headers["content-type"]).toMatch(/^text\/csv/)
    expect(c.payload.split("\r\n")[1]).toMatch(/^Service;[\d,]+;120000;[\d,]+$/)
    const bad = await app.inject({
      method: "POST",
      url: "/scenarios/ofs-2025-26/export?format=pdf",
      payload: {},
    })
    expect(bad.statusCode).toBe(400)
    const none = await app.inject({ method: "POST", url: "/scenarios/nope/export", payload: {} })
    expect(none.statusCode).toBe(404)
  })

  it("exports a hand-picked package with the rules it breaks", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/evaluate/export?format=csv-plain&table=regler",
      payload: { package: [{ proposal: "BC10" }], rules: { limits: { service: 1000 } } },
    })
    expect(r.statusCode).toBe(200)
    expect(r.payload).toMatch(/\nlimit:service,.*,Brudt,/)
  })

  it("imports a round workbook, serves it under /rounds/:round, and refuses a bad file without writing", async () => {
    const t = await app.inject({ method: "GET", url: "/round.xlsx" })
    expect(t.statusCode).toBe(200)
    const put = (url: string, body: Buffer) =>
      app.inject({ method: "POST", url, payload: body, headers: { "content-type": XLSX_TYPE } })
    const ok = await put("/rounds/import?round=budget-2027", t.rawPayload)
    expect(ok.statusCode).toBe(201)
    expect(ok.json()).toMatchObject({ status: "written", round: { id: "budget-2027", proposals: 30 } })
    expect((await app.inject({ method: "GET", url: "/rounds" })).json().rounds).toEqual([
      "budget-2027",
      "ofs-2025-26",
    ])
    const solved = await app.inject({
      method: "POST",
      url: "/rounds/budget-2027/scenarios/budget-2027/solve",
      payload: { rules: { limits: { service: 100000, anlaeg: 87500 } } },
    })
    expect(solved.statusCode).toBe(200)
    const same = await app.inject({ method: "POST", url: "/scenarios/ofs-2025-26/solve", payload: {} })
    expect(solved.json().result.objective).toBe(same.json().result.objective)
    expect((await app.inject({ method: "GET", url: "/rounds/nope/proposals" })).statusCode).toBe(404)
    expect((await put("/rounds/import?round=budget-2027", t.rawPayload)).statusCode).toBe(409)
    const wb = await workbook(t.rawPayload)
    const ws = wb.getWorksheet("BC05")
    if (!ws) throw new Error("no BC05")
    ws.getCell("B4").value = null
    const bad = await put("/rounds/import?round=budget-2029", Buffer.from(await wb.xlsx.writeBuffer()))
    expect(bad.statusCode).toBe(422)
    expect(bad.json().findings[0]).toMatchObject({ sheet: "BC05", cell: "B4", severity: "error" })
    expect((await app.inject({ method: "GET", url: "/rounds" })).json().rounds).not.toContain("budget-2029")
    expect(readFileSync(join(dir, "budget-2027", "round.json"), "utf8")).toContain('"id": "budget-2027"')
    // Imported anew with replace: the service answers from the new files, not the loaded copy.
    const without = await workbook(t.rawPayload)
    without.removeWorksheet(without.getWorksheet("BC05")?.id ?? -1)
    const o = without.getWorksheet("Oversigt")
    if (!o) throw new Error("no Oversigt")
    o.eachRow((row) => {
      if (row.getCell(2).value === "BC05") row.values = []
    })
    const replaced = await put(
      "/rounds/import?round=budget-2027&replace=true&acceptFindings=true",
      Buffer.from(await without.xlsx.writeBuffer()),
    )
    expect(replaced.statusCode).toBe(201)
    const ids = (await app.inject({ method: "GET", url: "/rounds/budget-2027/proposals" }))
      .json()
      .proposals.map((p: { id: string }) => p.id)
    expect(ids).toHaveLength(29)
    expect(ids).not.toContain("BC05")
  })

  it("seeds a round from a scenario's unfunded proposals, and refuses an upload that is not a file", async () => {
    const seeded = await app.inject({
      method: "POST",
      url: "/rounds/seed",
      payload: { round: "budget-2028", title: "Budget 2028" },
    })
    expect(seeded.statusCode).toBe(201)
    expect(seeded.json()).toMatchObject({
      round: { id: "budget-2028", proposals: 18 },
      scenario: "ofs-2025-26",
    })
    expect(seeded.json().funded).toContain("BC05")
    const again = await app.inject({
      method: "POST",
      url: "/rounds/seed",
      payload: { round: "budget-2028", title: "x" },
    })
    expect(again.statusCode).toBe(409)
    const listed = await app.inject({ method: "GET", url: "/rounds/budget-2028/proposals" })
    expect(listed.statusCode).toBe(200)
    const json = await app.inject({ method: "POST", url: "/rounds/import", payload: { round: "x" } })
    expect(json.statusCode).toBe(400)
    expect(json.json().issues[0].path).toBe("body")
    const empty = await app.inject({
      method: "POST",
      url: "/rounds/import",
      payload: Buffer.from("no zip"),
      headers: { "content-type": XLSX_TYPE },
    })
    expect(empty.statusCode).toBe(422)
    expect(empty.json().findings[0].message).toMatch(/ikke en xlsx-fil/)
  })

  it("documents the file endpoints in OpenAPI and hides the per-round copies", async () => {
    const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json()
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/rounds",
        "/rounds/import",
        "/round/template.xlsx",
        "/scenarios/{id}/export",
        "/evaluate/export",
      ]),
    )
    expect(Object.keys(doc.paths).filter((p) => p.startsWith("/rounds/{round}"))).toEqual([])
  })
})
