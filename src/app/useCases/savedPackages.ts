import { z } from "zod"
import { PackageEntry } from "../../solver/evaluate.ts"
import type { Evaluation } from "../../solver/result.ts"
import { PackageVersion, SavedPackage } from "../../store/bodies.ts"
import { contentHash } from "../../store/hash.ts"
import { type Draft, type Saved, ShownFigures } from "../../store/schema.ts"
import type { Collection, Store } from "../../store/store.ts"
import type { AppContext } from "../context.ts"
import { Conflict, InvalidInput, NoAnswer, NotFound } from "../errors.ts"
import { evaluatePackage } from "./evaluatePackage.ts"
import { evaluatedExport, type PackageExport } from "./packageExport.ts"

/**
 * Saved packages: a package is saved with the figures it showed (objective, pool use, broken
 * rules) and a hash of the data those figures came from, in versions that are never overwritten.
 *
 * A package that holds a confidential proposal, in any of its versions, is saved by a caller with
 * the grant and exists for such callers only: for everyone else it is not in lists and its id
 * gets the same answer as an id that never existed (not even its name shows).
 */

export { SavedPackage }

/** A package to save (POST /packages) or a new version of one (PUT /packages/:id). */
/** The fields every saved item's input shares: a note, and the version a PUT builds on. */
export const savedItemFields = {
  note: z.string().max(10_000).default(""),
  baseVersion: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("PUT only: save only if this is still the latest version (else 409)"),
}

export const SavePackageInput = z
  .object({
    name: z.string().trim().min(1).max(200).describe("What the negotiators call it"),
    scenario: z.string().min(1).optional().describe("Whose rules apply (default: the default scenario)"),
    package: z.array(PackageEntry).max(200).describe("The chosen variants, as POST /evaluate takes them"),
    ...savedItemFields,
  })
  .strict()
export type SavePackageInput = z.output<typeof SavePackageInput>

/** A package as reopened: the latest version, and how its figures stand on today's data. */
export const ReopenedPackage = SavedPackage.extend({
  current: z
    .object({
      dataHash: z.string(),
      dataChanged: z.boolean().describe("True when the data the figures came from has changed since saving"),
      figures: ShownFigures.nullable().describe(
        "Today's figures, when the data changed and the package still evaluates",
      ),
      notice: z.string().nullable().describe("For people (Danish): what changed"),
    })
    .describe("The saved figures against today's data"),
})
export type ReopenedPackage = z.output<typeof ReopenedPackage>

export const PackageList = z.object({
  count: z.number().int(),
  packages: z.array(SavedPackage.omit({ body: true })).readonly(),
})
export type PackageList = z.output<typeof PackageList>

export const PackageVersions = z.object({ id: z.string(), versions: z.array(PackageVersion).readonly() })
export type PackageVersions = z.output<typeof PackageVersions>

/** What differs between two versions of a package. */
export const PackageDiff = z.object({
  id: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  added: z.array(PackageEntry).readonly(),
  removed: z.array(PackageEntry).readonly(),
  changedVariant: z.array(z.object({ proposal: z.string(), from: z.string(), to: z.string() })).readonly(),
  scenario: z.object({ from: z.string(), to: z.string() }).nullable(),
  objective: z.object({ from: z.number().nullable(), to: z.number().nullable() }),
})
export type PackageDiff = z.output<typeof PackageDiff>

/** The store, which a face that offers saved work always configures. */
export const storeOf = (ctx: AppContext): Store => {
  if (!ctx.store) throw new Error("no store configured: saved work needs one (the service opens it)")
  return ctx.store
}

/** What the caller may see of saved work, as the store takes it. */
export const view = (ctx: AppContext) => ({ confidential: ctx.caller.confidential })
/** Who acts, as the store records it. */
export const actor = (ctx: AppContext) => ({ keyId: ctx.caller.keyId })
const notFound = (id: string) => new NotFound("saved package", id, [])

/** Version 1 of a saved item; a base version belongs only to a new version (PUT). */
export const createSaved = async <B>(
  ctx: AppContext,
  collection: Collection<B>,
  baseVersion: number | undefined,
  draft: () => Promise<Draft<B>>,
): Promise<Saved<B>> => {
  if (baseVersion !== undefined)
    throw new InvalidInput([
      { path: "body.baseVersion", message: "only a new version (PUT) has a base version" },
    ])
  return collection.create(await draft(), actor(ctx))
}

/** A new version of a saved item (`what`: "package", "scenario"); Conflict when `baseVersion` is no longer the latest. */
export const updateSaved = async <B>(
  ctx: AppContext,
  collection: Collection<B>,
  what: string,
  id: string,
  baseVersion: number | undefined,
  draft: () => Promise<Draft<B>>,
): Promise<Saved<B>> => {
  const missing = () => new NotFound(`saved ${what}`, id, [])
  if (!(await collection.get(id, view(ctx)))) throw missing()
  const r = await collection.update(id, await draft(), actor(ctx), view(ctx), baseVersion)
  if (r.status === "not-found") throw missing()
  if (r.status === "conflict")
    throw new Conflict(
      `${what} ${id} is at version ${r.latest}, not ${baseVersion}: reopen it and save again`,
    )
  return r.saved
}

/** The figures a person sees of an evaluation. */
export const shownFigures = (e: Evaluation, poolPriceLevel: number): ShownFigures => ({
  objective: e.package.objective,
  poolUse: {
    service: e.package.totals.pool.service,
    anlaeg: e.package.totals.pool.anlaeg,
    priceLevel: poolPriceLevel,
  },
  violations: e.broken.map((b) => ({ rule: b.rule, text: b.text })),
})

/**
 * The hash of what a package's figures depend on: the prices, the scenario's rules and the
 * chosen proposals' data. Another proposal changing does not change it; one of these does.
 */
const dataHashOf = (ctx: AppContext, scenarioId: string | undefined, entries: readonly PackageEntry[]) => {
  const { catalog } = ctx
  return contentHash({
    prices: catalog.prices,
    rules: catalog.scenario(scenarioId).rules,
    proposals: entries.map((e) =>
      catalog.hasProposal(e.proposal) ? catalog.proposal(e.proposal) : e.proposal,
    ),
  })
}

/** Evaluate a package as saved or reopened: its figures, data hash, and whether it is confidential. */
const assess = async (ctx: AppContext, scenario: string | undefined, entries: readonly PackageEntry[]) => {
  const e = await evaluatePackage(ctx, {
    ...(scenario === undefined ? {} : { scenario }),
    package: entries,
    engine: "bb",
    timeLimitMs: 2000,
  })
  return {
    scenario: e.scenario.id,
    figures: shownFigures(e, ctx.catalog.prices.poolPriceLevel),
    dataHash: dataHashOf(ctx, e.scenario.id, entries),
    confidential: entries.some((x) => ctx.catalog.isConfidential(x.proposal)),
  }
}

const draftOf = async (ctx: AppContext, input: SavePackageInput) => {
  const entries = input.package.map((e) => ({ ...e, proposal: e.proposal.toUpperCase() }))
  const a = await assess(ctx, input.scenario, entries)
  return {
    name: input.name,
    note: input.note,
    body: { round: ctx.catalog.round.config.id, scenario: a.scenario, package: entries },
    figures: a.figures,
    dataHash: a.dataHash,
    confidential: a.confidential,
  }
}

/** Save a new package (version 1) with the figures it shows now. */
export const savePackage = async (ctx: AppContext, input: SavePackageInput): Promise<SavedPackage> =>
  createSaved(ctx, storeOf(ctx).packages, input.baseVersion, () => draftOf(ctx, input))

/** A new version of a saved package; Conflict when `baseVersion` is no longer the latest. */
export const updatePackage = async (
  ctx: AppContext,
  id: string,
  input: SavePackageInput,
): Promise<SavedPackage> =>
  updateSaved(ctx, storeOf(ctx).packages, "package", id, input.baseVersion, () => draftOf(ctx, input))

/** The saved packages this caller may see, most recently saved first. */
export const listPackages = async (ctx: AppContext): Promise<PackageList> => {
  const list = await storeOf(ctx).packages.list(view(ctx))
  return { count: list.length, packages: list }
}

const DATA_CHANGED =
  "Data er ændret, siden pakken blev gemt: de gemte tal er dem, der blev vist dengang; 'current' viser tallene i dag."

/** A saved package (latest version) and how its figures stand on today's data. */
export const reopenPackage = async (ctx: AppContext, id: string): Promise<ReopenedPackage> => {
  const saved = await storeOf(ctx).packages.get(id, view(ctx))
  if (!saved) throw notFound(id)
  const { round, scenario, package: entries } = saved.body
  const here = ctx.catalog.round.config.id
  if (round !== undefined && round !== here)
    return {
      ...saved,
      current: {
        dataHash: "",
        dataChanged: false,
        figures: null,
        notice: `Pakken hører til runden ${round}, ikke ${here}: åbn den dér (/rounds/${round}/packages/${saved.id}).`,
      },
    }
  let dataHash: string
  try {
    dataHash = dataHashOf(ctx, scenario, entries)
  } catch (e) {
    if (!(e instanceof NotFound)) throw e
    return {
      ...saved,
      current: {
        dataHash: "",
        dataChanged: true,
        figures: null,
        notice: `Scenariet ${scenario} findes ikke længere.`,
      },
    }
  }
  if (dataHash === saved.dataHash)
    return { ...saved, current: { dataHash, dataChanged: false, figures: null, notice: null } }
  try {
    const now = await assess(ctx, scenario, entries)
    return { ...saved, current: { dataHash, dataChanged: true, figures: now.figures, notice: DATA_CHANGED } }
  } catch (e) {
    if (!(e instanceof InvalidInput)) throw e
    return {
      ...saved,
      current: {
        dataHash,
        dataChanged: true,
        figures: null,
        notice: `Data er ændret, og pakken kan ikke længere vurderes: ${e.message}`,
      },
    }
  }
}

/** Which saved packages to read: `includeDeleted` also finds deleted ones (their history is kept). */
export const HistoryQuery = z
  .object({ includeDeleted: z.stringbool().default(false).describe("Also a deleted package's history") })
  .strict()
export type HistoryQuery = z.output<typeof HistoryQuery>

/** Every version of a saved package, oldest first (of a deleted one too, when asked). */
export const packageVersions = async (
  ctx: AppContext,
  id: string,
  query: HistoryQuery = { includeDeleted: false },
): Promise<PackageVersions> => {
  const versions = await storeOf(ctx).packages.versions(id, {
    ...view(ctx),
    includeDeleted: query.includeDeleted,
  })
  if (!versions) throw notFound(id)
  return { id, versions }
}

/** Soft-delete a saved package: gone from lists, its versions kept. */
export const deletePackage = async (ctx: AppContext, id: string): Promise<{ id: string; deleted: true }> => {
  if (!(await storeOf(ctx).packages.remove(id, actor(ctx), view(ctx)))) throw notFound(id)
  return { id, deleted: true }
}

/** What differs between version `from` and version `to` (default: the two latest). */
export const diffPackage = async (
  ctx: AppContext,
  id: string,
  from?: number,
  to?: number,
): Promise<PackageDiff> => {
  const versions = await storeOf(ctx).packages.versions(id, view(ctx))
  if (!versions) throw notFound(id)
  const last = versions.length
  const b = versions.find((v) => v.version === (to ?? last))
  const a = versions.find((v) => v.version === (from ?? Math.max(1, (to ?? last) - 1)))
  if (!a || !b)
    throw new NotFound(
      "version",
      String(a ? to : from),
      versions.map((v) => String(v.version)),
    )
  const before = new Map(a.body.package.map((e) => [e.proposal, e.variant]))
  const after = new Map(b.body.package.map((e) => [e.proposal, e.variant]))
  return {
    id,
    from: a.version,
    to: b.version,
    added: b.body.package.filter((e) => !before.has(e.proposal)),
    removed: a.body.package.filter((e) => !after.has(e.proposal)),
    changedVariant: b.body.package.flatMap((e) => {
      const was = before.get(e.proposal)
      return was !== undefined && was !== e.variant
        ? [{ proposal: e.proposal, from: was, to: e.variant }]
        : []
    }),
    scenario: a.body.scenario === b.body.scenario ? null : { from: a.body.scenario, to: b.body.scenario },
    objective: { from: a.figures?.objective ?? null, to: b.figures?.objective ?? null },
  }
}

/**
 * A saved package's latest version, evaluated on today's data under its scenario, as an export
 * (the same workbook as `POST /evaluate/export`, titled with the package's name and version).
 */
export const savedPackageExport = async (ctx: AppContext, id: string): Promise<PackageExport> => {
  const saved = await storeOf(ctx).packages.get(id, view(ctx))
  if (!saved) throw notFound(id)
  const { round, scenario, package: entries } = saved.body
  const here = ctx.catalog.round.config.id
  if (round !== undefined && round !== here)
    throw new NoAnswer(
      `package ${id} belongs to round ${round}: export it there (/rounds/${round}/packages/${id}/export.xlsx)`,
    )
  const x = evaluatedExport(
    ctx,
    await evaluatePackage(ctx, { scenario, package: entries, engine: "bb", timeLimitMs: 2000 }),
  )
  return { ...x, title: `${saved.name} (version ${saved.version}): ${x.title}` }
}
