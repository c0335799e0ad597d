/** A plain-text table for the terminal: multi-line headers, right-aligned numbers, section rows. */

export interface Column {
  /** Header lines, top to bottom (a long header reads best over two or three lines). */
  readonly header: readonly string[]
  readonly align?: "left" | "right"
  /** Cut longer cells to this many characters, ending in "…". */
  readonly maxWidth?: number
}

/** A row of cells, a heading that spans the table, or a rule line (before a total). */
export type Row = readonly string[] | { readonly section: string } | "rule"

const width = (s: string) => [...s].length

const cut = (s: string, max: number | undefined) =>
  max !== undefined && width(s) > max ? `${[...s].slice(0, max - 1).join("")}…` : s

const pad = (s: string, w: number, align: "left" | "right") =>
  align === "right" ? " ".repeat(w - width(s)) + s : s + " ".repeat(w - width(s))

/** Render `rows` under `columns`, two spaces between columns, no trailing blanks. */
export const renderTable = (columns: readonly Column[], rows: readonly Row[]): string => {
  const cells = rows.map((r) =>
    r === "rule" || !Array.isArray(r) ? r : r.map((c, i) => cut(c, columns[i]?.maxWidth)),
  )
  const widths = columns.map((c, i) =>
    Math.max(
      ...c.header.map(width),
      ...cells.map((r) => (Array.isArray(r) ? width((r as string[])[i] ?? "") : 0)),
    ),
  )
  const line = (values: readonly string[]) =>
    columns
      .map((c, i) => pad(values[i] ?? "", widths[i] ?? 0, c.align ?? "left"))
      .join("  ")
      .trimEnd()
  const headerLines = Math.max(...columns.map((c) => c.header.length))
  const out: string[] = []
  for (let k = 0; k < headerLines; k++)
    out.push(line(columns.map((c) => c.header[k - (headerLines - c.header.length)] ?? "")))
  const total = widths.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1)
  out.push("─".repeat(total))
  for (const r of cells) {
    if (r === "rule") out.push("─".repeat(total))
    else if (Array.isArray(r)) out.push(line(r as string[]))
    else out.push((r as { section: string }).section)
  }
  return out.join("\n")
}
