import {
  ADMIN_BLOCK,
  ANOMALY_BLOCK,
  ANOMALY_HEADER,
  AREA_WORD,
  keyOf,
  norm,
  PAYBACK_WORD,
  PROPOSAL_KEYS,
  SECTION_HEADING,
  TABLE_HEADER,
  TOTAL_WORD,
  VARIANT_KEYS,
} from "./labels.ts"
import {
  addr,
  amounts,
  anomalyRow,
  decimal,
  emptyRow,
  err,
  FIRST_YEAR_COL,
  headerYears,
  optionalText,
  type Plain,
  rowValues,
  type SheetReader,
  text,
  totalArea,
} from "./sheetReader.ts"

/** Reading one proposal sheet (laid out like the document's Tabel 1) into a raw proposal, cell by cell. */

type Mode = "meta" | "variantMeta" | "table" | "adminMeta" | "adminRows" | "anomalyHeader" | "anomalies"

type Section = "permanent" | "implementation" | "other" | "impact" | "payback"

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

/** The table a row belongs to: its variant (and JSON path), the block it stands in, its number of years. */
interface Table {
  readonly v: DraftVariant
  readonly path: string
  readonly section: Exclude<Section, "payback">
  readonly n: number
}

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
const totalRow = (rd: SheetReader, { vals, r, a }: SheetRow, { v, path, section, n }: Table) => {
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
const lineRow = (rd: SheetReader, { vals, r, a }: SheetRow, { v, path, section, n }: Table) => {
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
    totalRow(rd, row, { v, path, section, n })
  else lineRow(rd, row, { v, path, section, n })
}

/** The raw proposal of one sheet (not yet validated) with the cell of every value. */
export const readProposalSheet = (rd: SheetReader) => {
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
    // A variant starts at "Variant" with its id and nothing after it (a line of that name has its area and figures).
    const variantStart =
      norm(a) === norm(VARIANT_KEYS.id) &&
      emptyRow(vals.slice(2)) &&
      keyOf(AREA_WORD, text(vals[1] ?? null)) === undefined
    if (variantStart && mode !== "anomalies" && mode !== "anomalyHeader") {
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
