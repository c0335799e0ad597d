import { z } from "zod"
import { entryName, lackedInRoundDa, savedInOtherRoundDa, unsolvableHereDa } from "../../model/wording.ts"
import { checkRules } from "../../solver/compile.ts"
import type { SolveResult } from "../../solver/result.ts"
import { poolPriceLevelOf, type Rules } from "../../solver/rules.ts"
import { SavedScenario, ScenarioVersion } from "../../store/bodies.ts"
import { contentHash } from "../../store/hash.ts"
import { ShownFigures } from "../../store/schema.ts"
import type { AppContext } from "../context.ts"
import { InvalidInput, NotFound } from "../errors.ts"
import { decode } from "../rawJson.ts"
import { mergeRules, RulesPatch } from "../rulesPatch.ts"
import { actor, createSaved, savedItemFields, storeOf, updateSaved, view } from "./savedPackages.ts"
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
    ...savedItemFields,
  })
  .strict()
export type SaveScenarioInput = z.output<typeof SaveScenarioInput>

export const ScenarioSaveList = z.object({
  count: z.number().int(),
  scenarios: z.array(SavedScenario.omit({ body: true })).readonly(),
})
export const ScenarioVersions = z.object({ id: z.string(), versions: z.array(ScenarioVersion).readonly() })

const notFound = (id: string) => new NotFound("saved scenario", id, [])

/**
 * What a user scenario keeps: the scenario it changes, the change, and the round (data set) the
 * version was saved in (absent in versions saved before the round was kept). It is solved in
 * whichever round it is opened in.
 */
const UserScenario = z.object({
  title: z.string(),
  description: z.string(),
  basedOn: z.string(),
  rules: RulesPatch,
  round: z.string().min(1).optional(),
})
export type UserScenario = z.output<typeof UserScenario>

/** The optimum's figures as shown. */
const optimumFigures = (result: SolveResult, poolPriceLevel: number): ShownFigures | null =>
  result.status === "optimal" || result.status === "feasible"
    ? {
        objective: result.objective,
        poolUse: {
          service: result.package.totals.pool.service,
          anlaeg: result.package.totals.pool.anlaeg,
          priceLevel: poolPriceLevel,
        },
        violations: [],
      }
    : null

/**
 * The view a user scenario is solved in: with the confidential proposals only when it names one.
 * A scenario that names none is shown to everyone, so its figures must not depend on them either.
 */
const solvingView = (ctx: AppContext, s: Pick<UserScenario, "rules">) => {
  const named = JSON.stringify(s.rules).match(/[A-Z]{2}\d{2,4}/g) ?? []
  const confidential = named.some((id) => ctx.catalog.isConfidential(id))
  return { confidential, ctx: confidential ? ctx : ctx.forCaller({ ...ctx.caller, confidential: false }) }
}

/** The hash of what a user scenario's optimum depends on: prices, the base rules, the proposals it chooses from. */
const dataHashOf = (ctx: AppContext, s: UserScenario) => {
  const { catalog } = solvingView(ctx, s).ctx
  return contentHash({
    prices: catalog.prices,
    proposals: catalog.proposals,
    rules: catalog.scenario(s.basedOn).rules,
  })
}

/** The context a user scenario is solved in (see solvingView): for re-solves beside its optimum. */
export const userScenarioContext = (ctx: AppContext, s: Pick<UserScenario, "rules">): AppContext =>
  solvingView(ctx, s).ctx

/** Solve a user scenario: the base scenario's optimum with the change merged in. */
export const solveUserScenario = async (
  ctx: AppContext,
  s: UserScenario,
  settings: { engine: "bb" | "lp"; timeLimitMs: number } = { engine: "bb", timeLimitMs: 2000 },
) => solveScenario(solvingView(ctx, s).ctx, s.basedOn, { rules: s.rules, ...settings })

const assess = async (ctx: AppContext, s: UserScenario) => {
  const out = await solveUserScenario(ctx, s)
  const result = decode<{ result: SolveResult }>({ result: out.result }).result
  return {
    figures: optimumFigures(result, ctx.catalog.prices.poolPriceLevel),
    dataHash: dataHashOf(ctx, s),
    confidential: solvingView(ctx, s).confidential,
  }
}

const draftOf = async (ctx: AppContext, input: SaveScenarioInput) => {
  const body: UserScenario = {
    title: input.title,
    description: input.description,
    basedOn: ctx.catalog.scenario(input.basedOn).id,
    rules: input.rules ?? {},
    round: ctx.catalog.round.config.id,
  }
  return { name: input.title, note: input.note, body, ...(await assess(ctx, body)) }
}

/** Save a user scenario (version 1) with its optimum now. */
export const saveScenario = async (ctx: AppContext, input: SaveScenarioInput): Promise<SavedScenario> =>
  createSaved(ctx, storeOf(ctx).scenarios, input.baseVersion, () => draftOf(ctx, input))

/** A new version of a user scenario. */
export const updateScenario = async (
  ctx: AppContext,
  id: string,
  input: SaveScenarioInput,
): Promise<SavedScenario> =>
  updateSaved(ctx, storeOf(ctx).scenarios, "scenario", id, input.baseVersion, () => draftOf(ctx, input))

export const listSavedScenarios = async (ctx: AppContext) => {
  const list = await storeOf(ctx).scenarios.list(view(ctx))
  return { count: list.length, scenarios: list }
}

export const ReopenedScenario = SavedScenario.extend({
  current: z
    .object({
      dataHash: z.string(),
      dataChanged: z.boolean().describe("True when the data its optimum came from has changed since saving"),
      figures: ShownFigures.nullable().describe("Today's optimum, when the data changed"),
      notice: z.string().nullable().describe("For people (Danish): what changed"),
    })
    .describe("The saved optimum against today's data"),
})
export type ReopenedScenario = z.output<typeof ReopenedScenario>

const stored = async (ctx: AppContext, id: string) => {
  const s = await storeOf(ctx).scenarios.get(id, view(ctx))
  if (!s) throw notFound(id)
  return { saved: s, body: UserScenario.parse(s.body) }
}

/** A version saved in another round than the context's, in Danish (see savedInOtherRoundDa); null when not. */
export const otherRoundNotice = (
  ctx: AppContext,
  body: { readonly round?: string | undefined },
): string | null => savedInOtherRoundDa(body.round, ctx.catalog.round.config.id)

/** A user scenario, and how its optimum stands on today's data (and, saved in another round, says so). */
export const savedScenario = async (ctx: AppContext, id: string): Promise<ReopenedScenario> => {
  const { saved, body } = await stored(ctx, id)
  const reopened = await reopenedHere(ctx, saved, body)
  const elsewhere = otherRoundNotice(ctx, body)
  if (elsewhere === null) return reopened
  const notice = [elsewhere, reopened.current.notice].filter(Boolean).join(" ")
  return { ...reopened, current: { ...reopened.current, notice } }
}

const reopenedHere = async (
  ctx: AppContext,
  saved: SavedScenario,
  body: UserScenario,
): Promise<ReopenedScenario> => {
  let dataHash: string
  try {
    dataHash = dataHashOf(ctx, body)
  } catch (e) {
    if (!(e instanceof NotFound)) throw e
    const notice = `Scenariet ${body.basedOn} findes ikke længere.`
    return { ...saved, current: { dataHash: "", dataChanged: true, figures: null, notice } }
  }
  if (dataHash === saved.dataHash)
    return { ...saved, current: { dataHash, dataChanged: false, figures: null, notice: null } }
  const missing = missingInRound(ctx, mergedRules(ctx, body))
  if (missing !== null) {
    return {
      ...saved,
      current: { dataHash, dataChanged: true, figures: null, notice: unsolvableHereDa(missing) },
    }
  }
  const now = await assess(ctx, body)
  const notice =
    "Data er ændret, siden scenariet blev gemt: de gemte tal er dem, der blev vist dengang; 'current' viser optimum i dag."
  return { ...saved, current: { dataHash, dataChanged: true, figures: now.figures, notice } }
}

/** A user scenario's rules: its base scenario's in the context's round with its change merged in. */
const mergedRules = (ctx: AppContext, body: UserScenario): Rules => {
  const { catalog } = ctx
  return mergeRules(catalog.scenario(body.basedOn).rules, body.rules, catalog.prices.priceIndex)
}

/**
 * Solve a saved user scenario (its latest version) now. InvalidInput when its rules name what the
 * round lacks, with the stored version's rules as the path: the request itself had no rules.
 */
export const solveSavedScenario = async (
  ctx: AppContext,
  id: string,
  settings: { engine: "bb" | "lp"; timeLimitMs: number },
) => {
  const { saved, body } = await stored(ctx, id)
  const lacked = lackedInRound(ctx, mergedRules(ctx, body))
  if (lacked.length)
    throw new InvalidInput([
      {
        path: `rules of saved scenario ${id} (version ${saved.version})`,
        message: `name ${lacked.join(", ")}, which round ${ctx.catalog.round.config.id} does not have: it cannot be solved in this round`,
      },
    ])
  return solveUserScenario(ctx, body, settings)
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

/**
 * The user scenarios (latest versions) with the scenario each is based on: the list the command
 * line shows. `basedOn` is null for a body this version of pulje cannot read.
 */
export const listSavedScenariosWithBase = async (ctx: AppContext) => {
  const { count, scenarios } = await listSavedScenarios(ctx)
  const collection = storeOf(ctx).scenarios
  const withBase = await Promise.all(
    scenarios.map(async (s) => {
      const body = UserScenario.safeParse((await collection.get(s.id, view(ctx)))?.body)
      return { ...s, basedOn: body.success ? body.data.basedOn : null }
    }),
  )
  return { count, scenarios: withBase }
}

/**
 * A version of a user scenario (`latest`: the scenario's newest version number) read for saying
 * what it changes: its body, its base scenario's rules and its own (the change merged in); `base`
 * is null when the base scenario is no longer in the round. What saveScenario and updateScenario
 * return reads so as it is, without asking the store again.
 */
export const describeVersion = (ctx: AppContext, saved: ScenarioVersion, latest: number) => {
  const body = UserScenario.parse(saved.body)
  const { catalog } = ctx
  if (!catalog.scenarioIds().includes(body.basedOn)) return { saved, body, latest, base: null }
  const base = catalog.scenario(body.basedOn)
  return {
    saved,
    body,
    latest,
    base: { id: base.id, title: base.title, rules: base.rules },
    rules: mergedRules(ctx, body),
  }
}

/** One version of a user scenario (the latest when `version` is undefined), as describeVersion reads it. NotFound for an unknown id or version. */
export const userScenarioVersion = async (ctx: AppContext, id: string, version?: number) => {
  const versions = (await savedScenarioVersions(ctx, id)).versions
  const saved = version === undefined ? versions.at(-1) : versions.find((v) => v.version === version)
  if (!saved)
    throw new NotFound(
      `version of saved scenario ${id}`,
      String(version),
      versions.map((v) => String(v.version)),
    )
  return describeVersion(ctx, saved, versions.at(-1)?.version ?? saved.version)
}

/** The thing a rule issue's path points at in `rules`, as the rules name it ("BC05", "BC10:scenario-2", a committee). */
const namedAt = (ctx: AppContext, rules: Rules, path: readonly (string | number)[]): string => {
  const [list, i, field] = path
  if (list === "locks" && typeof i === "number") {
    const lock = rules.locks[i]
    return lock
      ? field === "variant"
        ? entryName(lock.proposal, lock.variant ?? "base")
        : lock.proposal
      : ""
  }
  if (list === "variants" && typeof i === "string")
    return typeof field === "number" ? entryName(i, rules.variants[i]?.[field] ?? "") : i
  if (list === "committees" && typeof i === "number") return rules.committees[i]?.committee ?? ""
  if (list === "dependencies" && typeof i === "number" && (field === "proposal" || field === "other"))
    return rules.dependencies[i]?.[field] ?? ""
  if (list === "exclude" && typeof i === "number") return rules.exclude[i] ?? ""
  if (list === "payback" && i === "exempt" && typeof field === "number")
    return rules.payback.exempt[field] ?? ""
  return `p/l ${poolPriceLevelOf(rules, ctx.catalog.prices)}`
}

/** What `rules` name that the context's round does not have, as the rules name it (see namedAt); empty when none. */
const lackedInRound = (ctx: AppContext, rules: Rules): string[] => {
  const issues = checkRules(ctx.catalog.proposals, rules, ctx.catalog.prices)
  return [...new Set(issues.map((i) => namedAt(ctx, rules, i.path)))]
}

/**
 * What a user scenario's rules (its base scenario's with the change merged in) name that the
 * context's round does not have, in Danish for people: "nævner BC05, BC10:scenario-2, som runden
 * ofs-2025-26 ikke har" (proposals, variants, committees, or a price level "p/l 2030"). Its
 * optimum cannot be solved in that round; null when it can.
 */
export const missingInRound = (ctx: AppContext, rules: Rules): string | null => {
  const named = lackedInRound(ctx, rules)
  return named.length ? lackedInRoundDa(named, ctx.catalog.round.config.id) : null
}
