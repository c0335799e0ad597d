import type { CellValue, Table } from "./packageTables.ts"

/** "da": `;` and decimal comma with a byte-order mark, for Danish Excel; "plain": `,` and `.`. */
export type CsvDialect = "da" | "plain"

const DIALECT = {
  da: { sep: ";", decimal: ",", bom: "\uFEFF", eol: "\r\n" },
  plain: { sep: ",", decimal: ".", bom: "", eol: "\n" },
} as const

/** One table as CSV text: numbers unrounded (no thousands separators), blanks empty. */
export const tableCsv = (table: Table, dialect: CsvDialect = "da"): string => {
  const d = DIALECT[dialect]
  const cell = (v: CellValue): string => {
    if (v === null) return ""
    if (typeof v === "number") return String(v).replace(".", d.decimal)
    return /["\r\n]/.test(v) || v.includes(d.sep) ? `"${v.replaceAll('"', '""')}"` : v
  }
  const lines = [table.header, ...table.rows].map((r) => r.map(cell).join(d.sep))
  return d.bom + lines.join(d.eol) + d.eol
}
