import { existsSync } from "node:fs"
import { join } from "node:path"
import { z } from "zod"
import { type ImportOutcome, importRoundWorkbook, seedRound, writeRoundFolder } from "../../io/roundFolder.ts"
import { roundWorkbook, templateWorkbook, xlsxBytes } from "../../io/roundWorkbook.ts"
import { RoundConfig } from "../../model/round.ts"
import { loadUncertainty } from "../../solver/analysis/uncertainty.ts"
import type { AppContext } from "../context.ts"
import { InvalidInput, NoAnswer } from "../errors.ts"
import { decode } from "../rawJson.ts"
import { roundsDir } from "../rounds.ts"
import { solveScenario } from "./solveScenario.ts"

export { WorkbookFinding } from "../../io/findings.ts"
export { RoundExists } from "../../io/roundFolder.ts"

/** The xlsx media type, for uploads and downloads. */
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/** The empty template for a new round, with the price levels and index of `ctx`'s round. */
export const roundTemplate = async (ctx: AppContext): Promise<Buffer> =>
  xlsxBytes(templateWorkbook(ctx.catalog.round.config))

/** `ctx`'s round as a filled-in workbook (the template with its data): to edit and import again. */
export const roundAsWorkbook = async (ctx: AppContext): Promise<Buffer> =>
  xlsxBytes(roundWorkbook(ctx.catalog.round))

/** A round's id, as round.json has it. */
export const RoundId = RoundConfig.shape.id

export const ImportInput = z
  .object({
    round: RoundId.optional().describe("Import as this round id (default: the id on the Runde sheet)"),
    replace: z
      .boolean()
      .default(false)
      .describe("Replace an existing round of that id (its what-ifs are kept)"),
    acceptFindings: z
      .boolean()
      .default(false)
      .describe("Write even when printed figures differ from the lines and no anomaly records it"),
  })
  .strict()
export type ImportInput = z.output<typeof ImportInput>

/**
 * Import a round workbook into the rounds folder: nothing is written when the file has errors,
 * unrecorded disagreements (unless accepted) or names an existing round (unless replaced).
 * `written` is called with the round id once it is in place (to drop a loaded copy).
 */
export const importRound = async (
  bytes: Uint8Array,
  input: ImportInput,
  written: (id: string) => Promise<void> = async () => {},
  dir = roundsDir(),
): Promise<ImportOutcome> => {
  const out = await importRoundWorkbook(bytes, dir, {
    ...(input.round === undefined ? {} : { roundId: input.round }),
    replace: input.replace,
    acceptFindings: input.acceptFindings,
  })
  if (out.status === "written") await written(out.round.config.id)
  return out
}

export const SeedInput = z
  .object({
    round: RoundId.describe("The new round's id"),
    title: z.string().min(1).describe("The new round's title"),
    scenario: z
      .string()
      .min(1)
      .optional()
      .describe("Whose optimal package counts as funded (default: the default scenario)"),
    replace: z.boolean().default(false),
  })
  .strict()
export type SeedInput = z.output<typeof SeedInput>

/**
 * A new round seeded from `ctx`'s: the proposals that the scenario's optimal package does not
 * fund, carried over with their tables. Returns the funded ids and the seeded round.
 */
export const seedFromScenario = async (ctx: AppContext, input: SeedInput) => {
  const scenario = ctx.catalog.scenario(input.scenario)
  const r = decode(await solveScenario(ctx, scenario.id, { engine: "bb", timeLimitMs: 10_000 }))
  if (r.result.status !== "optimal" && r.result.status !== "feasible")
    throw new NoAnswer(`scenario ${scenario.id} has no package (${r.result.status}); nothing to seed from`)
  const funded = r.result.package.chosen.map((c) => c.proposal)
  const round = seedRound(ctx.catalog.round, funded, { id: input.round, title: input.title })
  return { scenario: scenario.id, funded, round, extras: carriedExtras(ctx, round) }
}

/**
 * The extra files a seeded round takes along: the uncertainty model of the proposals it carries
 * over (their risk sections, which the model quotes, come with them).
 */
const carriedExtras = (ctx: AppContext, round: { proposals: readonly { id: string }[] }) => {
  const file = join(ctx.catalog.round.dir, "uncertainty.json")
  if (!existsSync(file)) return {}
  const model = loadUncertainty(file)
  const ids = new Set(round.proposals.map((p) => p.id))
  const proposals = Object.fromEntries(Object.entries(model.proposals).filter(([id]) => ids.has(id)))
  return { "uncertainty.json": { ...model, proposals } }
}

/** Seed a round (see seedFromScenario) as a workbook in the template's layout, to update and import. */
export const seedAsWorkbook = async (ctx: AppContext, input: SeedInput) => {
  const seeded = await seedFromScenario(ctx, input)
  return { ...seeded, bytes: await xlsxBytes(roundWorkbook(seeded.round)) }
}

/** Seed a round (see seedFromScenario) and write it as a folder beside the others. */
export const seedRoundFolder = async (ctx: AppContext, input: SeedInput, dir = roundsDir()) => {
  const seeded = await seedFromScenario(ctx, input)
  if (seeded.round.config.id === ctx.catalog.round.config.id)
    throw new InvalidInput([{ path: "round", message: "the seeded round needs an id of its own" }])
  const folder = writeRoundFolder(dir, seeded.round, { replace: input.replace, extras: seeded.extras })
  return { ...seeded, dir: folder }
}
