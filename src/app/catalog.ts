import { z } from "zod"
import { auditAll, Finding } from "../model/audit.ts"
import { netImpact, permanentChange, permanentEffect, poolCost, total } from "../model/cashflow.ts"
import { paybackYears } from "../model/payback.ts"
import { convertPrice } from "../model/priceLevel.ts"
import { BUILT_IN_ROUND_DIR, type Prices } from "../model/round.ts"
import { type PoolArea, Proposal, type Variant } from "../model/schema.ts"
import { AreaAmounts } from "../solver/result.ts"
import type { Scenario } from "../solver/scenario.ts"
import { NotFound } from "./errors.ts"
import { loadRound, type Round } from "./round.ts"

const list = <T extends z.ZodType>(item: T) => z.array(item).readonly()

/** A series per table year ("2026": amount), 1.000 kr. */
const ByYear = z.record(z.string(), z.number())
const AreaCost = z.object({
  service: z.object({ total: z.number(), byYear: ByYear }),
  anlaeg: z.object({ total: z.number(), byYear: ByYear }),
})
const PaybackYears = z.object({ total: z.number().nullable(), service: z.number().nullable() })

/** What the model derives from one variant's lines, in the table's and the pool's price level. */
export const VariantFigures = z.object({
  variant: z.string(),
  tablePriceLevel: z.number().int(),
  poolPriceLevel: z.number().int(),
  poolCostTable: AreaCost.describe("Implementation costs paid by the pool, table p/l"),
  poolCostPool: AreaCost.describe("The same moved to the pool's price level (fractions kept)"),
  permanentEffect: z
    .number()
    .describe(
      "Effektivisering v. fuld indfasning: yearly change at full phase-in, table p/l (negative = saving)",
    ),
  permanentChangeByYear: ByYear.describe("Permanent changes per year, table p/l"),
  netImpactByYear: ByYear.describe("Net impact (permanent change + implementation cost) per year, table p/l"),
  paybackYears: PaybackYears.describe("Tilbagebetalingstid in years on both bases; null = never pays back"),
})
export type VariantFigures = z.infer<typeof VariantFigures>

/** A proposal in a list: who, and the headline figures of each variant. */
export const ProposalSummary = z.object({
  id: z.string(),
  title: z.string(),
  committee: z.string(),
  administration: z.string(),
  poolPriceLevel: z.number().int(),
  variants: list(
    z.object({
      id: z.string(),
      label: z.string().describe("The table's caption as printed"),
      tablePriceLevel: z.number().int(),
      poolCostPool: AreaAmounts.describe("Pool cost over the whole period, pool p/l"),
      permanentEffect: z
        .number()
        .describe("Effektivisering v. fuld indfasning, table p/l (negative = saving)"),
      paybackYears: PaybackYears,
    }),
  ),
  findings: z.number().int().describe("Audit findings for this proposal"),
  unexplainedFindings: z.number().int().describe("Findings its anomalies list does not record"),
})
export type ProposalSummary = z.infer<typeof ProposalSummary>

/** Everything about one proposal: the data as transcribed, derived figures, audit findings. */
export const ProposalDetail = z.object({
  proposal: Proposal,
  figures: list(VariantFigures),
  findings: list(Finding),
})
export type ProposalDetail = z.infer<typeof ProposalDetail>

const byYear = (v: Variant, series: readonly number[], f: (x: number) => number = (x) => x) =>
  Object.fromEntries(v.years.map((y, i) => [String(y), f(series[i] ?? 0)]))

const areaCost = (v: Variant, to: number, prices: Prices) => {
  const one = (area: PoolArea) => {
    const conv = (x: number) => convertPrice(x, area, v.priceLevel, to, prices.priceIndex)
    const s = poolCost(v, area)
    return { total: conv(total(s)), byYear: byYear(v, s, conv) }
  }
  return { service: one("service"), anlaeg: one("anlaeg") }
}

/** The derived figures of one variant, at its own price level and the pool's. */
export const variantFigures = (v: Variant, prices: Prices): VariantFigures => ({
  variant: v.id,
  tablePriceLevel: v.priceLevel,
  poolPriceLevel: prices.poolPriceLevel,
  poolCostTable: areaCost(v, v.priceLevel, prices),
  poolCostPool: areaCost(v, prices.poolPriceLevel, prices),
  permanentEffect: permanentEffect(v),
  permanentChangeByYear: byYear(v, permanentChange(v)),
  netImpactByYear: byYear(v, netImpact(v)),
  paybackYears: { total: paybackYears(v, "total"), service: paybackYears(v, "service") },
})

export interface CatalogOptions {
  /** A round folder (default: the built-in OFS 2025-26 round). */
  readonly dataDir?: string
  /** The folder with the scenario files (default: `dataDir/what-ifs`). */
  readonly scenariosDir?: string
  /** The scenario used when a request names none (default: the one named like the round). */
  readonly defaultScenario?: string
  /** The folder of the confidential proposals (default: none). */
  readonly confidentialDir?: string
  /** An already loaded round (then the folders above are not read). */
  readonly round?: Round
  /** Whether this view holds the confidential proposals (default false: they do not exist in it). */
  readonly granted?: boolean
}

/**
 * The round an application answers from: loaded and validated once, with everything that does
 * not depend on a question (derived figures, the audit) computed up front.
 *
 * A catalog is one caller's view of the round: without the confidential grant (the default) the
 * confidential proposals are not in it at all, so nothing answered from it (lists, details,
 * solves, error messages naming the ids that exist) can mention them. `withGrant` gives the view
 * of the other kind of caller.
 */
export class Catalog {
  /** The round as this view sees it: `proposals` holds the confidential ones only when granted. */
  readonly round: Round
  readonly granted: boolean
  private readonly loaded: Round
  private readonly options: CatalogOptions
  private other: Catalog | undefined
  readonly findings: readonly Finding[]
  readonly defaultScenario: Scenario
  readonly summaries: readonly ProposalSummary[]
  readonly committees: readonly string[]
  private readonly proposalById: ReadonlyMap<string, Proposal>
  private readonly scenarioById: ReadonlyMap<string, Scenario>
  private readonly details = new Map<string, ProposalDetail>()

  constructor(options: CatalogOptions = {}) {
    const dir = options.dataDir ?? BUILT_IN_ROUND_DIR
    this.options = options
    this.loaded = options.round ?? loadRound(dir, options.scenariosDir, options.confidentialDir)
    this.granted = options.granted ?? false
    this.round =
      this.granted && this.loaded.confidential.length
        ? {
            ...this.loaded,
            proposals: [...this.loaded.proposals, ...this.loaded.confidential].sort((a, b) =>
              a.id.localeCompare(b.id),
            ),
          }
        : this.loaded
    const { proposals, overview, config, scenarios } = this.round
    this.findings = auditAll(proposals, overview, config)
    this.proposalById = new Map(proposals.map((p) => [p.id, p]))
    this.scenarioById = new Map(scenarios.map((s) => [s.id, s]))
    this.committees = [...new Set(proposals.map((p) => p.committee))]
    const wanted = options.defaultScenario ?? config.id
    const chosen = this.scenarioById.get(wanted) ?? (options.defaultScenario ? undefined : scenarios[0])
    if (!chosen) throw new NotFound("default scenario", wanted, this.scenarioIds())
    this.defaultScenario = chosen
    this.summaries = proposals.map((p) => this.summarise(p))
  }

  /** The view of a caller with (`true`) or without the confidential grant. */
  withGrant(granted: boolean): Catalog {
    if (granted === this.granted) return this
    if (!this.other) {
      this.other = new Catalog({ ...this.options, round: this.loaded, granted })
      this.other.other = this
    }
    return this.other
  }

  /** True when some proposal of the round is confidential (whether or not this view holds it). */
  get hasConfidential(): boolean {
    return this.loaded.confidential.length > 0
  }

  /** True when `id` is a confidential proposal that this view holds. */
  isConfidential(id: string): boolean {
    return this.granted && this.loaded.confidential.some((p) => p.id === id)
  }

  /** The round's price levels and index. */
  get prices(): Prices {
    return this.round.config
  }

  get proposals(): readonly Proposal[] {
    return this.round.proposals
  }

  get scenarios(): readonly Scenario[] {
    return this.round.scenarios
  }

  proposalIds(): string[] {
    return this.round.proposals.map((p) => p.id)
  }

  scenarioIds(): string[] {
    return this.round.scenarios.map((s) => s.id)
  }

  hasProposal(id: string): boolean {
    return this.proposalById.has(id)
  }

  /** The proposal with this id (any case); NotFound naming the ids that exist otherwise. */
  proposal(id: string): Proposal {
    const p = this.proposalById.get(id.toUpperCase())
    if (!p) throw new NotFound("proposal", id, this.proposalIds())
    return p
  }

  /** The scenario with this id (the default when undefined); NotFound naming the ids that exist otherwise. */
  scenario(id?: string): Scenario {
    if (id === undefined) return this.defaultScenario
    const s = this.scenarioById.get(id)
    if (!s) throw new NotFound("scenario", id, this.scenarioIds())
    return s
  }

  /** The committees whose name contains `part` (any case); NotFound naming them all when none does. */
  committeesMatching(part: string): string[] {
    const want = part.toLocaleLowerCase("da")
    const names = this.committees.filter((c) => c.toLocaleLowerCase("da").includes(want))
    if (!names.length) throw new NotFound("committee matching", part, this.committees)
    return names
  }

  /** One proposal with its figures per variant and its audit findings. */
  detail(id: string): ProposalDetail {
    const p = this.proposal(id)
    let d = this.details.get(p.id)
    if (!d) {
      d = {
        proposal: p,
        figures: p.variants.map((v) => variantFigures(v, this.prices)),
        findings: this.findings.filter((f) => f.proposal === p.id),
      }
      this.details.set(p.id, d)
    }
    return d
  }

  private summarise(p: Proposal): ProposalSummary {
    const findings = this.findings.filter((f) => f.proposal === p.id)
    return {
      id: p.id,
      title: p.title,
      committee: p.committee,
      administration: p.administration,
      poolPriceLevel: this.prices.poolPriceLevel,
      variants: p.variants.map((v) => {
        const f = variantFigures(v, this.prices)
        return {
          id: v.id,
          label: v.label,
          tablePriceLevel: v.priceLevel,
          poolCostPool: { service: f.poolCostPool.service.total, anlaeg: f.poolCostPool.anlaeg.total },
          permanentEffect: f.permanentEffect,
          paybackYears: f.paybackYears,
        }
      }),
      findings: findings.length,
      unexplainedFindings: findings.filter((f) => !f.recorded).length,
    }
  }
}
