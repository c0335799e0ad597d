import { basename, join } from "node:path"
import { auditAll, type Finding } from "../model/audit.ts"
import { netImpact, permanentChange, permanentEffect, poolCost, total } from "../model/cashflow.ts"
import { type DataSet, loadDataSet } from "../model/load.ts"
import { paybackYears } from "../model/payback.ts"
import { convertPrice } from "../model/priceLevel.ts"
import type { PoolArea, Proposal, Variant } from "../model/schema.ts"
import { Rules } from "../solver/rules.ts"
import { loadScenarios, type Scenario } from "../solver/scenario.ts"
import { notFound } from "./errors.ts"

/** The price level the pool pays out in (the default of `Rules.poolPriceLevel`). */
export const POOL_PRICE_LEVEL: number = Rules.parse({}).poolPriceLevel

/** The built-in data set of the repository (OFS 2025-26), found relative to this module. */
export const DEFAULT_DATA_DIR = join(import.meta.dirname, "..", "..", "scenarios", "ofs-2025-26")

/** A series per table year ("2026": amount), 1.000 kr. */
export type ByYear = Record<string, number>

/** Pool cost in one price level: per area, the whole period and per year (1.000 kr.). */
export interface AreaCost {
  readonly service: { readonly total: number; readonly byYear: ByYear }
  readonly anlaeg: { readonly total: number; readonly byYear: ByYear }
}

/** What the model derives from one variant's lines. */
export interface VariantFigures {
  /** Price level of the table (the variant's own, 2027 p/l for OFS 2025-26). */
  readonly tablePriceLevel: number
  readonly poolPriceLevel: number
  /** Implementation costs paid by the pool, at the table's price level. */
  readonly poolCostTable: AreaCost
  /** The same moved to the pool's price level (fractions kept). */
  readonly poolCostPool: AreaCost
  /** Effektivisering v. fuld indfasning: yearly change at full phase-in, table p/l (negative = saving). */
  readonly permanentEffect: number
  /** Permanent changes per year, table p/l. */
  readonly permanentChangeByYear: ByYear
  /** Net impact (permanent change + implementation cost) per year, table p/l. */
  readonly netImpactByYear: ByYear
  /** Tilbagebetalingstid in years on both bases; null = never pays back. */
  readonly paybackYears: { readonly total: number | null; readonly service: number | null }
}

/** A proposal in a list: who, and the headline figures of each variant. */
export interface ProposalSummary {
  readonly id: string
  readonly title: string
  readonly committee: string
  readonly administration: string
  readonly poolPriceLevel: number
  readonly variants: readonly {
    readonly id: string
    readonly label: string
    readonly tablePriceLevel: number
    /** Pool cost over the whole period, pool p/l. */
    readonly poolCostPool: { readonly service: number; readonly anlaeg: number }
    /** Table p/l. */
    readonly permanentEffect: number
    readonly paybackYears: { readonly total: number | null; readonly service: number | null }
  }[]
  /** Audit findings for this proposal, and how many of them its anomalies list does not record. */
  readonly findings: number
  readonly unexplainedFindings: number
}

/** Everything about one proposal: the data as transcribed, derived figures, audit findings. */
export interface ProposalDetail {
  readonly proposal: Proposal
  readonly figures: readonly ({ readonly variant: string } & VariantFigures)[]
  readonly findings: readonly Finding[]
}

const byYear = (v: Variant, series: readonly number[], f: (x: number) => number = (x) => x): ByYear =>
  Object.fromEntries(v.years.map((y, i) => [String(y), f(series[i] ?? 0)]))

const areaCost = (v: Variant, to: number): AreaCost => {
  const one = (area: PoolArea) => {
    const conv = (x: number) => convertPrice(x, area, v.priceLevel, to)
    const s = poolCost(v, area)
    return { total: conv(total(s)), byYear: byYear(v, s, conv) }
  }
  return { service: one("service"), anlaeg: one("anlaeg") }
}

/** The derived figures of one variant, at its own price level and the pool's. */
export const variantFigures = (v: Variant, poolPriceLevel = POOL_PRICE_LEVEL): VariantFigures => ({
  tablePriceLevel: v.priceLevel,
  poolPriceLevel,
  poolCostTable: areaCost(v, v.priceLevel),
  poolCostPool: areaCost(v, poolPriceLevel),
  permanentEffect: permanentEffect(v),
  permanentChangeByYear: byYear(v, permanentChange(v)),
  netImpactByYear: byYear(v, netImpact(v)),
  paybackYears: { total: paybackYears(v, "total"), service: paybackYears(v, "service") },
})

export interface CatalogOptions {
  /** Directory with overview.json and proposals/ (default: the built-in OFS 2025-26 data). */
  readonly dataDir?: string
  /** Directory with the scenario files (default: `dataDir/scenarios`). */
  readonly scenariosDir?: string
  /** The scenario used when a request names none (default: the one named like the data directory). */
  readonly defaultScenario?: string
}

/**
 * The data a service answers from: loaded and validated once, with everything that does not
 * depend on a request (derived figures, the audit) computed up front.
 */
export class Catalog {
  readonly dataDir: string
  readonly scenariosDir: string
  readonly data: DataSet
  readonly scenarios: readonly Scenario[]
  readonly findings: readonly Finding[]
  readonly defaultScenario: Scenario
  readonly summaries: readonly ProposalSummary[]
  readonly committees: readonly string[]
  private readonly proposalById: ReadonlyMap<string, Proposal>
  private readonly scenarioById: ReadonlyMap<string, Scenario>
  private readonly details = new Map<string, ProposalDetail>()

  constructor(options: CatalogOptions = {}) {
    this.dataDir = options.dataDir ?? DEFAULT_DATA_DIR
    this.scenariosDir = options.scenariosDir ?? join(this.dataDir, "scenarios")
    this.data = loadDataSet(this.dataDir)
    this.scenarios = loadScenarios(this.scenariosDir)
    this.findings = auditAll(this.data.proposals, this.data.overview)
    this.proposalById = new Map(this.data.proposals.map((p) => [p.id, p]))
    this.scenarioById = new Map(this.scenarios.map((s) => [s.id, s]))
    this.committees = [...new Set(this.data.proposals.map((p) => p.committee))]
    const wanted = options.defaultScenario ?? basename(this.dataDir)
    const fallback = this.scenarios[0]
    const chosen = this.scenarioById.get(wanted) ?? (options.defaultScenario ? undefined : fallback)
    if (!chosen)
      throw new Error(
        `no default scenario "${wanted}" in ${this.scenariosDir} (there are: ${this.scenarioIds().join(", ") || "none"})`,
      )
    this.defaultScenario = chosen
    this.summaries = this.data.proposals.map((p) => this.summarise(p))
  }

  proposalIds(): string[] {
    return this.data.proposals.map((p) => p.id)
  }

  scenarioIds(): string[] {
    return this.scenarios.map((s) => s.id)
  }

  hasProposal(id: string): boolean {
    return this.proposalById.has(id)
  }

  /** The proposal with this id; a 404 naming the ids that exist otherwise. */
  proposal(id: string): Proposal {
    const p = this.proposalById.get(id.toUpperCase())
    if (!p) throw notFound("proposal", id, this.proposalIds())
    return p
  }

  /** The scenario with this id (the default when undefined); a 404 naming the ids that exist otherwise. */
  scenario(id?: string): Scenario {
    if (id === undefined) return this.defaultScenario
    const s = this.scenarioById.get(id)
    if (!s) throw notFound("scenario", id, this.scenarioIds())
    return s
  }

  /** One proposal with its figures per variant and its audit findings. */
  detail(id: string): ProposalDetail {
    const p = this.proposal(id)
    let d = this.details.get(p.id)
    if (!d) {
      d = {
        proposal: p,
        figures: p.variants.map((v) => ({ variant: v.id, ...variantFigures(v) })),
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
      poolPriceLevel: POOL_PRICE_LEVEL,
      variants: p.variants.map((v) => {
        const f = variantFigures(v)
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
