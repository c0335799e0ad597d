import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { type PackageExport, packageCsvFiles, packageXlsx } from "../../app/useCases/packageExport.ts"

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
    writeFileSync(v.xlsx, await packageXlsx(x))
    out.push(`Skrev regnearket ${v.xlsx}`)
  }
  for (const [dir, dialect] of [
    [v.csv, "da"],
    [v["csv-plain"], "plain"],
  ] as const) {
    if (typeof dir !== "string") continue
    mkdirSync(dir, { recursive: true })
    const files = packageCsvFiles(x, dialect)
    for (const f of files) writeFileSync(join(dir, f.name), f.text)
    out.push(`Skrev CSV-tabellerne (${files.map((f) => f.name).join(", ")}) i ${dir}`)
  }
  return out
}
