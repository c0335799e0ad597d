import { z } from "zod"
import type { Finding } from "../model/audit.ts"
import { formatDanish } from "../model/format.ts"

/**
 * One thing the import found in a workbook, with where it stands. `error`: the file cannot be
 * imported as it is (a missing or malformed value). `finding`: a printed figure that differs from
 * what the lines give (the audit's finding); `recorded` says whether the sheet's
 * Uoverensstemmelser list records it as an error of the document.
 */
export const WorkbookFinding = z.object({
  sheet: z.string(),
  /** The cell, like "F14"; absent when the finding concerns a whole sheet or row set. */
  cell: z.string().optional(),
  severity: z.enum(["error", "finding"]),
  /** What was checked: a field path for errors, the audit's description for findings. */
  what: z.string(),
  printed: z.union([z.number(), z.string()]).nullable().optional(),
  computed: z.union([z.number(), z.string()]).nullable().optional(),
  recorded: z.boolean(),
  /** One line in Danish for people. */
  message: z.string(),
})
export type WorkbookFinding = z.infer<typeof WorkbookFinding>

const figure = (x: number | string | null | undefined) =>
  x === null || x === undefined
    ? "tom"
    : typeof x === "number"
      ? formatDanish(x, Number.isInteger(x) ? 0 : 1)
      : x

const where = (sheet: string, cell: string | undefined) => `Ark ${sheet}${cell ? `, celle ${cell}` : ""}`

/** An audit finding placed on its sheet and cell. */
export const auditFinding = (f: Finding, sheet: string, cell: string | undefined): WorkbookFinding => ({
  sheet,
  ...(cell ? { cell } : {}),
  severity: "finding",
  what: f.what,
  printed: f.printed,
  computed: f.computed,
  recorded: f.recorded,
  message: `${where(sheet, cell)}: ${f.what}${f.variant && f.variant !== "base" ? ` (${f.variant})` : ""}: trykt ${figure(f.printed)}, beregnet ${figure(f.computed)}${f.recorded ? " – registreret som uoverensstemmelse i dokumentet" : " – IKKE registreret"}`,
})

/** A value that makes the file impossible to import. */
export const errorFinding = (
  sheet: string,
  cell: string | undefined,
  what: string,
  text: string,
): WorkbookFinding => ({
  sheet,
  ...(cell ? { cell } : {}),
  severity: "error",
  what,
  recorded: false,
  message: `${where(sheet, cell)}: ${text}`,
})
