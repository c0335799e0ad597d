import ExcelJS from "exceljs"
import type { DataSet } from "../model/load.ts"
import type { RoundConfig } from "../model/round.ts"
import type {
  AdminEffect,
  Anomaly,
  Line,
  Overview,
  Proposal,
  Section,
  StatedTotal,
  Variant,
} from "../model/schema.ts"
import {
  ADMIN_BLOCK,
  ANOMALY_BLOCK,
  ANOMALY_HEADER,
  ANOMALY_WORD,
  AREA_WORD,
  NOTE_HEADER,
  OVERVIEW_KEYS,
  overviewHeader,
  PAYBACK_WORD,
  POOL_KEYS,
  PROPOSAL_KEYS,
  ROUND_KEYS,
  SECTION_HEADING,
  SHEET,
  TABLE_HEADER,
  totalWord,
  VARIANT_KEYS,
} from "./labels.ts"
import {
  a4,
  columnName,
  decimalValidation,
  frozen,
  HEADER_FILL,
  HEADING_FILL,
  INPUT_FILL,
  INTEGER_FORMAT,
  listValidation,
  OVERRUN_STYLE,
  styleRow,
  TOTAL_FILL,
  wholeValidation,
} from "./sheet.ts"

/**
 * The round workbook: the sheet the administration fills in for a new round, and the same sheet
 * filled with an existing round. Sheets: Vejledning (how to fill it in), Runde (id, title, price
 * levels, price index), Oversigt (the overview table as printed) and one sheet per proposal laid
 * out like the document's Tabel 1. `readRoundWorkbook` reads it back.
 */

const AREA_WORDS = Object.values(AREA_WORD)
const TOTAL_WORDS = [totalWord(undefined), ...(["service", "anlaeg", "overfoersler"] as const).map(totalWord)]
const FIRST_YEAR_COL = TABLE_HEADER.length + 1
const BOLD = { font: { bold: true } }

const GUIDE = [
  "Skabelon til en ny runde i investeringspuljen",
  "",
  "Udfyld de gule celler. Alle beløb er i hele 1.000 kr. (negativ = besparelse) i det prisniveau, tabellen angiver.",
  "Runde: rundens id (små bogstaver, tal og bindestreg, fx budget-2027), titel, prisniveauer og prisindeks;",
  "  Service-pulje og Anlægs-pulje (valgfrie) bliver puljerne i den nye rundes standardscenarie.",
  "Oversigt: oversigtstabellen som trykt; én række pr. forslag, udvalget står på hver række; I alt-rækken som trykt.",
  "Ét ark pr. forslag: kopiér et forslagsark (højreklik på fanen, Flyt eller kopiér) og udfyld det.",
  "  Hver variant (fx Tabel 1 og et scenarie 2) er en blok, der begynder med rækken Variant.",
  "  Varige ændringer og Implementeringsomkostninger: én række pr. linje med Styringsområde (Service, Anlæg, Overførsler).",
  "  Trykte totaler står med Styringsområde I alt (eller I alt (service) osv. for en total over ét område).",
  "  Skriv totaler og tilbagebetalingstid som trykt; importen sammenligner dem med linjerne og melder hver afvigelse.",
  "  En trykt total, der ikke stemmer med linjerne, bliver rød, mens du skriver; ret den eller registrér afvigelsen.",
  "  Kilde: linjenumrene i kildeteksten, hvor forslaget står (første og sidste linje).",
  "  Indsæt flere rækker inde i en blok efter behov; tomme rækker springes over.",
  "Uoverensstemmelser: steder hvor dokumentet modsiger sig selv; de trykte tal bevares og afvigelsen registreres her.",
  "Import: pulje import runde.xlsx --round <id>. Intet skrives, hvis filen har fejl.",
]

const addKeyRow = (ws: ExcelJS.Worksheet, key: string, value: string | number | null, wrap = false) => {
  const row = ws.addRow([key, value])
  row.getCell(1).font = { bold: true }
  const cell = row.getCell(2)
  cell.fill = INPUT_FILL
  if (wrap) {
    ws.mergeCells(row.number, 2, row.number, 8)
    cell.alignment = { wrapText: true, vertical: "top" }
    row.getCell(1).alignment = { vertical: "top" }
    row.height = 15 * Math.min(12, Math.max(1, Math.ceil(String(value ?? "").length / 110)))
  }
  return row
}

const headingRow = (ws: ExcelJS.Worksheet, text: string, width: number) => {
  const row = ws.addRow([text])
  styleRow(row, 1, width, { fill: HEADING_FILL, font: { bold: true, italic: true } })
  return row
}

const inputCells = (row: ExcelJS.Row, from: number, to: number, validation?: ExcelJS.DataValidation) => {
  for (let c = from; c <= to; c++) {
    const cell = row.getCell(c)
    cell.fill = INPUT_FILL
    if (validation) cell.dataValidation = validation
  }
}

/** A table's header row; the administration's Tabel 3 (no areas, no notes) names only its text column. */
const tableHeader = (ws: ExcelJS.Worksheet, years: readonly (number | null)[], note: boolean) => {
  const fixed = note ? TABLE_HEADER : [TABLE_HEADER[0], null, null]
  const row = ws.addRow([...fixed, ...years, ...(note ? [NOTE_HEADER] : [])])
  styleRow(row, 1, TABLE_HEADER.length + years.length + (note ? 1 : 0), { fill: HEADER_FILL, ...BOLD })
  inputCells(row, FIRST_YEAR_COL, FIRST_YEAR_COL + years.length - 1)
  return row
}

const amountCells = (row: ExcelJS.Row, n: number) => {
  inputCells(row, FIRST_YEAR_COL, FIRST_YEAR_COL + n - 1, wholeValidation)
  for (let c = FIRST_YEAR_COL; c < FIRST_YEAR_COL + n; c++) row.getCell(c).numFmt = INTEGER_FORMAT
}

const lineRow = (ws: ExcelJS.Worksheet, l: Line | null, n: number) => {
  const values = l ? l.values : new Array<null>(n).fill(null)
  const row = ws.addRow([l?.label ?? null, l ? AREA_WORD[l.area] : null, l?.printedArea || null, ...values])
  const note = row.getCell(FIRST_YEAR_COL + n)
  note.value = l?.note ?? null
  // Wrapped only in the wide note column (a variant with fewer years has its notes in a year column).
  if ((ws.getColumn(FIRST_YEAR_COL + n).width ?? 0) >= 30) {
    note.alignment = { wrapText: true, vertical: "top" }
    if (l?.note) fitHeight(ws, row, [FIRST_YEAR_COL + n])
  }
  inputCells(row, 1, 1)
  inputCells(row, 2, 2, listValidation(AREA_WORDS))
  inputCells(row, 3, 3)
  amountCells(row, n)
  inputCells(row, FIRST_YEAR_COL + n, FIRST_YEAR_COL + n)
  return row.number
}

const totalRow = (ws: ExcelJS.Worksheet, t: StatedTotal, n: number) => {
  const row = ws.addRow([t.label, totalWord(t.area), null, ...t.values])
  inputCells(row, 1, 1)
  inputCells(row, 2, 2, listValidation(TOTAL_WORDS))
  amountCells(row, n)
  styleRow(row, 1, 3, { font: { bold: true } })
  row.getCell(3).fill = TOTAL_FILL
  return row.number
}

/**
 * Mark a printed total red where it differs from its lines, as the import's audit will: the sum
 * of the lines of its block(s) (one area's lines where the total covers one area). Live, so the
 * administration sees a slip while typing; Excel moves the ranges when rows are inserted.
 */
const checkTotal = (
  ws: ExcelJS.Worksheet,
  t: StatedTotal,
  row: number,
  n: number,
  ranges: readonly { section: Section; from: number; to: number }[],
) => {
  const c = columnName(FIRST_YEAR_COL)
  const sections: Section[] = t.kind === "impact" ? ["permanent", "implementation"] : [t.kind]
  const terms = ranges
    .filter((r) => sections.includes(r.section))
    .map((r) =>
      t.area === undefined
        ? `SUM(${c}$${r.from}:${c}$${r.to})`
        : `SUMIF($B$${r.from}:$B$${r.to},"${AREA_WORD[t.area]}",${c}$${r.from}:${c}$${r.to})`,
    )
  ws.addConditionalFormatting({
    ref: `${c}${row}:${columnName(FIRST_YEAR_COL + n - 1)}${row}`,
    rules: [
      {
        type: "expression",
        priority: 1,
        formulae: [`N(${c}${row})<>${terms.length ? terms.join("+") : "0"}`],
        style: OVERRUN_STYLE,
      },
    ],
  })
}

/** Lines in runs of one section, each run under its heading, and each section's printed totals after its last run. */
const variantBlocks = (ws: ExcelJS.Worksheet, v: Variant, blankRows: number) => {
  const n = v.years.length
  const width = FIRST_YEAR_COL + n
  const runs: { section: Section; lines: Line[] }[] = []
  for (const l of v.lines) {
    const last = runs.at(-1)
    if (last?.section === l.section) last.lines.push(l)
    else runs.push({ section: l.section, lines: [l] })
  }
  for (const section of ["permanent", "implementation"] as const)
    if (!runs.some((r) => r.section === section)) runs.push({ section, lines: [] })
  const totalsOf = (kind: StatedTotal["kind"]) => v.totals.filter((t) => t.kind === kind)
  const lastRun = (s: Section) => runs.map((r) => r.section).lastIndexOf(s)
  // The reader collects totals in sheet order; keep the stated order where the blocks allow it.
  const order = runs.flatMap((r, i) =>
    r.section !== "other" && lastRun(r.section) === i ? totalsOf(r.section) : [],
  )
  const inBlocks = [...order, ...totalsOf("impact")].every((t, i) => t === v.totals[i])
  const ranges: { section: Section; from: number; to: number }[] = []
  const totalRows: { t: StatedTotal; row: number }[] = []
  runs.forEach((r, i) => {
    headingRow(ws, SECTION_HEADING[r.section], width)
    const rows = [...r.lines.map((l) => lineRow(ws, l, n))]
    for (let k = 0; k < blankRows; k++) rows.push(lineRow(ws, null, n))
    const [from, to] = [rows[0], rows.at(-1)]
    if (from !== undefined && to !== undefined) ranges.push({ section: r.section, from, to })
    if (inBlocks && r.section !== "other" && lastRun(r.section) === i)
      for (const t of totalsOf(r.section)) totalRows.push({ t, row: totalRow(ws, t, n) })
  })
  const rest = inBlocks ? totalsOf("impact") : v.totals
  let heading = ""
  for (const t of rest) {
    const h = t.kind === "impact" ? SECTION_HEADING.impact : SECTION_HEADING[t.kind]
    if (h !== heading) headingRow(ws, h, width)
    heading = h
    totalRows.push({ t, row: totalRow(ws, t, n) })
  }
  for (const { t, row } of totalRows) checkTotal(ws, t, row, n, ranges)
  if (heading !== SECTION_HEADING.impact) headingRow(ws, SECTION_HEADING.impact, width)
  headingRow(ws, SECTION_HEADING.payback, width)
  for (const pb of v.payback) {
    const row = ws.addRow([pb.label, PAYBACK_WORD[pb.basis], null, pb.years])
    inputCells(row, 1, 1)
    inputCells(row, 2, 2, listValidation(Object.values(PAYBACK_WORD), false))
    inputCells(row, FIRST_YEAR_COL, FIRST_YEAR_COL, decimalValidation)
  }
}

const variantSheetPart = (ws: ExcelJS.Worksheet, v: Variant, blankRows: number) => {
  ws.addRow([])
  const id = addKeyRow(ws, VARIANT_KEYS.id, v.id)
  id.getCell(1).fill = HEADER_FILL
  addKeyRow(ws, VARIANT_KEYS.label, v.label)
  addKeyRow(ws, VARIANT_KEYS.unitPrinted, v.unitPrinted)
  addKeyRow(ws, VARIANT_KEYS.priceLevel, v.priceLevel)
  tableHeader(ws, v.years, true)
  variantBlocks(ws, v, blankRows)
}

const adminPart = (ws: ExcelJS.Worksheet, a: AdminEffect | null, template: Variant) => {
  ws.addRow([])
  headingRow(ws, ADMIN_BLOCK, 3)
  addKeyRow(ws, VARIANT_KEYS.unitPrinted, a?.unitPrinted ?? template.unitPrinted)
  addKeyRow(ws, VARIANT_KEYS.priceLevel, a?.priceLevel ?? template.priceLevel)
  const years = a?.years ?? template.years
  tableHeader(ws, years, false)
  for (const r of a?.rows ?? []) {
    const row = ws.addRow([r.label, null, null, ...r.values])
    inputCells(row, 1, 1)
    amountCells(row, years.length)
  }
  if (!a)
    for (let k = 0; k < 2; k++) {
      const row = ws.addRow([])
      inputCells(row, 1, 1)
      amountCells(row, years.length)
    }
}

const anomalyPart = (ws: ExcelJS.Worksheet, anomalies: readonly Anomaly[], blankRows: number) => {
  ws.addRow([])
  headingRow(ws, ANOMALY_BLOCK, ANOMALY_HEADER.length)
  const header = ws.addRow([...ANOMALY_HEADER])
  styleRow(header, 1, ANOMALY_HEADER.length, { fill: HEADER_FILL, ...BOLD })
  const add = (a: Anomaly | null) => {
    const row = ws.addRow([
      a?.description ?? null,
      a?.variant ?? null,
      a ? ANOMALY_WORD[a.kind] : null,
      a?.printed ?? null,
      a?.computed ?? null,
    ])
    inputCells(row, 1, ANOMALY_HEADER.length)
    row.getCell(3).dataValidation = listValidation(Object.values(ANOMALY_WORD))
    for (let c = 1; c <= ANOMALY_HEADER.length; c++)
      row.getCell(c).alignment = { wrapText: true, vertical: "top" }
    fitHeight(ws, row, [1, 4, 5])
  }
  for (const a of anomalies) add(a)
  for (let k = 0; k < blankRows; k++) add(null)
}

/** Spreadsheets do not grow a row for wrapped text on their own: give it the lines its longest cell needs. */
const fitHeight = (ws: ExcelJS.Worksheet, row: ExcelJS.Row, cols: readonly number[]) => {
  const lines = cols.map((c) =>
    Math.ceil(String(row.getCell(c).value ?? "").length / Math.max(1, (ws.getColumn(c).width ?? 10) - 2)),
  )
  row.height = 15 * Math.min(20, Math.max(1, ...lines))
}

const proposalSheet = (wb: ExcelJS.Workbook, p: Proposal, sheetName: string, blankRows: number) => {
  const years = Math.max(...p.variants.map((v) => v.years.length))
  const ws = wb.addWorksheet(sheetName, { pageSetup: a4("landscape"), views: frozen(0, 1) })
  ws.columns = [
    { width: 58 },
    { width: 22 },
    { width: 16 },
    ...new Array(years).fill({ width: 10 }),
    { width: 60 },
  ]
  const title = ws.addRow([`Investeringsforslag ${p.id}`.trim()])
  title.getCell(1).font = { bold: true, size: 14 }
  ws.addRow([])
  addKeyRow(ws, PROPOSAL_KEYS.id, p.id)
  addKeyRow(ws, PROPOSAL_KEYS.title, p.title)
  addKeyRow(ws, PROPOSAL_KEYS.committee, p.committee)
  addKeyRow(ws, PROPOSAL_KEYS.administration, p.administration)
  addKeyRow(ws, PROPOSAL_KEYS.summary, p.summary || null, true)
  addKeyRow(ws, PROPOSAL_KEYS.risk, p.risk || null, true)
  addKeyRow(ws, PROPOSAL_KEYS.firstLine, p.source.firstLine || null)
  addKeyRow(ws, PROPOSAL_KEYS.lastLine, p.source.lastLine || null)
  for (const v of p.variants) variantSheetPart(ws, v, blankRows)
  const first = p.variants[0]
  if (first && (p.adminEffect || blankRows > 0)) adminPart(ws, p.adminEffect, first)
  anomalyPart(ws, p.anomalies, blankRows)
}

const roundSheet = (wb: ExcelJS.Workbook, c: RoundConfig, limits?: PoolLimits) => {
  const ws = wb.addWorksheet(SHEET.round, { pageSetup: a4("portrait") })
  ws.columns = [{ width: 30 }, { width: 14 }, { width: 14 }, { width: 14 }, { width: 14 }]
  ws.addRow(["Runde"]).getCell(1).font = { bold: true, size: 14 }
  ws.addRow([])
  addKeyRow(ws, ROUND_KEYS.id, c.id || null)
  addKeyRow(ws, ROUND_KEYS.title, c.title || null)
  addKeyRow(ws, ROUND_KEYS.tablePriceLevel, c.tablePriceLevel)
  addKeyRow(ws, ROUND_KEYS.poolPriceLevel, c.poolPriceLevel)
  addKeyRow(ws, ROUND_KEYS.version, c.priceIndex.version)
  addKeyRow(ws, ROUND_KEYS.source, c.priceIndex.source, true)
  addKeyRow(ws, ROUND_KEYS.base, c.priceIndex.base)
  for (const area of ["service", "anlaeg"] as const) {
    const row = addKeyRow(ws, POOL_KEYS[area], limits?.[area] ?? null)
    row.getCell(2).numFmt = INTEGER_FORMAT
    row.getCell(2).dataValidation = decimalValidation
    row.getCell(3).value =
      `1.000 kr. ${c.poolPriceLevel} p/l; en ny rundes standardscenarie (tom: ingen grænse)`
  }
  ws.addRow([])
  const years = [
    ...new Set([...Object.keys(c.priceIndex.levels.service), ...Object.keys(c.priceIndex.levels.anlaeg)]),
  ].sort()
  const header = ws.addRow([ROUND_KEYS.levels, ...years.map(Number)])
  styleRow(header, 1, years.length + 1, { fill: HEADER_FILL, ...BOLD })
  inputCells(header, 2, years.length + 1)
  for (const area of ["service", "anlaeg"] as const) {
    const row = ws.addRow([AREA_WORD[area], ...years.map((y) => c.priceIndex.levels[area][y] ?? null)])
    inputCells(row, 2, years.length + 1, decimalValidation)
    for (let col = 2; col <= years.length + 1; col++) row.getCell(col).numFmt = "0.000"
  }
}

const overviewSheet = (wb: ExcelJS.Workbook, o: Overview, c: RoundConfig, blankRows: number) => {
  const ws = wb.addWorksheet(SHEET.overview, { pageSetup: a4("landscape") })
  ws.columns = [
    { width: 40 },
    { width: 10 },
    { width: 60 },
    { width: 14 },
    { width: 14 },
    { width: 20 },
    { width: 14 },
  ]
  addKeyRow(ws, OVERVIEW_KEYS.caption, o.caption || null)
  ws.addRow([])
  const header = ws.addRow(overviewHeader(c.poolPriceLevel, c.tablePriceLevel))
  styleRow(header, 1, 7, { fill: HEADER_FILL, font: { bold: true }, alignment: { wrapText: true } })
  ws.views = frozen(header.number)
  const add = (values: (string | number | null)[], total = false) => {
    const row = ws.addRow(values)
    inputCells(row, 1, 3)
    inputCells(row, 4, 6, wholeValidation)
    inputCells(row, 7, 7, total ? undefined : decimalValidation)
    for (let col = 4; col <= 6; col++) row.getCell(col).numFmt = INTEGER_FORMAT
    return row
  }
  for (const cm of o.committees)
    for (const r of cm.rows)
      add([cm.name, r.id, r.title, r.service, r.anlaeg, r.effectFullPhaseIn, r.paybackYears])
  for (let k = 0; k < blankRows; k++) add([null, null, null, null, null, null, null])
  const total = add(
    [
      OVERVIEW_KEYS.total,
      null,
      null,
      o.total.service,
      o.total.anlaeg,
      o.total.effectFullPhaseIn,
      o.total.paybackPrinted || null,
    ],
    true,
  )
  styleRow(total, 1, 3, { font: { bold: true }, fill: TOTAL_FILL })
  // The printed total row turns red where it is not the sum of the rows above it, as the audit checks.
  const first = header.number + 1
  const last = total.number - 1
  ws.addConditionalFormatting({
    ref: `D${total.number}:F${total.number}`,
    rules: [
      {
        type: "expression",
        priority: 1,
        formulae: [
          last >= first ? `N(D${total.number})<>SUM(D$${first}:D$${last})` : `N(D${total.number})<>0`,
        ],
        style: OVERRUN_STYLE,
      },
    ],
  })
  anomalyPart(ws, o.anomalies, blankRows)
}

const guideSheet = (wb: ExcelJS.Workbook) => {
  const ws = wb.addWorksheet(SHEET.guide, { pageSetup: a4("portrait") })
  ws.columns = [{ width: 120 }]
  GUIDE.forEach((line, i) => {
    const row = ws.addRow([line])
    if (i === 0) row.getCell(1).font = { bold: true, size: 14 }
  })
  ws.addRow([])
  ws.addRow(["Gule celler udfyldes."]).getCell(1).fill = INPUT_FILL
}

/** A workbook holding `round`: the template filled with an existing round's data. */
export const roundWorkbook = (round: DataSet): ExcelJS.Workbook => {
  const wb = new ExcelJS.Workbook()
  wb.creator = "pulje"
  guideSheet(wb)
  roundSheet(wb, round.config)
  overviewSheet(wb, round.overview, round.config, 0)
  for (const p of round.proposals) proposalSheet(wb, p, p.id, 0)
  return wb
}

const BLANK_YEARS = 6

/**
 * The empty template for a new round: price levels and index from `like` (the current round),
 * one example proposal sheet with the usual total and payback rows and room for lines.
 */
export const templateWorkbook = (like: RoundConfig): ExcelJS.Workbook => {
  const wb = new ExcelJS.Workbook()
  wb.creator = "pulje"
  guideSheet(wb)
  roundSheet(wb, { ...like, id: "", title: "" })
  const zeros = new Array<number>(BLANK_YEARS).fill(0)
  overviewSheet(
    wb,
    {
      caption: "",
      committees: [],
      total: { service: 0, anlaeg: 0, effectFullPhaseIn: 0, paybackPrinted: "" },
      anomalies: [],
    },
    like,
    5,
  )
  const years = zeros.map((_, i) => like.tablePriceLevel - 1 + i)
  const variant: Variant = {
    id: "base",
    label: "Tabel 1. Forslagets samlede økonomiske konsekvenser",
    unitPrinted: `1.000 kr. ${like.tablePriceLevel} p/l`,
    priceLevel: like.tablePriceLevel,
    years,
    lines: [],
    totals: [
      { label: "Samlet varig ændring", kind: "permanent", values: zeros },
      { label: "Samlede implementeringsomkostninger", kind: "implementation", values: zeros },
      { label: "Samlet økonomisk påvirkning", kind: "impact", values: zeros },
    ],
    payback: [
      { label: "Tilbagebetalingstid baseret på serviceeffektivisering", basis: "service", years: null },
      { label: "Tilbagebetalingstid baseret på totaløkonomi", basis: "total", years: null },
    ],
  }
  const example: Proposal = {
    id: "",
    title: "",
    committee: "",
    administration: "",
    summary: "",
    risk: "",
    adminEffect: null,
    variants: [variant],
    anomalies: [],
    source: { firstLine: 0, lastLine: 0 },
  }
  proposalSheet(wb, example, "Forslag", 6)
  return wb
}

/** The pools of a round's default what-if, 1.000 kr. in the pool's price level. */
export type PoolLimits = { readonly service?: number | undefined; readonly anlaeg?: number | undefined }

/** The workbook as xlsx bytes. */
export const xlsxBytes = async (wb: ExcelJS.Workbook): Promise<Buffer> =>
  Buffer.from(await wb.xlsx.writeBuffer())
