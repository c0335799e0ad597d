import { readdirSync, readFileSync } from "node:fs"
import { basename, join } from "node:path"
import type { z } from "zod"
import { RoundConfig } from "./round.ts"
import { Overview, Proposal } from "./schema.ts"

/** A data file that could not be read or does not match its schema. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(`${file}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`)
    this.name = "DataFileError"
  }
}

const pathOf = (path: readonly PropertyKey[]) =>
  path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i === 0 ? "" : "."}${String(k)}`)).join("")

/** Parse `text` (the content of `file`) with `schema`; throws DataFileError naming file and field. */
export const parseDataFile = <S extends z.ZodType>(schema: S, file: string, text: string): z.infer<S> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new DataFileError(file, [{ path: "", message: `not valid JSON (${(e as Error).message})` }])
  }
  const r = schema.safeParse(json)
  if (!r.success)
    throw new DataFileError(
      file,
      r.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message })),
    )
  return r.data
}

const why = (e: unknown) => (e as NodeJS.ErrnoException).code ?? String(e)

/** The text of a data file; DataFileError when it cannot be read. */
export const readDataText = (file: string): string => {
  try {
    return readFileSync(file, "utf8")
  } catch (e) {
    throw new DataFileError(file, [{ path: "", message: `cannot be read (${why(e)})` }])
  }
}

/** The `*.json` files of a folder, sorted; DataFileError when the folder cannot be read. */
export const jsonFilesIn = (dir: string): string[] => {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort()
  } catch (e) {
    throw new DataFileError(dir, [{ path: "", message: `folder cannot be read (${why(e)})` }])
  }
}

/** A data set: the round's settings, its proposals in id order and the overview table. */
export interface DataSet {
  readonly config: RoundConfig
  readonly proposals: readonly Proposal[]
  readonly overview: Overview
}

/** Load `dir/round.json`, `dir/proposals/*.json` and `dir/overview.json`, validating each file. */
/**
 * Freeze a parsed value and everything in it. The solver keeps what it derives from a proposals
 * array (rows, groups, lowered options) per array, so loaded data must never change in place.
 */
export const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

export const loadDataSet = (dir: string): DataSet => {
  const cfile = join(dir, "round.json")
  const config = parseDataFile(RoundConfig, cfile, readDataText(cfile))
  const pdir = join(dir, "proposals")
  const proposals = jsonFilesIn(pdir).map((f) => {
    const file = join(pdir, f)
    const p = parseDataFile(Proposal, file, readDataText(file))
    if (`${p.id}.json` !== basename(f))
      throw new DataFileError(file, [{ path: "id", message: `id "${p.id}" does not match the file name` }])
    return deepFreeze(p)
  })
  const ofile = join(dir, "overview.json")
  return { config, proposals, overview: parseDataFile(Overview, ofile, readDataText(ofile)) }
}
