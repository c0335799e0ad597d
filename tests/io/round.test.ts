import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import ExcelJS from "exceljs"
import fc from "fast-check"
import { HyperFormula } from "hyperformula"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { readRoundWorkbook } from "../../src/io/readWorkbook.ts"
import { importRoundWorkbook, seedRound, writeRoundFolder } from "../../src/io/roundFolder.ts"
import { roundWorkbook, templateWorkbook, xlsxBytes } from "../../src/io/roundWorkbook.ts"
import { plain } from "../../src/io/sheet.ts"
import { auditAll } from "../../src/model/audit.ts"
import { type DataSet, loadDataSet } from "../../src/model/load.ts"
import { BUILT_IN_ROUND_DIR } from "../../src/model/round.ts"

let today: DataSet
let bytes: Buffer
let back: Awaited<ReturnType<typeof readRoundWorkbook>>
let dir: string

beforeAll(async () => {
  today = loadDataSet(BUILT_IN_ROUND_DIR)
  bytes = await xlsxBytes(roundWorkbook(today))
  back = await readRoundWorkbook(bytes)
  dir = mkdtempSync(join(tmpdir(), "pulje-io-"))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Load `b`, let `edit` change it, and return the new bytes. */
const edited = async (b: Buffer, edit: (wb: ExcelJS.Workbook) => void) => {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(b as unknown as ArrayBuffer)
  edit(wb)
  return xlsxBytes(wb)
}

const sheet = (wb: ExcelJS.Workbook, name: string) => {
  const ws = wb.getWorksheet(name)
  if (!ws) throw new Error(`no sheet ${name}`)
  return ws
}

/** The first cell of `sheet` whose value is `value` (in the given column, if any). */
const find = (wb: ExcelJS.Workbook, sheet: string, value: string | number, col?: number) => {
  const ws = wb.getWorksheet(sheet)
  if (!ws) throw new Error(`no sheet ${sheet}`)
  for (let r = 1; r <= ws.rowCount; r++)
    for (let c = col ?? 1; c <= (col ?? ws.columnCount); c++) {
      const cell = ws.getRow(r).getCell(c)
      if (plain(cell.value) === value) return cell
    }
  throw new Error(`${value} not on ${sheet}`)
}

const snapshot = (d: string) =>
  readdirSync(d, { recursive: true })
    .map(String)
    .sort()
    .map((f) => [f, f.endsWith(".json") ? readFileSync(join(d, f), "utf8") : ""])

describe("round workbook", () => {
  it("today's 30 proposals, written with the template's writer, read back to exactly today's data", async () => {
    expect(back.findings.filter((f) => f.severity === "error")).toEqual([])
    expect(back.round?.proposals).toHaveLength(30)
    expect(back.round?.proposals).toStrictEqual(today.proposals)
    expect(back.round?.overview).toStrictEqual(today.overview)
    expect(back.round?.config).toStrictEqual(today.config)
  })

  it("reports every audit finding with its sheet and cell, and the same findings as the audit", async () => {
    const audit = auditAll(today.proposals, today.overview, today.config)
    expect(back.findings.map((f) => [f.what, f.printed, f.computed, f.recorded])).toEqual(
      audit.map((f) => [f.what, f.printed, f.computed, f.recorded]),
    )
    expect(back.findings.every((f) => f.cell !== undefined)).toBe(true)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    // Each finding's cell holds the printed figure it reports.
    for (const f of back.findings)
      if (typeof f.printed === "number" && f.cell)
        expect(plain(wb.getWorksheet(f.sheet)?.getCell(f.cell).value) ?? 0, `${f.sheet}!${f.cell}`).toBe(
          f.printed,
        )
    const bc34 = back.findings.find((f) => f.sheet === "BC34")
    expect(bc34?.message).toMatch(
      /^Ark BC34, celle [A-Z]+\d+: Samlet økonomisk påvirkning 2027: trykt 16\.666, beregnet 16\.667/,
    )
  })

  it("the sheets mark each printed total that differs from its lines, exactly where the audit finds it", async () => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    const sheets: Record<string, (string | number | null)[][]> = {}
    for (const ws of wb.worksheets) {
      const rows: (string | number | null)[][] = []
      for (let r = 1; r <= ws.rowCount; r++) {
        const row: (string | number | null)[] = []
        for (let c = 1; c <= ws.columnCount; c++) {
          const v = plain(ws.getRow(r).getCell(c).value)
          // Text as text: HyperFormula would read "=…" or "1,5" in a label as a formula or number.
          row.push(typeof v === "string" ? `'${v}` : typeof v === "boolean" ? null : v)
        }
        rows.push(row)
      }
      sheets[ws.name] = rows
    }
    const hf = HyperFormula.buildFromSheets(sheets, { licenseKey: "gpl-v3" })
    const found = new Set(back.findings.map((f) => `${f.sheet}!${f.cell}`))
    let marked = 0
    let checked = 0
    for (const name of ["Oversigt", ...today.proposals.map((p) => p.id)]) {
      const ws = wb.getWorksheet(name)
      const id = hf.getSheetId(name)
      if (!ws || id === undefined) throw new Error(`no sheet ${name}`)
      const rules = (
        ws as unknown as { conditionalFormattings: { ref: string; rules: { formulae: string[] }[] }[] }
      ).conditionalFormattings
      for (const cf of rules) {
        const [, first = "D", last = "D", row = ""] = /^([A-Z]+)\d+:([A-Z]+)(\d+)$/.exec(cf.ref) ?? []
        for (let c = first.charCodeAt(0); c <= last.charCodeAt(0); c++) {
          const col = String.fromCharCode(c)
          const formula = (cf.rules[0]?.formulae[0] ?? "").replace(/\bD(?=\$?\d)/g, col)
          const red = hf.calculateFormula(`=${formula}`, id)
          expect(red, `${name}!${col}${row}: ${formula}`).toBe(found.has(`${name}!${col}${row}`))
          checked++
          if (red) marked++
        }
      }
    }
    expect(checked).toBeGreaterThan(500)
    const totals = auditAll(today.proposals, today.overview, today.config).filter(
      (f) => f.check === "total" || f.check === "impact" || f.check === "overview-total",
    )
    expect(marked).toBe(totals.length)
  })

  it("imports into a round folder that loads as today's data set", async () => {
    const out = await importRoundWorkbook(bytes, dir, { roundId: "copy" })
    expect(out.status).toBe("written")
    const loaded = loadDataSet(join(dir, "copy"))
    expect(loaded.proposals).toStrictEqual(today.proposals)
    expect(loaded.overview).toStrictEqual(today.overview)
    expect(loadDataSet(join(dir, "copy")).config.id).toBe("copy")
    expect(readdirSync(join(dir, "copy")).sort()).toEqual([
      "overview.json",
      "proposals",
      "round.json",
      "what-ifs",
    ])
  })

  it("a bad file changes nothing and names each bad cell", async () => {
    await importRoundWorkbook(bytes, dir, { roundId: "keep" })
    const before = snapshot(join(dir, "keep"))
    const bad = await edited(bytes, (wb) => {
      find(wb, "BC05", "Specialkørsel – Investering i cykler til selvmestring", 2).value = null
      find(wb, "BC07", "Service", 2).value = "Drift"
      const pur = find(wb, "BC10", "PUR-behandling (ca. 80 matrikler)", 1)
      sheet(wb, "BC10").getRow(Number(pur.row)).getCell(5).value = "mange"
    })
    const out = await importRoundWorkbook(bad, dir, { roundId: "keep", replace: true })
    expect(out).toMatchObject({ status: "rejected", reason: "errors" })
    const messages = out.findings.map((f) => `${f.sheet}!${f.cell}: ${f.message}`)
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^BC05!B4: Ark BC05, celle B4: Titel mangler/),
        expect.stringMatching(/^BC07!B\d+: .*styringsområdet "Drift"/),
        expect.stringMatching(/^BC10!E\d+: .*Beløb har forkert type/),
      ]),
    )
    expect(snapshot(join(dir, "keep"))).toEqual(before)
    expect(readdirSync(dir).filter((f) => f.startsWith("."))).toEqual([])
  })

  it("a printed total that disagrees with its lines is kept as printed and stops the import unless accepted", async () => {
    let at = ""
    const bad = await edited(bytes, (wb) => {
      const row = find(wb, "BC05", "Samlet varig ændring", 1)
      const cell = sheet(wb, "BC05").getRow(Number(row.row)).getCell(4)
      at = cell.address
      cell.value = -455
    })
    const refused = await importRoundWorkbook(bad, dir, { roundId: "totals" })
    expect(refused).toMatchObject({ status: "rejected", reason: "unrecorded" })
    const f = refused.findings.find((x) => !x.recorded)
    expect(f).toMatchObject({
      sheet: "BC05",
      cell: at,
      printed: -455,
      computed: -454,
      what: "Samlet varig ændring 2026",
    })
    expect(readdirSync(dir)).not.toContain("totals")
    const accepted = await importRoundWorkbook(bad, dir, { roundId: "totals", acceptFindings: true })
    expect(accepted.status).toBe("written")
    const bc05 = loadDataSet(join(dir, "totals")).proposals.find((p) => p.id === "BC05")
    expect(bc05?.variants[0]?.totals[0]?.values[0]).toBe(-455)
  })

  it("an existing round is replaced only when asked, keeping its what-ifs", async () => {
    const first = await importRoundWorkbook(bytes, dir, { roundId: "twice" })
    expect(first.status).toBe("written")
    expect(await importRoundWorkbook(bytes, dir, { roundId: "twice" })).toMatchObject({ reason: "exists" })
    writeFileSync(join(dir, "twice", "what-ifs", "mine.json"), "{}\n")
    const seeded = seedRound(today, ["BC05"], { id: "twice", title: "Anden runde" })
    writeRoundFolder(dir, seeded, { replace: true })
    expect(loadDataSet(join(dir, "twice")).proposals.map((p) => p.id)).not.toContain("BC05")
    expect(readFileSync(join(dir, "twice", "what-ifs", "mine.json"), "utf8")).toBe("{}\n")
  })

  it("the empty template reads back with errors on the example sheet only, and once filled in imports", async () => {
    const template = await xlsxBytes(templateWorkbook(today.config))
    const empty = await readRoundWorkbook(template)
    expect(empty.round).toBeNull()
    expect(new Set(empty.findings.map((f) => f.sheet))).toEqual(new Set(["Runde", "Forslag"]))
    const filled = await edited(template, (wb) => {
      const r = sheet(wb, "Runde")
      r.getCell("B3").value = "budget-2027"
      r.getCell("B4").value = "Budget 2027"
      const pool = find(wb, "Runde", "Service-pulje", 1)
      r.getRow(Number(pool.row)).getCell(2).value = 50000
      const ws = sheet(wb, "Forslag")
      for (const [addr, v] of [
        ["B3", "BC99"],
        ["B4", "Et nyt forslag"],
        ["B5", "Økonomiudvalget"],
        ["B6", "Økonomiforvaltningen"],
        ["B9", 1],
        ["B10", 2],
      ] as const)
        ws.getCell(addr).value = v
      const perm = Number(find(wb, "Forslag", "Varige ændringer (effektiviseringer og drift)", 1).row) + 1
      ws.getRow(perm).values = ["Færre udgifter", "Service", null, 0, -100, -200, -200, -200, -200]
      const impl =
        Number(find(wb, "Forslag", "Implementeringsomkostninger (midler fra investeringspuljen)", 1).row) + 1
      ws.getRow(impl).values = ["Investering", "Anlæg", "Anlæg", 500]
      const total = (label: string, values: number[]) => {
        const row = Number(find(wb, "Forslag", label, 1).row)
        values.forEach((x, i) => {
          ws.getRow(row).getCell(4 + i).value = x
        })
      }
      total("Samlet varig ændring", [0, -100, -200, -200, -200, -200])
      total("Samlede implementeringsomkostninger", [500, 0, 0, 0, 0, 0])
      total("Samlet økonomisk påvirkning", [500, -100, -200, -200, -200, -200])
      for (const label of [
        "Tilbagebetalingstid baseret på serviceeffektivisering",
        "Tilbagebetalingstid baseret på totaløkonomi",
      ]) {
        const row = Number(find(wb, "Forslag", label, 1).row)
        ws.getRow(row).getCell(4).value = 4
      }
      const o = sheet(wb, "Oversigt")
      const first = Number(find(wb, "Oversigt", "Udvalg", 1).row) + 1
      o.getRow(first).values = ["Økonomiudvalget", "BC99", "Et nyt forslag", 0, 489, -200, 4]
      const total2 = find(wb, "Oversigt", "I alt", 1)
      o.getRow(Number(total2.row)).values = ["I alt", null, null, 0, 489, -200, "-"]
    })
    const out = await importRoundWorkbook(filled, dir)
    expect(out.findings).toEqual([])
    expect(out.status).toBe("written")
    const round = loadDataSet(join(dir, "budget-2027"))
    expect(round.config.title).toBe("Budget 2027")
    // The Runde sheet's pool is the new round's default what-if.
    const whatIf = JSON.parse(readFileSync(join(dir, "budget-2027", "what-ifs", "budget-2027.json"), "utf8"))
    expect(whatIf.rules.limits).toEqual({ service: 50000 })
    expect(round.proposals[0]?.variants[0]?.lines.map((l) => [l.area, l.printedArea, l.values])).toEqual([
      ["service", "", [0, -100, -200, -200, -200, -200]],
      ["anlaeg", "Anlæg", [500, 0, 0, 0, 0, 0]],
    ])
  })

  it("seeds a round from today's with the proposals a package did not fund", () => {
    const funded = ["BC05", "BC15", "BC16"]
    const next = seedRound(today, funded, { id: "budget-2027", title: "Budget 2027" })
    expect(next.proposals.map((p) => p.id)).toEqual(
      today.proposals.map((p) => p.id).filter((id) => !funded.includes(id)),
    )
    const unexplained = auditAll(next.proposals, next.overview, next.config).filter((f) => !f.recorded)
    expect(unexplained).toEqual([])
    expect(next.overview.committees.flatMap((c) => c.rows)).toHaveLength(27)
    expect(next.config).toMatchObject({ id: "budget-2027", tablePriceLevel: 2027, poolPriceLevel: 2026 })
  })
})

describe("round workbook, any text", () => {
  it("labels, notes, printed areas and anomaly figures of any text read back as they were", async () => {
    const base = today.proposals.find((p) => p.id === "BC10")
    if (!base) throw new Error("no BC10")
    // Text a spreadsheet might take for something else: formulas, numbers, dates, spaces, quotes.
    const text = fc.oneof(
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.constantFrom(
        "=SUM(A1:A2)",
        "0123",
        "1.234",
        "-",
        "2026",
        " lead",
        "trail ",
        "'quoted",
        "æøå ÆØÅ",
        "I alt",
        "Variant",
      ),
    )
    await fc.assert(
      fc.asyncProperty(
        text,
        text,
        text,
        fc.oneof(text, fc.integer()),
        async (label, note, printedArea, printed) => {
          const [v0, v1] = base.variants
          if (!v0 || !v1) throw new Error("BC10 has two variants")
          const lines = v0.lines.map((l, i) => (i === 0 ? { ...l, label, note, printedArea } : l))
          const p = {
            ...base,
            variants: [{ ...v0, lines }, v1],
            anomalies: [{ kind: "other" as const, description: label, printed }],
          }
          const round = { ...today, proposals: [p], overview: today.overview }
          const back = await readRoundWorkbook(await xlsxBytes(roundWorkbook(round)))
          expect(back.findings.filter((f) => f.severity === "error")).toEqual([])
          expect(back.round?.proposals[0]).toStrictEqual(p)
        },
      ),
      { numRuns: 15, seed: 12 },
    )
  })
})
