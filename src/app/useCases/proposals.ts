import { z } from "zod"
import { PoolArea } from "../../model/schema.ts"
import { ProposalDetail, ProposalSummary } from "../catalog.ts"
import type { AppContext } from "../context.ts"
import { InvalidInput, NotFound } from "../errors.ts"

/** Which proposals to list. */
export const ProposalsFilter = z
  .object({
    committee: z
      .string()
      .min(1)
      .optional()
      .describe("Udvalg: the full name or a part of it, any case (e.g. 'Socialudvalget' or 'social')"),
    area: PoolArea.optional().describe("Only proposals with pool cost in this area (service or anlæg)"),
  })
  .strict()
export type ProposalsFilter = z.output<typeof ProposalsFilter>

export const ProposalList = z.object({
  count: z.number().int(),
  proposals: z.array(ProposalSummary).readonly(),
})
export type ProposalList = z.output<typeof ProposalList>

export const ProposalDetails = z.object({
  count: z.number().int(),
  proposals: z.array(ProposalDetail).readonly(),
})
export type ProposalDetails = z.output<typeof ProposalDetails>

/** The summaries of the proposals the filter keeps (committee and pool area), in the catalog's order. */
const filtered = (ctx: AppContext, filter: ProposalsFilter): ProposalSummary[] => {
  const { catalog } = ctx
  let list = [...catalog.summaries]
  const { committee, area } = filter
  if (committee !== undefined) {
    let names: string[]
    try {
      names = catalog.committeesMatching(committee)
    } catch (e) {
      if (!(e instanceof NotFound)) throw e
      throw new InvalidInput([
        {
          path: "querystring.committee",
          message: `no committee matches "${committee}"; known: ${catalog.committees.join(", ")}`,
        },
      ])
    }
    list = list.filter((p) => names.includes(p.committee))
  }
  if (area !== undefined) list = list.filter((p) => p.variants.some((v) => v.poolCostPool[area] > 0))
  return list
}

/** The proposals with their headline figures, filtered by committee and pool area. */
export const listProposals = (ctx: AppContext, filter: ProposalsFilter = {}): ProposalList => {
  const list = filtered(ctx, filter)
  return { count: list.length, proposals: list }
}

/** What `proposalDetail` gives, for every proposal the filter keeps: one request instead of one per proposal. */
export const proposalDetails = (ctx: AppContext, filter: ProposalsFilter = {}): ProposalDetails => {
  const list = filtered(ctx, filter).map((p) => ctx.catalog.detail(p.id))
  return { count: list.length, proposals: list }
}

/** One proposal: variants, lines, derived figures in both price levels, audit findings. */
export const proposalDetail = (ctx: AppContext, id: string): ProposalDetail => ctx.catalog.detail(id)
