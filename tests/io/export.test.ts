import ExcelJS from "exceljs"
import { HyperFormula } from "hyperformula"
import { beforeAll, describe, expect, it } from "vitest"
import { loadRound } from "../../src/app/round.ts"
import { tableCsv } from "../../src/io/csv.ts"
import { type PackageExport, packageTables } from "../../src/io/packageTables.ts"
import { packageWorkbook } from "../../src/io/packageWorkbook.ts"
import { xlsxBytes } from "../../src/io/roundWorkbook.ts"
import { BUILT_IN_ROUND_DIR } from "../../src/model/round.ts"
import { evaluate } from "../../src/solver/evaluate.ts"
import type { PackageFigures } from "../../src/solver/result.ts"
import { Rules } from "../../src/solver/rules.ts"
import { solve } from "../../src/solver/solve.ts"

const data = loadRound(BUILT_IN_ROUND_DIR)
const scenario = data.scenarios.find((s) => s.id === "ofs-2025-26")
if (!scenario) throw new Error("no ofs-2025-26 scenario")

/** The workbook read back and every formula evaluated by HyperFormula (cached results ignored). */
const evaluated = async (x: PackageExport) => {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load((await xlsxBytes(packageWorkbook(x))) as unknown as ArrayBuffer)
  const sheets: Record<string, (string | number | boolean | null)[][]> = {}
  let formulas = 0
  for (const ws of wb.worksheets) {
    const rows: (string | number | boolean | null)[][] = []
    for (let r = 1; r <= ws.rowCount; r++) {
      const row: (string | number | boolean | null)[] = []
      for (let c = 1; c <= ws.columnCount; c++) {
        const v = ws.getRow(r).getCell(c).value
        if (v !== null && typeof v === "object" && "formula" in v) {
          formulas++
          row.push(`=${v.formula}`)
        } else row.push(v === null || v === undefined ? null : (v as string | number | boolean))
      }
      rows.push(row)
    }
    sheets[ws.name] = rows
  }
  const hf = HyperFormula.buildFromSheets(sheets, { licenseKey: "gpl-v3", smartRounding: false })
  const id = (name: string) => {
    const s = hf.getSheetId(name)
    if (s === undefined) throw new Error(`no sheet ${name}`)
    return s
  }
  /** The evaluated value in `sheet` at `row` (1-based) and `col` (1-based). */
  const at = (sheet: string, row: number, col: number) =>
    hf.getCellValue({ sheet: id(sheet), row: row - 1, col: col - 1 })
  /** The first row (1-based) of `sheet` whose column `col` (1-based) is `label`, after row `after`. */
  const rowOf = (sheet: string, label: string, after = 0, col = 1) => {
    const i = (sheets[sheet] ?? []).findIndex((r, k) => k >= after && r[col - 1] === label)
    if (i < 0) throw new Error(`${label} not on ${sheet}`)
    return i + 1
  }
  // A formula that fails evaluates to an error object (#REF!, #NAME? ...).
  const errors = Object.entries(hf.getAllSheetsValues()).flatMap(([name, rows]) =>
    rows.flatMap((r) =>
      r.filter((v) => v !== null && typeof v === "object").map((v) => `${name}: ${String(v)}`),
    ),
  )
  return { at, rowOf, formulas, errors, sheets }
}

/** Every figure of the summary as the formula engine computes it equals the solver's, exactly. */
const checkSummary = async (x: PackageExport) => {
  const f: PackageFigures = x.figures
  const { at, rowOf, formulas, errors } = await evaluated(x)
  expect(errors).toEqual([])
  expect(formulas).toBeGreaterThan(3 * f.chosen.length)
  const head = rowOf("Oversigt", "Forslag")
  f.chosen.forEach((c, i) => {
    expect(at("Oversigt", head + 1 + i, 1)).toBe(c.proposal)
    expect(at("Oversigt", head + 1 + i, 7)).toBe(c.poolCostPool.service)
    expect(at("Oversigt", head + 1 + i, 8)).toBe(c.poolCostPool.anlaeg)
  })
  const total = rowOf("Oversigt", "I alt")
  expect(at("Oversigt", total, 5)).toBe(f.permanentEffect)
  expect(at("Oversigt", total, 7)).toBe(f.totals.pool.service)
  expect(at("Oversigt", total, 8)).toBe(f.totals.pool.anlaeg)
  expect(at("Oversigt", total + 1, 5)).toBe(-f.permanentEffect)
  const pools = rowOf("Oversigt", "Område")
  for (const [k, area] of (["service", "anlaeg", "combined"] as const).entries()) {
    const left = at("Oversigt", pools + 1 + k, 7)
    if (f.poolLeft[area] === undefined) expect(left).toBeNull()
    else expect(left).toBe(f.poolLeft[area])
  }
  const years = rowOf("Oversigt", "År")
  Object.entries(f.totals.pool.byYear).forEach(([y, used], k) => {
    expect(at("Oversigt", years + 1 + k, 1)).toBe(Number(y))
    expect(at("Oversigt", years + 1 + k, 5)).toBe(used.service)
    expect(at("Oversigt", years + 1 + k, 7)).toBe(used.anlaeg)
    expect(at("Oversigt", years + 1 + k, 9)).toBe(used.service + used.anlaeg)
  })
  // The table-level totals per year on the cash-flow sheet: service block, then anlæg block.
  const serviceTotal = rowOf("Pengestrømme", "I alt", 0, 3)
  const anlaegTotal = rowOf("Pengestrømme", "I alt", serviceTotal, 3)
  Object.entries(f.totals.table.byYear).forEach(([y, used], k) => {
    expect(at("Pengestrømme", serviceTotal - f.chosen.length - 1, 4 + k)).toBe(Number(y))
    expect(at("Pengestrømme", serviceTotal, 4 + k)).toBe(used.service)
    expect(at("Pengestrømme", anlaegTotal, 4 + k)).toBe(used.anlaeg)
  })
  return { at, rowOf }
}

describe("package export", () => {
  let solved: PackageExport
  beforeAll(() => {
    const r = solve(data.proposals, scenario.rules)
    if (r.status !== "optimal") throw new Error(r.status)
    solved = {
      title: scenario.title,
      status: "optimal",
      proposals: data.proposals,
      rules: scenario.rules,
      figures: r.package,
    }
  })

  it("the solved package's formulas, evaluated by HyperFormula, give the solver's figures exactly", async () => {
    expect(solved.figures.chosen.length).toBeGreaterThan(5)
    await checkSummary(solved)
  })

  it("per-year and combined limits: use against the limits and what is left, and broken rules of a hand-picked package", async () => {
    const rules = Rules.parse({
      ...scenario.rules,
      limits: {
        service: 20000,
        anlaeg: 87500,
        combined: 60000,
        perYear: [
          { area: "service", year: 2027, max: 10000 },
          { area: "combined", year: 2026, max: 5000 },
        ],
      },
      payback: { maxYears: 6, exempt: ["BC10"] },
    })
    const e = evaluate(data.proposals, rules, [
      { proposal: "BC10", variant: "base" },
      { proposal: "BC05", variant: "base" },
      { proposal: "BC07", variant: "base" },
    ])
    expect(e.feasible).toBe(false)
    const x: PackageExport = {
      title: "Håndplukket pakke",
      proposals: data.proposals,
      rules,
      figures: e.package,
      broken: e.broken,
    }
    expect(x.figures.poolLeft.service).toBeLessThan(0)
    const { at, rowOf } = await checkSummary(x)
    const years = rowOf("Oversigt", "År")
    expect(at("Oversigt", years + 2, 6)).toBe(10000)
    expect(at("Oversigt", years + 1, 10)).toBe(5000)
    const rulesHead = rowOf("Regler", "Regel")
    const statuses = new Map<string, unknown>()
    for (let r = rulesHead + 1; at("Regler", r, 1) !== null; r++)
      statuses.set(String(at("Regler", r, 1)), at("Regler", r, 7))
    expect(statuses.get("limit:service")).toBe("Brudt")
    expect(statuses.get("limit:anlaeg")).toBe("Overholdt")
    expect([...statuses.values()]).toContain("Brudt")
  })

  it("the workbook is laid out for people: frozen headers, A4 print set-up, overruns marked, Danish number formats", async () => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await xlsxBytes(packageWorkbook(solved))) as unknown as ArrayBuffer)
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Oversigt", "Pengestrømme", "Regler"])
    for (const ws of wb.worksheets) {
      expect(ws.views[0]?.state, ws.name).toBe("frozen")
      expect(ws.pageSetup.paperSize, ws.name).toBe(9)
      expect(ws.pageSetup.fitToWidth, ws.name).toBe(1)
    }
    const summary = wb.getWorksheet("Oversigt")
    const marked = (summary as unknown as { conditionalFormattings: unknown[] }).conditionalFormattings
    expect(marked.length).toBeGreaterThan(0)
    expect(summary?.getCell("A3").value).toBe(
      "Beløb i 1.000 kr. Effekter og tabeller i 2027 p/l; puljemidler i 2026 p/l (puljens prisniveau).",
    )
    const formats = new Set<string>()
    summary?.eachRow((row) => {
      row.eachCell((cell) => {
        if (cell.numFmt) formats.add(cell.numFmt)
      })
    })
    expect(formats).toContain('#,##0;-#,##0;"-"')
    expect(formats).toContain('#,##0.0;-#,##0.0;"-"')
  })

  it("CSV: the same tables, ';' with decimal comma for Danish Excel and a plain ',' '.' variant", () => {
    const tables = packageTables(solved)
    expect(tables.map((t) => t.name)).toEqual(["forslag", "puljer", "pr-aar", "pengestroemme", "regler"])
    const forslag = tables[0]
    if (!forslag) throw new Error("no table")
    const da = tableCsv(forslag, "da")
    const plain = tableCsv(forslag, "plain")
    expect(
      da.startsWith(
        "\uFEFFForslag;Variant;Titel;Udvalg;Effektivisering v. fuld indfasning (1.000 kr. 2027 p/l)",
      ),
    ).toBe(true)
    const total = (csv: string, sep: string) => csv.trim().split(/\r?\n/).at(-1)?.split(sep) ?? []
    const pool = solved.figures.totals.pool
    expect(total(da, ";").slice(6)).toEqual([
      String(pool.service).replace(".", ","),
      String(pool.anlaeg).replace(".", ","),
    ])
    expect(total(plain, ",").slice(6).map(Number)).toEqual([pool.service, pool.anlaeg])
    expect(plain.split("\n")).toHaveLength(solved.figures.chosen.length + 3)
    // A title with the separator in it is quoted.
    expect(tableCsv({ name: "t", header: ["a"], rows: [["x,y"]] }, "plain")).toBe('a\n"x,y"\n')
  })
})
