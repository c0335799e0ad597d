import type ExcelJS from "exceljs"

/** Shared look and helpers of the workbooks pulje writes and reads. */

/** Whole 1.000 kr., Danish Excel shows 1.234 and a dash for 0. */
export const INTEGER_FORMAT = '#,##0;-#,##0;"-"'
/** Converted amounts keep their fractions; shown with one decimal (1.234,5). */
export const DECIMAL_FORMAT = '#,##0.0;-#,##0.0;"-"'
export const PERCENT_FORMAT = "0.0%"

const fill = (argb: string): ExcelJS.Fill => ({ type: "pattern", pattern: "solid", fgColor: { argb } })
/** Cells the administration fills in. */
export const INPUT_FILL = fill("FFFFF2CC")
export const HEADER_FILL = fill("FFD9E1F2")
export const HEADING_FILL = fill("FFEDEDED")
export const TOTAL_FILL = fill("FFF2F2F2")
/** Conditional format of an overrun. */
export const OVERRUN_STYLE = {
  fill: { type: "pattern", pattern: "solid", bgColor: { argb: "FFFFC7CE" } },
} as const

/** Page set-up for A4, fitted to the page width, with `titleRows` repeated on every page. */
export const a4 = (orientation: "portrait" | "landscape") => ({
  paperSize: 9,
  orientation,
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
})

export const frozen = (ySplit: number, xSplit = 0): Partial<ExcelJS.WorksheetView>[] => [
  { state: "frozen", xSplit, ySplit },
]

export const styleRow = (row: ExcelJS.Row, from: number, to: number, style: Partial<ExcelJS.Style>) => {
  for (let c = from; c <= to; c++) Object.assign(row.getCell(c), style)
}

/** A list of allowed words for a cell (the words must not contain commas). */
export const listValidation = (words: readonly string[], allowBlank = true): ExcelJS.DataValidation => ({
  type: "list",
  allowBlank,
  formulae: [`"${words.join(",")}"`],
  showErrorMessage: true,
  errorTitle: "Ugyldig værdi",
  error: `Vælg en af: ${words.join(", ")}`,
})

export const wholeValidation: ExcelJS.DataValidation = {
  type: "whole",
  operator: "between",
  allowBlank: true,
  formulae: [-1_000_000_000, 1_000_000_000],
  showErrorMessage: true,
  errorTitle: "Hele tal",
  error: "Beløb skrives i hele 1.000 kr. (negativ = besparelse).",
}

export const decimalValidation: ExcelJS.DataValidation = {
  type: "decimal",
  operator: "greaterThanOrEqual",
  allowBlank: true,
  formulae: [0],
  showErrorMessage: true,
  errorTitle: "Tal",
  error: "Skriv et tal (0 eller mere).",
}

/** The letters of column `c` (1-based): 1 → A, 27 → AA. */
export const columnName = (c: number): string =>
  c <= 26
    ? String.fromCharCode(64 + c)
    : columnName(Math.floor((c - 1) / 26)) + columnName(((c - 1) % 26) + 1)

/** A plain value of a cell: a formula's result, rich text joined; empty text is blank (null). */
export const plain = (v: ExcelJS.CellValue | undefined): string | number | boolean | null => {
  if (v === null || v === undefined) return null
  if (typeof v === "string") return v === "" ? null : v
  if (typeof v === "number" || typeof v === "boolean") return v
  if (v instanceof Date) return v.toISOString()
  if ("richText" in v) return plain(v.richText.map((t) => t.text).join(""))
  if ("formula" in v || "sharedFormula" in v) return plain((v as { result?: ExcelJS.CellValue }).result)
  if ("text" in v && typeof v.text === "string") return plain(v.text)
  return null
}

/** The text of a cell for matching keys and headings ("" when blank). */
export const textOf = (v: ExcelJS.CellValue | undefined): string => {
  const p = plain(v)
  return p === null ? "" : String(p)
}
