import type ExcelJS from "exceljs"
import { errorFinding, type WorkbookFinding } from "./findings.ts"
import { ANOMALY_WORD, AREA_WORD, keyOf, NOTE_HEADER, norm, TABLE_HEADER, TOTAL_WORD } from "./labels.ts"
import { columnName, plain } from "./sheet.ts"

/** Reading the cells of a round workbook's sheet: plain values, amounts, and the cell of every value read. */

export type Plain = string | number | boolean | null
/** JSON path ("variants.0.lines.3.values.2") → cell address. */
export type CellMap = Map<string, string>

export const FIRST_YEAR_COL = TABLE_HEADER.length + 1

export interface SheetReader {
  readonly ws: ExcelJS.Worksheet
  readonly cells: CellMap
  readonly errors: WorkbookFinding[]
}

export const rowValues = (ws: ExcelJS.Worksheet, r: number, upTo: number): Plain[] => {
  const row = ws.getRow(r)
  const out: Plain[] = []
  for (let c = 1; c <= upTo; c++) out.push(plain(row.getCell(c).value))
  return out
}
export const addr = (r: number, c: number) => `${columnName(c)}${r}`

/** Record the cells of `keys` under `path`, one column each from `firstCol`. */
export const setCells = (
  cells: CellMap,
  path: string,
  keys: readonly string[],
  r: number,
  firstCol: number,
) => {
  keys.forEach((k, i) => {
    cells.set(`${path}.${k}`, addr(r, firstCol + i))
  })
}

export const text = (v: Plain) => (v === null ? "" : String(v))
export const optionalText = (v: Plain) => (v === null ? undefined : String(v))

/** An amount as the sheet gives it: blank or a dash is 0; "1.234" (Danish text) is 1234; anything else goes to the schema as it is. */
export const amount = (v: Plain): unknown => {
  if (v === null) return 0
  if (typeof v !== "string") return v
  const s = v.trim().replace("−", "-")
  if (s === "" || s === "-" || s === "–") return 0
  if (/^-?\d{1,3}(\.\d{3})+$/.test(s) || /^-?\d+$/.test(s)) return Number(s.replaceAll(".", ""))
  return v
}

/** Years or a price level: blank is null; "5,5" is 5.5. */
export const decimal = (v: Plain): unknown => {
  if (typeof v !== "string") return v
  const s = v.trim()
  if (s === "" || s === "-") return null
  return /^-?\d+(,\d+)?$/.test(s) ? Number(s.replace(",", ".")) : v
}

export const emptyRow = (vals: readonly Plain[]) =>
  vals.every((v) => v === null || (typeof v === "string" && v.trim() === ""))

/** The year columns of a header row, from the first year column up to a blank or the note column. */
export const headerYears = (vals: readonly Plain[], cells: CellMap, path: string, r: number) => {
  const years: unknown[] = []
  for (let c = FIRST_YEAR_COL; c <= vals.length; c++) {
    const v = vals[c - 1] ?? null
    if (v === null || norm(String(v)) === norm(NOTE_HEADER)) break
    cells.set(`${path}.${years.length}`, addr(r, c))
    years.push(decimal(v))
  }
  return years
}

export const amounts = (vals: readonly Plain[], n: number, cells: CellMap, path: string, r: number) => {
  cells.set(path, addr(r, 1))
  return Array.from({ length: n }, (_, k) => {
    cells.set(`${path}.${k}`, addr(r, FIRST_YEAR_COL + k))
    return amount(vals[FIRST_YEAR_COL - 1 + k] ?? null)
  })
}

export const totalArea = (word: string): { ok: boolean; area?: string } => {
  const w = norm(word)
  if (w === norm(TOTAL_WORD)) return { ok: true }
  const m = /^i alt\s*\((.+)\)$/.exec(w)
  const area = m?.[1] ? keyOf(AREA_WORD, m[1]) : undefined
  return area ? { ok: true, area } : { ok: false }
}

/** The anomaly rows below an "Uoverensstemmelser" heading. */
export const anomalyRow = (rd: SheetReader, vals: readonly Plain[], r: number, path: string) => {
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

export const err = (rd: SheetReader, r: number, c: number, what: string, msg: string) =>
  rd.errors.push(errorFinding(rd.ws.name, addr(r, c), what, msg))
