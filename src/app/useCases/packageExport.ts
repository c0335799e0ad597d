import { z } from "zod"
import { tableCsv } from "../../io/csv.ts"
import { type PackageExport, packageTables } from "../../io/packageTables.ts"

export type { PackageExport }

import { packageWorkbook } from "../../io/packageWorkbook.ts"
import { xlsxBytes } from "../../io/roundWorkbook.ts"
import type { AppContext } from "../context.ts"
import { NoAnswer } from "../errors.ts"
import { decode } from "../rawJson.ts"
import { type EvaluateInput, type EvaluateOutput, evaluatePackage } from "./evaluatePackage.ts"
import { type ScenarioSolveInput, type ScenarioSolveOutput, solveScenario } from "./solveScenario.ts"

/** xlsx: the workbook; csv: one table, `;` and decimal comma (Danish Excel); csv-plain: `,` and `.`. */
export const ExportFormat = z.enum(["xlsx", "csv", "csv-plain"])
export type ExportFormat = z.infer<typeof ExportFormat>

/** The tables of an export (CSV files; sheets and blocks of the workbook). */
export const ExportTable = z.enum(["forslag", "puljer", "pr-aar", "pengestroemme", "regler"])
export type ExportTable = z.infer<typeof ExportTable>

export const ExportQuery = z
  .object({
    format: ExportFormat.default("xlsx"),
    table: ExportTable.default("forslag").describe("For CSV: which table"),
  })
  .strict()
export type ExportQuery = z.output<typeof ExportQuery>

/** The package as xlsx bytes. */
export const packageXlsx = async (x: PackageExport): Promise<Buffer> => xlsxBytes(packageWorkbook(x))

/** Every table of the package as a CSV file (name, text) in a dialect. */
export const packageCsvFiles = (x: PackageExport, dialect: "da" | "plain") =>
  packageTables(x).map((t) => ({ name: `${t.name}.csv`, text: tableCsv(t, dialect) }))

/** A file to hand over: its bytes or text, media type and a file name. */
export interface ExportFile {
  readonly body: Buffer | string
  readonly type: string
  readonly name: string
}

const STATUS_DA = { optimal: "optimal (bevist bedst)", feasible: "gyldig, ikke bevist optimal" } as const

/** The export as one file: the workbook, or one of its tables as CSV. */
export const exportFile = async (x: PackageExport, base: string, q: ExportQuery): Promise<ExportFile> => {
  if (q.format === "xlsx")
    return {
      body: await xlsxBytes(packageWorkbook(x)),
      type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      name: `${base}.xlsx`,
    }
  const table = packageTables(x).find((t) => t.name === q.table)
  if (!table) throw new NoAnswer(`no table ${q.table}`)
  return {
    body: tableCsv(table, q.format === "csv" ? "da" : "plain"),
    type: "text/csv; charset=utf-8",
    name: `${base}-${q.table}.csv`,
  }
}

/** A solved scenario's package as an export; NoAnswer when there is no package. */
export const solvedExport = (ctx: AppContext, r: ScenarioSolveOutput): PackageExport => {
  const id = r.scenario.id
  if (r.result.status !== "optimal" && r.result.status !== "feasible")
    throw new NoAnswer(`scenario ${id} has no package to export (${r.result.status})`)
  return {
    title: `${r.scenario.title} (${ctx.catalog.round.config.title})`,
    status: STATUS_DA[r.result.status],
    proposals: ctx.catalog.proposals,
    rules: r.rules,
    figures: r.result.package,
    prices: ctx.catalog.prices,
  }
}

/** A scenario's optimal package (with any what-if) as an export; NoAnswer when there is no package. */
export const scenarioExport = async (ctx: AppContext, id: string, input: ScenarioSolveInput) =>
  solvedExport(ctx, decode(await solveScenario(ctx, id, input)))

/** An evaluated hand-picked package as an export, with the rules it breaks. */
export const evaluatedExport = (ctx: AppContext, e: EvaluateOutput): PackageExport => ({
  title: `Håndplukket pakke under ${e.scenario.title} (${ctx.catalog.round.config.title})`,
  status: e.feasible ? "overholder reglerne" : `bryder ${e.broken.length} regel(r)`,
  proposals: ctx.catalog.proposals,
  rules: e.rules,
  figures: e.package,
  broken: e.broken,
  prices: ctx.catalog.prices,
})

/** A hand-picked package under a scenario's rules as an export. */
export const evaluationExport = async (ctx: AppContext, input: EvaluateInput) =>
  evaluatedExport(ctx, await evaluatePackage(ctx, input))
