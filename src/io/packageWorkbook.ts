import ExcelJS from "exceljs"
import {
  AREA_NAME,
  cashFlowRows,
  chosenHeader,
  limitOf,
  type PackageExport,
  packageYears,
  ruleStatuses,
  yearLimitOf,
} from "./packageTables.ts"
import {
  a4,
  columnName,
  DECIMAL_FORMAT,
  frozen,
  HEADER_FILL,
  INTEGER_FORMAT,
  OVERRUN_STYLE,
  PERCENT_FORMAT,
  styleRow,
  TOTAL_FILL,
} from "./sheet.ts"

/**
 * A package as an xlsx workbook: Oversigt (chosen proposals, yearly saving, pool use against the
 * limits per area and per year, what is left), Pengestrømme (pool costs and permanent change per
 * proposal and year) and Regler (each rule and its status). Totals are live formulas over the
 * proposal rows; overruns are marked by conditional formatting.
 */

const SHEETS = { summary: "Oversigt", flows: "Pengestrømme", rules: "Regler" } as const
const ref = (sheet: string, address: string) => `'${sheet}'!${address}`
const BOLD = { font: { bold: true } }

type Formula = { formula: string; result: number }
const formula = (f: string, result: number): Formula => ({ formula: f, result })

/** A header row; columns from `firstNumber` on hold amounts, so their headings sit right, above the figures. */
const header = (ws: ExcelJS.Worksheet, values: readonly string[], firstNumber = values.length + 1) => {
  const row = ws.addRow([...values])
  styleRow(row, 1, values.length, {
    fill: HEADER_FILL,
    font: { bold: true },
    alignment: { wrapText: true, vertical: "top" },
  })
  for (let c = firstNumber; c <= values.length; c++)
    row.getCell(c).alignment = { wrapText: true, vertical: "top", horizontal: "right" }
  // Spreadsheets do not grow a row for wrapped text on their own: give it the lines it needs.
  const lines = values.map((v, i) => Math.ceil(v.length / Math.max(1, (ws.getColumn(i + 1).width ?? 10) - 1)))
  row.height = 15 * Math.max(1, ...lines)
  return row
}

const formats = (row: ExcelJS.Row, from: number, to: number, numFmt: string) => {
  for (let c = from; c <= to; c++) row.getCell(c).numFmt = numFmt
}

/** Where the cash-flow sheet keeps each figure, for the summary's formulas. */
interface FlowCells {
  /** Per chosen proposal (solver order): the pool-p/l whole-period cell per area. */
  readonly poolTotal: { service: string; anlaeg: string }[]
  /** Per year: the pool-p/l total cell per area. */
  readonly poolYear: Map<number, { service: string; anlaeg: string }>
}

const flowSheet = (wb: ExcelJS.Workbook, x: PackageExport): FlowCells => {
  const ws = wb.addWorksheet(SHEETS.flows, { pageSetup: { ...a4("landscape"), printTitlesRow: "1:1" } })
  const years = packageYears(x)
  const rows = cashFlowRows(x, years)
  const { tablePriceLevel: t, poolPriceLevel: q } = x.figures
  const first = 4
  const last = first + years.length - 1
  const totalCol = last + 1
  const factorCol = last + 2
  ws.columns = [
    { width: 9 },
    { width: 12 },
    { width: 50 },
    ...years.map(() => ({ width: 11 })),
    { width: 12 },
    { width: 10 },
  ]
  const top = ws.addRow([
    `Pengestrømme pr. forslag og år. Beløb i 1.000 kr.; tabellerne i ${t} p/l, puljen betaler i ${q} p/l.`,
  ])
  top.getCell(1).font = { bold: true }
  ws.views = frozen(1, 3)
  const out: FlowCells = { poolTotal: rows.map(() => ({ service: "", anlaeg: "" })), poolYear: new Map() }
  const block = (
    title: string,
    cells: (r: (typeof rows)[number], rowNumber: number, index: number) => (number | Formula | null)[],
    total: ((rowNumbers: number[]) => void) | null,
    numFmt: string,
  ) => {
    ws.addRow([])
    header(
      ws,
      [
        "Forslag",
        "Variant",
        title,
        ...years.map(String),
        "I alt",
        ...(numFmt === DECIMAL_FORMAT ? ["Faktor"] : []),
      ],
      first,
    )
    const numbers: number[] = []
    rows.forEach((r, i) => {
      const row = ws.addRow([r.proposal, r.variant, r.title])
      cells(r, row.number, i).forEach((v, k) => {
        row.getCell(first + k).value = v
      })
      formats(row, first, totalCol, numFmt)
      numbers.push(row.number)
    })
    total?.(numbers)
  }
  const sumRow = (label: string, numbers: number[], values: (c: number) => number, numFmt: string) => {
    const row = ws.addRow([null, null, label])
    for (let c = first; c <= totalCol; c++) {
      const range = numbers.length ? `${columnName(c)}${numbers[0]}:${columnName(c)}${numbers.at(-1)}` : null
      row.getCell(c).value = range ? formula(`SUM(${range})`, values(c)) : 0
    }
    formats(row, first, totalCol, numFmt)
    styleRow(row, 1, totalCol, { fill: TOTAL_FILL, ...BOLD })
    return row
  }
  const tableRows = new Map<string, number>()
  for (const area of ["service", "anlaeg"] as const) {
    block(
      `Puljemidler, ${AREA_NAME[area].toLowerCase()} (1.000 kr. ${t} p/l)`,
      (r, rowNumber, i) => {
        tableRows.set(`${area}:${i}`, rowNumber)
        const s = r.table[area].reduce((a, b) => a + b, 0)
        return [
          ...r.table[area],
          formula(`SUM(${columnName(first)}${rowNumber}:${columnName(last)}${rowNumber})`, s),
        ]
      },
      (numbers) =>
        sumRow(
          "I alt",
          numbers,
          (c) =>
            rows.reduce(
              (a, r) =>
                a +
                (c === totalCol ? r.table[area].reduce((s, v) => s + v, 0) : (r.table[area][c - first] ?? 0)),
              0,
            ),
          INTEGER_FORMAT,
        ),
      INTEGER_FORMAT,
    )
  }
  for (const area of ["service", "anlaeg"] as const) {
    block(
      `Puljemidler, ${AREA_NAME[area].toLowerCase()} (1.000 kr. ${q} p/l)`,
      (r, rowNumber, i) => {
        const src = tableRows.get(`${area}:${i}`) ?? 0
        const fCell = `$${columnName(factorCol)}${rowNumber}`
        const c = x.figures.chosen[i]
        ;(out.poolTotal[i] as { service: string; anlaeg: string })[area] = ref(
          SHEETS.flows,
          `${columnName(totalCol)}${rowNumber}`,
        )
        ws.getRow(rowNumber).getCell(factorCol).value = r.factor[area]
        ws.getRow(rowNumber).getCell(factorCol).numFmt = "0.000000"
        return [
          ...years.map((_, k) =>
            formula(`${columnName(first + k)}${src}*${fCell}`, (r.table[area][k] ?? 0) * r.factor[area]),
          ),
          // The whole period converted at once, as the solver does (not the sum of converted years).
          formula(`${columnName(totalCol)}${src}*${fCell}`, c?.poolCostPool[area] ?? 0),
        ]
      },
      (numbers) => {
        const row = sumRow(
          "I alt",
          numbers,
          (c) =>
            c === totalCol
              ? x.figures.totals.pool[area]
              : (x.figures.totals.pool.byYear[String(years[c - first])]?.[area] ?? 0),
          DECIMAL_FORMAT,
        )
        years.forEach((y, k) => {
          const cells = out.poolYear.get(y) ?? { service: "", anlaeg: "" }
          cells[area] = ref(SHEETS.flows, `${columnName(first + k)}${row.number}`)
          out.poolYear.set(y, cells)
        })
      },
      DECIMAL_FORMAT,
    )
  }
  block(
    `Varig ændring (1.000 kr. ${t} p/l; negativ = besparelse)`,
    (r) => [...r.permanent, null],
    (numbers) => {
      sumRow(
        "I alt",
        numbers,
        (c) => rows.reduce((a, r) => a + (r.permanent[c - first] ?? 0), 0),
        INTEGER_FORMAT,
      ).getCell(totalCol).value = null
    },
    INTEGER_FORMAT,
  )
  return out
}

const summarySheet = (ws: ExcelJS.Worksheet, x: PackageExport, flows: FlowCells) => {
  const { figures: f, rules } = x
  const { tablePriceLevel: t, poolPriceLevel: q } = f
  ws.columns = [
    { width: 10 },
    { width: 12 },
    { width: 50 },
    { width: 36 },
    { width: 16 },
    { width: 14 },
    { width: 16 },
    { width: 16 },
    { width: 16 },
    { width: 16 },
  ]
  ws.addRow([x.title]).getCell(1).font = { bold: true, size: 14 }
  if (x.status) ws.addRow([`Status: ${x.status}`])
  ws.addRow([
    `Beløb i 1.000 kr. Effekter og tabeller i ${t} p/l; puljemidler i ${q} p/l (puljens prisniveau).`,
  ])
  ws.addRow([])
  const head = header(ws, chosenHeader(t, q), 5)
  ws.views = frozen(head.number, 1)
  ws.pageSetup.printTitlesRow = `${head.number}:${head.number}`
  const firstRow = head.number + 1
  f.chosen.forEach((c, i) => {
    const row = ws.addRow([c.proposal, c.variant, c.title, c.committee, c.permanentEffect, c.paybackYears])
    const cells = flows.poolTotal[i]
    row.getCell(7).value = formula(cells?.service ?? "0", c.poolCostPool.service)
    row.getCell(8).value = formula(cells?.anlaeg ?? "0", c.poolCostPool.anlaeg)
    formats(row, 5, 5, INTEGER_FORMAT)
    formats(row, 7, 8, DECIMAL_FORMAT)
  })
  const lastRow = firstRow + f.chosen.length - 1
  const range = (c: string) => (f.chosen.length ? `SUM(${c}${firstRow}:${c}${lastRow})` : "0")
  const total = ws.addRow(["I alt"])
  total.getCell(5).value = formula(range("E"), f.permanentEffect)
  total.getCell(7).value = formula(range("G"), f.totals.pool.service)
  total.getCell(8).value = formula(range("H"), f.totals.pool.anlaeg)
  formats(total, 5, 5, INTEGER_FORMAT)
  formats(total, 7, 8, DECIMAL_FORMAT)
  styleRow(total, 1, 8, { fill: TOTAL_FILL, ...BOLD })
  const saving = ws.addRow([`Årlig besparelse v. fuld indfasning (1.000 kr. ${t} p/l)`])
  saving.getCell(5).value = formula(`-E${total.number}`, -f.permanentEffect)
  formats(saving, 5, 5, INTEGER_FORMAT)
  saving.getCell(1).font = { bold: true }

  ws.addRow([])
  ws.addRow([`Puljerne over hele perioden (1.000 kr. ${q} p/l)`]).getCell(1).font = { bold: true }
  header(
    ws,
    ["Område", null, null, "", "Brugt", "Ramme", "Tilbage", "Udnyttelse"].map((s) => s ?? ""),
    5,
  )
  const poolRow = new Map<string, number>()
  for (const area of ["service", "anlaeg", "combined"] as const) {
    const limit = limitOf(rules, area)
    const row = ws.addRow([AREA_NAME[area]])
    const r = row.number
    poolRow.set(area, r)
    const s = poolRow.get("service") ?? 0
    const a = poolRow.get("anlaeg") ?? 0
    const usedValue =
      area === "service"
        ? f.totals.pool.service
        : area === "anlaeg"
          ? f.totals.pool.anlaeg
          : f.totals.pool.service + f.totals.pool.anlaeg
    row.getCell(5).value =
      area === "combined"
        ? formula(`E${s}+E${a}`, usedValue)
        : formula(`${area === "service" ? "G" : "H"}${total.number}`, usedValue)
    if (limit !== undefined) {
      row.getCell(6).value = limit
      // For the combined pool: limit − service − anlæg, in that order, as the solver subtracts.
      row.getCell(7).value = formula(
        area === "combined" ? `F${r}-E${s}-E${a}` : `F${r}-E${r}`,
        f.poolLeft[area] ?? 0,
      )
      row.getCell(8).value = formula(`IF(F${r}=0,0,E${r}/F${r})`, limit === 0 ? 0 : usedValue / limit)
    }
    formats(row, 5, 7, DECIMAL_FORMAT)
    row.getCell(8).numFmt = PERCENT_FORMAT
  }
  const pFirst = poolRow.get("service") ?? 0
  ws.addConditionalFormatting({
    ref: `G${pFirst}:G${pFirst + 2}`,
    rules: [
      {
        type: "expression",
        priority: 1,
        formulae: [`AND(ISNUMBER(F${pFirst}),G${pFirst}<0)`],
        style: OVERRUN_STYLE,
      },
    ],
  })

  ws.addRow([])
  ws.addRow([`Puljemidler pr. år (1.000 kr. ${q} p/l) mod årsrammerne`]).getCell(1).font = { bold: true }
  header(
    ws,
    ["År", "", "", "", "Service", "Årsramme service", "Anlæg", "Årsramme anlæg", "Samlet", "Årsramme samlet"],
    5,
  )
  const years = [...flows.poolYear.keys()]
  const yFirst = ws.rowCount + 1
  for (const y of years) {
    const cells = flows.poolYear.get(y)
    const used = f.totals.pool.byYear[String(y)] ?? { service: 0, anlaeg: 0 }
    const row = ws.addRow([y])
    row.getCell(5).value = formula(cells?.service ?? "0", used.service)
    row.getCell(6).value = yearLimitOf(rules, "service", y) ?? null
    row.getCell(7).value = formula(cells?.anlaeg ?? "0", used.anlaeg)
    row.getCell(8).value = yearLimitOf(rules, "anlaeg", y) ?? null
    row.getCell(9).value = formula(`E${row.number}+G${row.number}`, used.service + used.anlaeg)
    row.getCell(10).value = yearLimitOf(rules, "combined", y) ?? null
    formats(row, 5, 10, DECIMAL_FORMAT)
  }
  if (years.length) {
    const yLast = yFirst + years.length - 1
    for (const [used, limit] of [
      ["E", "F"],
      ["G", "H"],
      ["I", "J"],
    ] as const)
      ws.addConditionalFormatting({
        ref: `${used}${yFirst}:${used}${yLast}`,
        rules: [
          {
            type: "expression",
            priority: 2,
            formulae: [`AND(ISNUMBER(${limit}${yFirst}),${used}${yFirst}>${limit}${yFirst})`],
            style: OVERRUN_STYLE,
          },
        ],
      })
  }
}

const rulesSheet = (wb: ExcelJS.Workbook, x: PackageExport) => {
  const ws = wb.addWorksheet(SHEETS.rules, { pageSetup: a4("landscape") })
  ws.columns = [
    { width: 24 },
    { width: 60 },
    { width: 12 },
    { width: 12 },
    { width: 12 },
    { width: 12 },
    { width: 12 },
    { width: 30 },
  ]
  ws
    .addRow([`Reglerne og pakkens stilling til dem. Puljebeløb i 1.000 kr. ${x.figures.poolPriceLevel} p/l.`])
    .getCell(1).font = BOLD.font
  const head = header(ws, [
    "Regel",
    "Beskrivelse",
    "Brugt",
    "Mindst",
    "Højst",
    "Tilbage",
    "Status",
    "Holder ude",
  ])
  ws.views = frozen(head.number, 1)
  const list = ruleStatuses(x)
  for (const r of list) {
    const row = ws.addRow([r.rule, r.text, r.used, r.min, r.max, r.slack, r.status, r.blocks.join(" ")])
    formats(row, 3, 6, DECIMAL_FORMAT)
    row.getCell(2).alignment = { wrapText: true, vertical: "top" }
  }
  if (list.length)
    ws.addConditionalFormatting({
      ref: `G${head.number + 1}:G${head.number + list.length}`,
      rules: [
        { type: "containsText", operator: "containsText", text: "Brudt", priority: 1, style: OVERRUN_STYLE },
      ],
    })
}

/** The package as a workbook (see the module comment). */
export const packageWorkbook = (x: PackageExport): ExcelJS.Workbook => {
  const wb = new ExcelJS.Workbook()
  wb.creator = "pulje"
  wb.calcProperties = { fullCalcOnLoad: true }
  // The summary is the first tab, but its formulas point into the cash-flow sheet, so that is filled first.
  const summary = wb.addWorksheet(SHEETS.summary, { pageSetup: a4("landscape") })
  summarySheet(summary, x, flowSheet(wb, x))
  rulesSheet(wb, x)
  return wb
}
