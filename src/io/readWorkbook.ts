import ExcelJS from "exceljs"
import type { z } from "zod"
import { auditAll, type Finding, overviewRows } from "../model/audit.ts"
import type { DataSet } from "../model/load.ts"
import { RoundConfig } from "../model/round.ts"
import { Overview, Proposal } from "../model/schema.ts"
import { findingDa } from "../model/wording.ts"
import { auditFinding, errorFinding, type WorkbookFinding, zodText } from "./findings.ts"
import {
  ADMIN_BLOCK,
  ANOMALY_BLOCK,
  ANOMALY_HEADER,
  ANOMALY_WORD,
  AREA_WORD,
  keyOf,
  NOTE_HEADER,
  norm,
  OVERVIEW_KEYS,
  PAYBACK_WORD,
  PROPOSAL_KEYS,
  ROUND_KEYS,
  SECTION_HEADING,
  SHEET,
  TABLE_HEADER,
  TOTAL_WORD,
  VARIANT_KEYS,
} from "./labels.ts"
import { plain } from "./sheet.ts"

/**
 * Read a round workbook (see `roundWorkbook`) into a round: every value through the model's zod
 * schemas, then the consistency audit. Printed totals, paybacks and the overview stay as
 * printed; each place they differ from the lines is a finding with its sheet and cell.
 */

type Plain = string | number | boolean | null
/** JSON path ("variants.0.lines.3.values.2") → cell address. */
type CellMap = Map<string, string>

const FIRST_YEAR_COL = TABLE_HEADER.length + 1

interface SheetReader {
  readonly ws: ExcelJS.Worksheet
  readonly cells: CellMap
  readonly errors: WorkbookFinding[]
}

const rowValues = (ws: ExcelJS.Worksheet, r: number, upTo: number): Plain[] => {
  const row = ws.getRow(r)
  const out: Plain[] = []
  for (let c = 1; c <= upTo; c++) out.push(plain(row.getCell(c).value))
  return out
}
const addr = (r: number, c: number) => `${colName(c)}${r}`
const colName = (c: number): string =>
  c <= 26 ? String.fromCharCode(64 + c) : colName(Math.floor((c - 1) / 26)) + colName(((c - 1) % 26) + 1)

/** Record the cells of `keys` under `path`, one column each from `firstCol`. */
const setCells = (cells: CellMap, path: string, keys: readonly string[], r: number, firstCol: number) => {
  keys.forEach((k, i) => {
    cells.set(`${path}.${k}`, addr(r, firstCol + i))
  })
}

const text = (v: Plain) => (v === null ? "" : String(v))
const optionalText = (v: Plain) => (v === null ? undefined : String(v))

/** An amount as the sheet gives it: blank or a dash is 0; "1.234" (Danish text) is 1234; anything else goes to the schema as it is. */
const amount = (v: Plain): unknown => {
  if (v === null) return 0
  if (typeof v !== "string") return v
  const s = v.trim().replace("−", "-")
  if (s === "" || s === "-" || s === "–") return 0
  if (/^-?\d{1,3}(\.\d{3})+$/.test(s) || /^-?\d+$/.test(s)) return Number(s.replaceAll(".", ""))
  return v
}

/** Years or a price level: blank is null; "5,5" is 5.5. */
const decimal = (v: Plain): unknown => {
  if (typeof v !== "string") return v
  const s = v.trim()
  if (s === "" || s === "-") return null
  return /^-?\d+(,\d+)?$/.test(s) ? Number(s.replace(",", ".")) : v
}

const emptyRow = (vals: readonly Plain[]) =>
  vals.every((v) => v === null || (typeof v === "string" && v.trim() === ""))

/** The year columns of a header row, from the first year column up to a blank or the note column. */
const headerYears = (vals: readonly Plain[], cells: CellMap, path: string, r: number) => {
  const years: unknown[] = []
  for (let c = FIRST_YEAR_COL; c <= vals.length; c++) {
    const v = vals[c - 1] ?? null
    if (v === null || norm(String(v)) === norm(NOTE_HEADER)) break
    cells.set(`${path}.${years.length}`, addr(r, c))
    years.push(decimal(v))
  }
  return years
}

const amounts = (vals: readonly Plain[], n: number, cells: CellMap, path: string, r: number) => {
  cells.set(path, addr(r, 1))
  return Array.from({ length: n }, (_, k) => {
    cells.set(`${path}.${k}`, addr(r, FIRST_YEAR_COL + k))
    return amount(vals[FIRST_YEAR_COL - 1 + k] ?? null)
  })
}

const totalArea = (word: string): { ok: boolean; area?: string } => {
  const w = norm(word)
  if (w === norm(TOTAL_WORD)) return { ok: true }
  const m = /^i alt\s*\((.+)\)$/.exec(w)
  const area = m?.[1] ? keyOf(AREA_WORD, m[1]) : undefined
  return area ? { ok: true, area } : { ok: false }
}

type Mode = "meta" | "variantMeta" | "table" | "adminMeta" | "adminRows" | "anomalyHeader" | "anomalies"

type Section = "permanent" | "implementation" | "other" | "impact" | "payback"

/** The anomaly rows below an "Uoverensstemmelser" heading. */
const anomalyRow = (rd: SheetReader, vals: readonly Plain[], r: number, path: string) => {
  const [description, variant, kindCell, printed, computed] = vals
  const kindText = text(kindCell ?? null)
  // The Danish word, or the schema's own code as the JSON files write it.
  const kind = keyOf(ANOMALY_WORD, kindText) ?? (kindText || undefined)
  setCells(rd.cells, path, ["description", "variant", "kind", "printed", "computed"], r, 1)
  rd.cells.set(path, addr(r, 1))
  return {
    ...(variant !== null && variant !== undefined ? { variant: String(variant) } : {}),
    kind,
    description: text(description ?? null),
    ...(printed !== null && printed !== undefined ? { printed } : {}),
    ...(computed !== null && computed !== undefined ? { computed } : {}),
  }
}

/** A variant being read: its rows so far (validated later). */
interface DraftVariant {
  [key: string]: unknown
  readonly lines: unknown[]
  readonly totals: unknown[]
  readonly payback: unknown[]
}

interface SheetRow {
  readonly vals: readonly Plain[]
  /** The row number. */
  readonly r: number
  /** The text of its first cell. */
  readonly a: string
}

const err = (rd: SheetReader, r: number, c: number, what: string, msg: string) =>
  rd.errors.push(errorFinding(rd.ws.name, addr(r, c), what, msg))

/** A payback row: text, basis, years in the first year column. */
const paybackRow = (rd: SheetReader, { vals, r, a }: SheetRow, v: DraftVariant, path: string) => {
  const j = v.payback.length
  const b = text(vals[1] ?? null)
  const basis = keyOf(PAYBACK_WORD, b)
  if (!basis)
    err(
      rd,
      r,
      2,
      `${path}.payback.${j}.basis`,
      `grundlaget "${b}" er ikke et af: ${Object.values(PAYBACK_WORD).join(", ")}`,
    )
  v.payback.push({ label: a, basis, years: decimal(vals[FIRST_YEAR_COL - 1] ?? null) })
  rd.cells.set(`${path}.payback.${j}`, addr(r, 1))
  rd.cells.set(`${path}.payback.${j}.label`, addr(r, 1))
  rd.cells.set(`${path}.payback.${j}.years`, addr(r, FIRST_YEAR_COL))
}

/** A printed total row: its kind from the block it stands in, its area from "I alt (service)". */
const totalRow = (
  rd: SheetReader,
  { vals, r, a }: SheetRow,
  v: DraftVariant,
  path: string,
  section: Section,
  n: number,
) => {
  const j = v.totals.length
  const b = text(vals[1] ?? null)
  const t = totalArea(b)
  if (!t.ok || section === "other")
    err(
      rd,
      r,
      2,
      `${path}.totals.${j}`,
      section === "other"
        ? "en total kan ikke stå blandt øvrige linjer"
        : `"${b}" er ikke ${TOTAL_WORD} eller ${TOTAL_WORD} (service) osv.`,
    )
  v.totals.push({
    label: a,
    kind: section,
    ...(t.area ? { area: t.area } : {}),
    values: amounts(vals, n, rd.cells, `${path}.totals.${j}.values`, r),
  })
  rd.cells.set(`${path}.totals.${j}`, addr(r, 1))
  rd.cells.set(`${path}.totals.${j}.label`, addr(r, 1))
}

/** A cash-flow line: text, area, the printed area word, one amount per year, a note. */
const lineRow = (
  rd: SheetReader,
  { vals, r, a }: SheetRow,
  v: DraftVariant,
  path: string,
  section: Section,
  n: number,
) => {
  const j = v.lines.length
  const b = text(vals[1] ?? null)
  const area = keyOf(AREA_WORD, b)
  if (!area)
    err(
      rd,
      r,
      2,
      `${path}.lines.${j}.area`,
      `styringsområdet "${b}" er ikke et af: ${Object.values(AREA_WORD).join(", ")}`,
    )
  const note = optionalText(vals[FIRST_YEAR_COL - 1 + n] ?? null)
  v.lines.push({
    label: a,
    section,
    area,
    printedArea: text(vals[2] ?? null),
    values: amounts(vals, n, rd.cells, `${path}.lines.${j}.values`, r),
    ...(note === undefined ? {} : { note }),
  })
  rd.cells.set(`${path}.lines.${j}`, addr(r, 1))
  rd.cells.set(`${path}.lines.${j}.label`, addr(r, 1))
  rd.cells.set(`${path}.lines.${j}.printedArea`, addr(r, 3))
  rd.cells.set(`${path}.lines.${j}.note`, addr(r, FIRST_YEAR_COL + n))
}

/** One row of a cash-flow table below its block heading. */
const tableRow = (
  rd: SheetReader,
  row: SheetRow,
  v: DraftVariant,
  path: string,
  section: Section | undefined,
  n: number,
) => {
  if (section === undefined)
    err(rd, row.r, 1, path, `rækken står før første overskrift (${SECTION_HEADING.permanent} …)`)
  else if (section === "payback") paybackRow(rd, row, v, path)
  else if (section === "impact" || norm(text(row.vals[1] ?? null)).startsWith(norm(TOTAL_WORD)))
    totalRow(rd, row, v, path, section, n)
  else lineRow(rd, row, v, path, section, n)
}

/** The raw proposal of one sheet (not yet validated) with the cell of every value. */
const readProposalSheet = (rd: SheetReader) => {
  const { ws, cells } = rd
  const width = Math.max(ws.columnCount, 20)
  const draft: Record<string, unknown> = {}
  const source: Record<string, unknown> = {}
  const variants: Record<string, unknown>[] = []
  const anomalies: unknown[] = []
  let admin: Record<string, unknown> | null = null
  let adminRows: unknown[] = []
  let mode: Mode = "meta"
  let section: Section | undefined
  let n = 0
  let v: DraftVariant = { lines: [], totals: [], payback: [] }
  const vi = () => variants.length - 1
  for (let r = 1; r <= ws.rowCount; r++) {
    const vals = rowValues(ws, r, width)
    if (emptyRow(vals)) continue
    const a = text(vals[0] ?? null)
    const restEmpty = emptyRow(vals.slice(1))
    if (norm(a) === norm(VARIANT_KEYS.id) && mode !== "anomalies" && mode !== "anomalyHeader") {
      v = { id: text(vals[1] ?? null), lines: [], totals: [], payback: [] }
      variants.push(v)
      cells.set(`variants.${vi()}`, addr(r, 1))
      cells.set(`variants.${vi()}.id`, addr(r, 2))
      mode = "variantMeta"
      section = undefined
      continue
    }
    if (norm(a) === norm(ADMIN_BLOCK) && restEmpty) {
      admin = {}
      adminRows = []
      cells.set("adminEffect", addr(r, 1))
      mode = "adminMeta"
      continue
    }
    if (norm(a) === norm(ANOMALY_BLOCK) && restEmpty) {
      mode = "anomalyHeader"
      continue
    }
    if (mode === "meta") {
      const key = keyOf(PROPOSAL_KEYS, a)
      if (!key) continue
      const value = vals[1] ?? null
      if (key === "firstLine" || key === "lastLine") {
        source[key] = decimal(value)
        cells.set(`source.${key}`, addr(r, 2))
        cells.set("source", addr(r, 2))
      } else {
        draft[key] = text(value)
        cells.set(key, addr(r, 2))
      }
    } else if (mode === "variantMeta" || mode === "adminMeta") {
      const target = mode === "variantMeta" ? v : (admin ?? {})
      const base = mode === "variantMeta" ? `variants.${vi()}` : "adminEffect"
      if (norm(a) === norm(TABLE_HEADER[0])) {
        target.years = headerYears(vals, cells, `${base}.years`, r)
        n = (target.years as unknown[]).length
        mode = mode === "variantMeta" ? "table" : "adminRows"
        continue
      }
      const key = keyOf(VARIANT_KEYS, a)
      if (!key || (mode === "adminMeta" && key !== "unitPrinted" && key !== "priceLevel")) {
        err(rd, r, 1, base, `uventet række "${a}" før tabellens overskriftsrække (${TABLE_HEADER[0]} …)`)
        continue
      }
      target[key] = key === "priceLevel" ? decimal(vals[1] ?? null) : text(vals[1] ?? null)
      cells.set(`${base}.${key}`, addr(r, 2))
    } else if (mode === "adminRows") {
      const i = adminRows.length
      adminRows.push({ label: a, values: amounts(vals, n, cells, `adminEffect.rows.${i}.values`, r) })
      cells.set(`adminEffect.rows.${i}`, addr(r, 1))
      cells.set(`adminEffect.rows.${i}.label`, addr(r, 1))
    } else if (mode === "anomalyHeader") {
      if (norm(a) === norm(ANOMALY_HEADER[0])) mode = "anomalies"
      else err(rd, r, 1, "anomalies", `overskriftsrækken (${ANOMALY_HEADER.join(", ")}) mangler`)
    } else if (mode === "anomalies") {
      anomalies.push(anomalyRow(rd, vals, r, `anomalies.${anomalies.length}`))
    } else if (mode === "table") {
      const heading = restEmpty ? keyOf(SECTION_HEADING, a) : undefined
      if (heading) {
        section = heading
        continue
      }
      tableRow(rd, { vals, r, a }, v, `variants.${vi()}`, section, n)
    }
  }
  const adminEffect = admin && adminRows.length ? { ...admin, rows: adminRows } : null
  return {
    id: draft.id,
    title: draft.title,
    committee: draft.committee,
    administration: draft.administration,
    summary: draft.summary ?? "",
    risk: draft.risk ?? "",
    adminEffect,
    variants,
    anomalies,
    source,
  }
}

/** The cell of `path` or of its nearest parent that has one. */
const cellOf = (cells: CellMap, path: readonly PropertyKey[]) => {
  for (let k = path.length; k > 0; k--) {
    const c = cells.get(path.slice(0, k).map(String).join("."))
    if (c) return c
  }
  return undefined
}

const validate = <S extends z.ZodType>(schema: S, draft: unknown, rd: SheetReader): z.infer<S> | null => {
  const r = schema.safeParse(draft)
  if (r.success) return r.data
  for (const i of r.error.issues) {
    const path = i.path.map(String).join(".")
    rd.errors.push(
      errorFinding(rd.ws.name, cellOf(rd.cells, i.path), path, zodText(i.code, i.path, i.message)),
    )
  }
  return null
}

const readRoundSheet = (rd: SheetReader): Record<string, unknown> => {
  const { ws, cells } = rd
  const draft: Record<string, unknown> = {}
  const index: Record<string, unknown> = {}
  const levels: Record<string, Record<string, unknown>> = {}
  let years: { year: string; col: number }[] | null = null
  for (let r = 1; r <= ws.rowCount; r++) {
    const vals = rowValues(ws, r, Math.max(ws.columnCount, 10))
    const a = text(vals[0] ?? null)
    const key = keyOf(ROUND_KEYS, a)
    if (key === "levels") {
      years = []
      for (let c = 2; c <= vals.length; c++) {
        const y = vals[c - 1]
        if (y !== null && y !== undefined) years.push({ year: String(y), col: c })
      }
      continue
    }
    if (years) {
      const area = keyOf({ service: AREA_WORD.service, anlaeg: AREA_WORD.anlaeg }, a)
      if (area) {
        levels[area] = {}
        for (const { year, col } of years) {
          const x = vals[col - 1] ?? null
          if (x === null) continue
          levels[area][year] = decimal(x)
          cells.set(`priceIndex.levels.${area}.${year}`, addr(r, col))
        }
        cells.set(`priceIndex.levels.${area}`, addr(r, 1))
      }
      continue
    }
    if (!key) continue
    const value = vals[1] ?? null
    const at = addr(r, 2)
    if (key === "id" || key === "title") {
      draft[key] = text(value)
      cells.set(key, at)
    } else if (key === "tablePriceLevel" || key === "poolPriceLevel") {
      draft[key] = decimal(value)
      cells.set(key, at)
    } else {
      index[key] = key === "base" ? decimal(value) : text(value)
      cells.set(`priceIndex.${key}`, at)
    }
  }
  return { ...draft, priceIndex: { ...index, levels } }
}

const readOverviewSheet = (rd: SheetReader) => {
  const { ws, cells } = rd
  let caption = ""
  const committees: { name: string; rows: unknown[] }[] = []
  let total: Record<string, unknown> | null = null
  const anomalies: unknown[] = []
  let mode: "meta" | "rows" | "anomalyHeader" | "anomalies" = "meta"
  const rowOf = new Map<string, number>()
  for (let r = 1; r <= ws.rowCount; r++) {
    const vals = rowValues(ws, r, 8)
    if (emptyRow(vals)) continue
    const a = text(vals[0] ?? null)
    if (norm(a) === norm(ANOMALY_BLOCK) && emptyRow(vals.slice(1))) {
      mode = "anomalyHeader"
      continue
    }
    if (mode === "meta") {
      if (norm(a) === norm(OVERVIEW_KEYS.caption)) {
        caption = text(vals[1] ?? null)
        cells.set("caption", addr(r, 2))
      } else if (norm(a) === "udvalg") mode = "rows"
    } else if (mode === "rows") {
      if (norm(a) === norm(OVERVIEW_KEYS.total)) {
        total = {
          service: amount(vals[3] ?? null),
          anlaeg: amount(vals[4] ?? null),
          effectFullPhaseIn: amount(vals[5] ?? null),
          paybackPrinted: text(vals[6] ?? null),
        }
        setCells(cells, "total", ["service", "anlaeg", "effectFullPhaseIn", "paybackPrinted"], r, 4)
        rowOf.set("I alt", r)
        continue
      }
      let cm = committees.at(-1)
      if (cm?.name !== a) {
        cm = { name: a, rows: [] }
        committees.push(cm)
        cells.set(`committees.${committees.length - 1}.name`, addr(r, 1))
      }
      const path = `committees.${committees.length - 1}.rows.${cm.rows.length}`
      const id = text(vals[1] ?? null)
      cm.rows.push({
        id,
        title: text(vals[2] ?? null),
        service: amount(vals[3] ?? null),
        anlaeg: amount(vals[4] ?? null),
        effectFullPhaseIn: amount(vals[5] ?? null),
        paybackYears: decimal(vals[6] ?? null),
      })
      setCells(cells, path, ["id", "title", "service", "anlaeg", "effectFullPhaseIn", "paybackYears"], r, 2)
      rowOf.set(id, r)
    } else if (mode === "anomalyHeader") {
      if (norm(a) === norm(ANOMALY_HEADER[0])) mode = "anomalies"
    } else {
      anomalies.push(anomalyRow(rd, vals, r, `anomalies.${anomalies.length}`))
    }
  }
  if (!total)
    rd.errors.push(errorFinding(ws.name, undefined, "total", `rækken "${OVERVIEW_KEYS.total}" mangler`))
  return { draft: { caption, committees, total, anomalies }, rowOf }
}

/** The result of reading a round workbook: the round when it has no errors, and every finding. */
export interface WorkbookRead {
  readonly round: DataSet | null
  readonly findings: readonly WorkbookFinding[]
}

/** The overview sheet's column of the figure an overview finding is about (the id column otherwise). */
const overviewColumn = (f: Finding, c: RoundConfig): number => {
  const words: [string, number][] = [
    [findingDa.overviewService(c.poolPriceLevel), 4],
    [findingDa.overviewAnlaeg(c.poolPriceLevel), 5],
    [findingDa.overviewEffect(c.tablePriceLevel), 6],
    [findingDa.overviewPayback, 7],
    [findingDa.overviewTotal("service"), 4],
    [findingDa.overviewTotal("anlaeg"), 5],
    [findingDa.overviewTotal("effectFullPhaseIn"), 6],
  ]
  return words.find(([w]) => w === f.what)?.[1] ?? 2
}

const OVERVIEW_CHECKS = new Set<Finding["check"]>([
  "overview",
  "overview-row",
  "overview-total",
  "proposal-file",
])

/** Place each audit finding on the sheet and cell of the printed figure it concerns. */
const placeAudit = (
  findings: readonly Finding[],
  sheets: ReadonlyMap<string, { sheet: string; cells: CellMap; proposal: Proposal }>,
  overviewRowOf: ReadonlyMap<string, number>,
  config: RoundConfig,
): WorkbookFinding[] =>
  findings.map((f) => {
    if (OVERVIEW_CHECKS.has(f.check)) {
      const r = overviewRowOf.get(f.check === "overview-total" ? "I alt" : f.proposal)
      return auditFinding(f, SHEET.overview, r ? addr(r, overviewColumn(f, config)) : undefined)
    }
    const s = sheets.get(f.proposal)
    if (!s) return auditFinding(f, SHEET.overview, undefined)
    const vi = s.proposal.variants.findIndex((v) => v.id === f.variant)
    const v = s.proposal.variants[vi]
    let cell: string | undefined
    for (const [j, t] of (v?.totals ?? []).entries())
      for (const [k, y] of (v?.years ?? []).entries())
        if (!cell && f.what === `${t.label} ${y}`)
          cell = s.cells.get(`variants.${vi}.totals.${j}.values.${k}`)
    const pj = v?.payback.findIndex((pb) => pb.label === f.what) ?? -1
    if (!cell && pj >= 0) cell = s.cells.get(`variants.${vi}.payback.${pj}.years`)
    return auditFinding(f, s.sheet, cell)
  })

/** Read a round workbook from xlsx bytes; `roundId` replaces the id on the Runde sheet. */
export const readRoundWorkbook = async (
  bytes: Uint8Array | ArrayBuffer,
  options: { readonly roundId?: string } = {},
): Promise<WorkbookRead> => {
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(bytes as ArrayBuffer)
  } catch (e) {
    return {
      round: null,
      findings: [errorFinding("(filen)", undefined, "file", `ikke en xlsx-fil (${(e as Error).message})`)],
    }
  }
  const errors: WorkbookFinding[] = []
  const reader = (ws: ExcelJS.Worksheet): SheetReader => ({ ws, cells: new Map(), errors })
  const need = (name: string) => {
    const ws = wb.getWorksheet(name)
    if (!ws) errors.push(errorFinding(name, undefined, "sheet", `arket "${name}" mangler`))
    return ws
  }
  const roundWs = need(SHEET.round)
  const overviewWs = need(SHEET.overview)
  const roundRd = roundWs && reader(roundWs)
  const roundDraft = roundRd && readRoundSheet(roundRd)
  if (roundDraft && options.roundId !== undefined) roundDraft.id = options.roundId
  const config = roundRd ? validate(RoundConfig, roundDraft, roundRd) : null
  let overview: Overview | null = null
  let overviewRowOf = new Map<string, number>()
  if (overviewWs) {
    const rd = reader(overviewWs)
    const o = readOverviewSheet(rd)
    overviewRowOf = o.rowOf
    overview = validate(Overview, o.draft, rd)
  }
  const sheets = new Map<string, { sheet: string; cells: CellMap; proposal: Proposal }>()
  const proposals: Proposal[] = []
  const names = new Set<string>(Object.values(SHEET))
  for (const ws of wb.worksheets) {
    if (names.has(ws.name)) continue
    const rd = reader(ws)
    const p = validate(Proposal, readProposalSheet(rd), rd)
    if (!p) continue
    const other = sheets.get(p.id)
    if (other) {
      errors.push(
        errorFinding(
          ws.name,
          rd.cells.get("id"),
          "id",
          `forslaget ${p.id} står også på arket ${other.sheet}`,
        ),
      )
      continue
    }
    sheets.set(p.id, { sheet: ws.name, cells: rd.cells, proposal: p })
    proposals.push(p)
  }
  if (proposals.length === 0 && errors.length === 0)
    errors.push(errorFinding("(filen)", undefined, "proposals", "der er ingen forslagsark"))
  if (errors.length || !config || !overview) return { round: null, findings: errors }
  proposals.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  // Every overview row must name a proposal once.
  const seen = new Set<string>()
  for (const r of overviewRows(overview)) {
    if (seen.has(r.id)) {
      const row = overviewRowOf.get(r.id)
      errors.push(
        errorFinding(
          SHEET.overview,
          row ? addr(row, 2) : undefined,
          "id",
          `${r.id} står to gange i oversigten`,
        ),
      )
    }
    seen.add(r.id)
  }
  if (errors.length) return { round: null, findings: errors }
  const audit = placeAudit(auditAll(proposals, overview, config), sheets, overviewRowOf, config)
  return { round: { config, proposals, overview }, findings: audit }
}
