import { z } from "zod"
import type { SolveResult } from "../../solver/result.ts"
import { SavedScenario, ScenarioVersion } from "../../store/bodies.ts"
import { contentHash } from "../../store/hash.ts"
import type { ShownFigures } from "../../store/schema.ts"
import type { AppContext } from "../context.ts"
import { Conflict, InvalidInput, NotFound } from "../errors.ts"
import { decode } from "../rawJson.ts"
import { RulesPatch } from "../rulesPatch.ts"
import { storeOf } from "./savedPackages.ts"
import { solveScenario } from "./solveScenario.ts"

/**
 * User scenarios: a named what-if over one of the round's scenarios, saved in versions with the
 * optimum it had when saved. One that names a confidential proposal exists only for callers with
 * the grant, like a saved package.
 */

export { SavedScenario }

export const SaveScenarioInput = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).default(""),
    basedOn: z
      .string()
      .min(1)
      .optional()
      .describe("The scenario whose rules it changes (default: the default one)"),
    rules: RulesPatch.optional().describe("What it changes"),
    note: z.string().max(10_000).default(""),
    baseVersion: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("PUT only: save only if this is still the latest"),
  })
  .strict()
export type SaveScenarioInput = z.output<typeof SaveScenarioInput>

export const ScenarioSaveList = z.object({
  count: z.number().int(),
  scenarios: z.array(SavedScenario.omit({ body: true })).readonly(),
})
export const ScenarioVersions = z.object({ id: z.string(), versions: z.array(ScenarioVersion).readonly() })

const view = (ctx: AppContext) => ({ confidential: ctx.caller.confidential })
const actor = (ctx: AppContext) => ({ keyId: ctx.caller.keyId })
const notFound = (id: string) => new NotFound("saved scenario", id, [])

const draftOf = async (ctx: AppContext, input: SaveScenarioInput) => {
  const { catalog } = ctx
  const base = catalog.scenario(input.basedOn)
  const out = await solveScenario(ctx, base.id, {
    ...(input.rules ? { rules: input.rules } : {}),
    engine: "bb",
    timeLimitMs: 2000,
  })
  const result = decode<{ result: SolveResult }>({ result: out.result }).result
  const figures: ShownFigures | null =
    result.status === "optimal" || result.status === "feasible"
      ? {
          objective: result.objective,
          poolUse: {
            service: result.package.totals.pool.service,
            anlaeg: result.package.totals.pool.anlaeg,
            priceLevel: catalog.prices.poolPriceLevel,
          },
          violations: [],
        }
      : null
  const named = JSON.stringify(input.rules ?? {}).match(/[A-Z]{2}\d{2,4}/g) ?? []
  return {
    name: input.title,
    note: input.note,
    body: { title: input.title, description: input.description, basedOn: base.id, rules: input.rules ?? {} },
    figures,
    dataHash: contentHash({ prices: catalog.prices, proposals: catalog.proposals, rules: base.rules }),
    confidential: named.some((id) => catalog.isConfidential(id)),
  }
}

/** Save a user scenario (version 1) with its optimum now. */
export const saveScenario = async (ctx: AppContext, input: SaveScenarioInput): Promise<SavedScenario> => {
  if (input.baseVersion !== undefined)
    throw new InvalidInput([
      { path: "body.baseVersion", message: "only a new version (PUT) has a base version" },
    ])
  return storeOf(ctx).scenarios.create(await draftOf(ctx, input), actor(ctx))
}

/** A new version of a user scenario. */
export const updateScenario = async (
  ctx: AppContext,
  id: string,
  input: SaveScenarioInput,
): Promise<SavedScenario> => {
  const store = storeOf(ctx)
  if (!(await store.scenarios.get(id, view(ctx)))) throw notFound(id)
  const r = await store.scenarios.update(
    id,
    await draftOf(ctx, input),
    actor(ctx),
    view(ctx),
    input.baseVersion,
  )
  if (r.status === "not-found") throw notFound(id)
  if (r.status === "conflict")
    throw new Conflict(
      `scenario ${id} is at version ${r.latest}, not ${input.baseVersion}: reopen it and save again`,
    )
  return r.saved
}

export const listSavedScenarios = async (ctx: AppContext) => {
  const list = await storeOf(ctx).scenarios.list(view(ctx))
  return { count: list.length, scenarios: list }
}

export const savedScenario = async (ctx: AppContext, id: string): Promise<SavedScenario> => {
  const s = await storeOf(ctx).scenarios.get(id, view(ctx))
  if (!s) throw notFound(id)
  return s
}

export const savedScenarioVersions = async (ctx: AppContext, id: string) => {
  const versions = await storeOf(ctx).scenarios.versions(id, view(ctx))
  if (!versions) throw notFound(id)
  return { id, versions }
}

export const deleteSavedScenario = async (ctx: AppContext, id: string) => {
  if (!(await storeOf(ctx).scenarios.remove(id, actor(ctx), view(ctx)))) throw notFound(id)
  return { id, deleted: true as const }
}
