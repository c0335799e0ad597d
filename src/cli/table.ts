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

/**
 * The width tables must fit: `COLUMNS` when set (as a shell sets it, or a person does for a
 * pipe), else the terminal's, else none (a pipe or file gets whole lines).
 */
export const terminalWidth = (): number | undefined => {
  const env = Number(process.env.COLUMNS)
  if (Number.isInteger(env) && env > 0) return env
  return process.stdout.isTTY ? process.stdout.columns : undefined
}

/** The narrowest a shortened column gets. */
const MIN_CUT = 10

/**
 * Render `rows` under `columns`, two spaces between columns, no trailing blanks. When the table
 * is wider than `maxWidth` (default: the terminal's), the columns with a `maxWidth` (titles) are
 * shortened, widest first, down to 10 characters each.
 */
export const renderTable = (
  columns: readonly Column[],
  rows: readonly Row[],
  maxWidth: number | undefined = terminalWidth(),
): string => {
  const natural = (limits: readonly (number | undefined)[]) =>
    columns.map((c, i) =>
      Math.max(
        ...c.header.map(width),
        ...rows.map((r) => (Array.isArray(r) ? width(cut((r as string[])[i] ?? "", limits[i])) : 0)),
      ),
    )
  const limits = columns.map((c) => c.maxWidth)
  let widths = natural(limits)
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1)
  if (maxWidth !== undefined)
    while (total() > maxWidth) {
      const shrinkable = columns
        .map((c, i) => ({ i, w: widths[i] ?? 0, can: c.maxWidth !== undefined }))
        .filter((x) => x.can && x.w > MIN_CUT)
        .sort((a, b) => b.w - a.w)[0]
      if (!shrinkable) break
      limits[shrinkable.i] = Math.max(MIN_CUT, shrinkable.w - (total() - maxWidth))
      widths = natural(limits)
    }
  const cells = rows.map((r) => (r === "rule" || !Array.isArray(r) ? r : r.map((c, i) => cut(c, limits[i]))))
  const line = (values: readonly string[]) =>
    columns
      .map((c, i) => pad(values[i] ?? "", widths[i] ?? 0, c.align ?? "left"))
      .join("  ")
      .trimEnd()
  const headerLines = Math.max(...columns.map((c) => c.header.length))
  const out: string[] = []
  for (let k = 0; k < headerLines; k++)
    out.push(line(columns.map((c) => c.header[k - (headerLines - c.header.length)] ?? "")))
  out.push("─".repeat(total()))
  for (const r of cells) {
    if (r === "rule") out.push("─".repeat(total()))
    else if (Array.isArray(r)) out.push(line(r as string[]))
    else out.push((r as { section: string }).section)
  }
  return out.join("\n")
}
