import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { tableCsv } from "../../io/csv.ts"
import type { PackageExport } from "../../io/packageTables.ts"
import { packageTables } from "../../io/packageTables.ts"
import { packageWorkbook } from "../../io/packageWorkbook.ts"
import { xlsxBytes } from "../../io/roundWorkbook.ts"

/** The flags that write a package to files, shared by solve and evaluate. */
export const FILE_OPTIONS = {
  xlsx: { type: "string" },
  csv: { type: "string" },
  "csv-plain": { type: "string" },
} as const

export const FILE_HELP = `  --xlsx FIL             skriv pakken som regneark (oversigt, pengestrømme, regler; formler)
  --csv MAPPE            skriv tabellerne som CSV til dansk Excel (; og decimalkomma)
  --csv-plain MAPPE      skriv tabellerne som CSV med , og .`

type FileValues = { readonly xlsx?: unknown; readonly csv?: unknown; readonly "csv-plain"?: unknown }

/** Whether any file flag was given. */
export const wantsFiles = (v: FileValues) =>
  [v.xlsx, v.csv, v["csv-plain"]].some((x) => typeof x === "string")

/** Write the package's files as the flags ask; one Danish line per file written. */
export const writeFiles = async (x: PackageExport, v: FileValues): Promise<string[]> => {
  const out: string[] = []
  if (typeof v.xlsx === "string") {
    writeFileSync(v.xlsx, await xlsxBytes(packageWorkbook(x)))
    out.push(`Skrev regnearket ${v.xlsx}`)
  }
  for (const [dir, dialect] of [
    [v.csv, "da"],
    [v["csv-plain"], "plain"],
  ] as const) {
    if (typeof dir !== "string") continue
    mkdirSync(dir, { recursive: true })
    for (const t of packageTables(x)) writeFileSync(join(dir, `${t.name}.csv`), tableCsv(t, dialect))
    out.push(
      `Skrev CSV-tabellerne (${packageTables(x)
        .map((t) => t.name)
        .join(", ")}) i ${dir}`,
    )
  }
  return out
}
