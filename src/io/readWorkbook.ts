import ExcelJS from "exceljs"
import type { z } from "zod"
import { auditAll, type Finding, overviewRows } from "../model/audit.ts"
import type { DataSet } from "../model/load.ts"
import { RoundConfig } from "../model/round.ts"
import { Overview, Proposal } from "../model/schema.ts"
import { findingDa, schemaIssueDa } from "../model/wording.ts"
import { Limits } from "../solver/rules.ts"
import { auditFinding, errorFinding, type WorkbookFinding } from "./findings.ts"
import {
  ANOMALY_BLOCK,
  ANOMALY_HEADER,
  AREA_WORD,
  keyOf,
  norm,
  OVERVIEW_KEYS,
  POOL_KEYS,
  ROUND_KEYS,
  SHEET,
} from "./labels.ts"
import { readProposalSheet } from "./readProposalSheet.ts"
import type { PoolLimits } from "./roundWorkbook.ts"
import {
  addr,
  amount,
  anomalyRow,
  type CellMap,
  decimal,
  emptyRow,
  rowValues,
  type SheetReader,
  setCells,
  text,
} from "./sheetReader.ts"

/**
 * Read a round workbook (see `roundWorkbook`) into a round: every value through the model's zod
 * schemas, then the consistency audit. Printed totals, paybacks and the overview stay as
 * printed; each place they differ from the lines is a finding with its sheet and cell.
 */

/** The cell of `path` or of its nearest parent that has one. */
const cellOf = (cells: CellMap, path: readonly PropertyKey[]) => {
  for (let k = path.length; k > 0; k--) {
    const c = cells.get(path.slice(0, k).map(String).join("."))
    if (c) return c
  }
  return undefined
}

const validate = <S extends z.ZodType>(
  schema: S,
  draft: unknown,
  rd: SheetReader,
  under?: string,
): z.infer<S> | null => {
  const r = schema.safeParse(draft)
  if (r.success) return r.data
  for (const issue of r.error.issues) {
    const i = under === undefined ? issue : { ...issue, path: [under, ...issue.path] }
    const path = i.path.map(String).join(".")
    rd.errors.push(errorFinding(rd.ws.name, cellOf(rd.cells, i.path), path, schemaIssueDa(i, i.message)))
  }
  return null
}

/** The pools a new round's default what-if starts with: the rules' own limits, service and anlæg only. */
const PoolLimitsSchema = Limits.pick({ service: true, anlaeg: true }).strict()

const readRoundSheet = (rd: SheetReader) => {
  const { ws, cells } = rd
  const draft: Record<string, unknown> = {}
  const limits: Record<string, unknown> = {}
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
    const pool = keyOf(POOL_KEYS, a)
    if (pool && vals[1] !== null && vals[1] !== undefined) {
      limits[pool] = decimal(vals[1])
      cells.set(`limits.${pool}`, addr(r, 2))
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
  return { draft: { ...draft, priceIndex: { ...index, levels } } as Record<string, unknown>, limits }
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
  /** The pools on the Runde sheet, for a new round's default what-if. */
  readonly limits?: PoolLimits
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
  const roundSheet = roundRd && readRoundSheet(roundRd)
  const roundDraft = roundSheet?.draft
  if (roundDraft && options.roundId !== undefined) roundDraft.id = options.roundId
  const config = roundRd ? validate(RoundConfig, roundDraft, roundRd) : null
  const limits =
    roundRd && roundSheet ? validate(PoolLimitsSchema, roundSheet.limits, roundRd, "limits") : null
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
  return { round: { config, proposals, overview }, findings: audit, ...(limits ? { limits } : {}) }
}
