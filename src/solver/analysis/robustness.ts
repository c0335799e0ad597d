import { z } from "zod"
import { builtInPrices, type Prices } from "../../model/round.ts"
import { type Proposal, ProposalId } from "../../model/schema.ts"
import { analysisDa } from "../../model/wording.ts"
import { Entry } from "../result.ts"
import type { Rules } from "../rules.ts"
import { kBest } from "./alternatives.ts"
import { AnalysedPackage, describe, Units, unitsOf } from "./package.ts"
import { baseOf, type Counter, optimum, warm } from "./resolve.ts"
import { factorOf, seeded, Triangular, triangular, type UncertaintyModel } from "./uncertainty.ts"

export const RobustnessRequest = z
  .object({
    draws: z.number().int().min(1).max(100_000).default(10_000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
    /** Per proposal: the factor on its estimated yearly saving, replacing the model's. */
    uncertainty: z.record(ProposalId, Triangular).default({}),
    /** Compare with this many of the next-best packages. */
    alternatives: z.number().int().min(0).max(10).default(3),
  })
  .strict()
export type RobustnessRequest = z.input<typeof RobustnessRequest>

/** Percentiles of a distribution of yearly savings (1.000 kr. 2027 p/l). */
export const Spread = z.object({
  mean: z.number(),
  p10: z.number(),
  p50: z.number(),
  p90: z.number(),
})
export type Spread = z.infer<typeof Spread>

export const Robustness = z.object({
  ...Units.shape,
  draws: z.number().int(),
  seed: z.number().int(),
  /** The factor distribution used for each proposal, and where it came from. */
  model: z.object({
    version: z.string(),
    entries: z.array(
      z.object({
        proposal: z.string(),
        min: z.number(),
        mode: z.number(),
        max: z.number(),
        from: z.enum(["override", "proposal", "class", "default"]),
        class: z.string().nullable(),
        source: z.string().nullable(),
      }),
    ),
  }),
  /** The nominal optimum (on the estimates). */
  nominal: AnalysedPackage,
  /** The nominal optimum's realised yearly saving over the draws. */
  realised: Spread,
  /** The optimum re-solved on each draw's savings (what perfect foresight would fund). */
  reoptimised: Spread,
  /** Share of draws in which the nominal optimum is still (one of) the best. */
  stillBest: z.number(),
  /** Share of draws in which the nominal optimum realises at least as much as each next-best package. */
  beats: z.array(
    z.object({ rank: z.number().int(), choices: z.array(Entry), behind: z.number(), share: z.number() }),
  ),
  /** Share of draws in which each proposal is in the re-solved optimum. */
  frequencies: z.array(z.object({ proposal: z.string(), nominal: z.boolean(), share: z.number() })),
  /** The optimiser's curse: nominal objective minus the mean realised saving of the nominal optimum. */
  shortfall: z.number(),
  /**
   * The nominal optimum's expected realised saving, exact from the model (each factor's mean is
   * (min + mode + max) / 3): the Monte Carlo mean converges to it. Nominal minus this is the part
   * of the shortfall the model's skew below the estimates explains for a package chosen on them.
   */
  expected: z.number(),
  /** Mean of (re-solved optimum − nominal optimum) on the draws' savings: what better knowledge would be worth. */
  regret: z.number(),
  /** The result in Danish, for a person. */
  summary: z.string(),
  stats: z.object({
    solves: z.number().int(),
    millis: z.number(),
    drawMillis: z.number(),
    solveMillis: z.number(),
  }),
})
export type Robustness = z.infer<typeof Robustness>

const spread = (xs: Float64Array): Spread => {
  const s = Float64Array.from(xs).sort()
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0
  return {
    mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length),
    p10: at(0.1),
    p50: at(0.5),
    p90: at(0.9),
  }
}

/**
 * Seeded Monte Carlo over the proposals' realised savings: each draw multiplies every proposal's
 * estimated yearly saving by a factor from its distribution and re-solves the scenario exactly
 * (values in whole kroner, so the re-solve is exact on the draw).
 */
export const robustness = (
  proposals: readonly Proposal[],
  rules: Rules,
  model: UncertaintyModel,
  request: RobustnessRequest = {},
  prices: Prices = builtInPrices(),
): Robustness => {
  const t0 = performance.now()
  const req = RobustnessRequest.parse(request)
  if (rules.objective.kind !== "permanentEffect")
    throw new RangeError("robustness models the yearly saving: use the permanentEffect objective")
  const base = baseOf(proposals, rules, prices)
  const counter: Counter = { solves: 0 }
  const top = optimum(base, counter)
  const others = req.alternatives ? kBest(base, req.alternatives + 1, counter, 0).slice(1) : []
  const groups = base.universe.groups
  const dists = groups.map((g) => factorOf(model, g.proposal, req.uncertainty))
  const random = seeded(req.seed)
  const N = req.draws
  const realised = new Float64Array(N)
  const reopt = new Float64Array(N)
  const beatCount = others.map(() => 0)
  const inCount = groups.map(() => 0)
  let best = 0
  let drawMillis = 0
  let solveMillis = 0
  const values = groups.map((g) => g.options.map(() => 0))
  const factor = new Float64Array(groups.length)
  const worth = (choice: readonly number[]) => {
    let s = 0
    choice.forEach((oi, gi) => {
      if (oi >= 0) s += values[gi]?.[oi] ?? 0
    })
    return s
  }
  const resolveDraw = warm(base, base.scenario, counter)
  for (let d = 0; d < N; d++) {
    const a = performance.now()
    groups.forEach((g, gi) => {
      const f = triangular(dists[gi]?.dist ?? { min: 1, mode: 1, max: 1 }, random())
      factor[gi] = f
      const row = values[gi] ?? []
      g.options.forEach((o, oi) => {
        row[oi] = Math.round(o.value * 1000 * f)
      })
    })
    const b = performance.now()
    const o = resolveDraw({ values, start: top.choice })
    solveMillis += performance.now() - b
    drawMillis += b - a
    if (o.status !== "optimal") continue
    const mine = worth(top.choice)
    realised[d] = mine / 1000
    reopt[d] = o.value / 1000
    if (mine >= o.value) best++
    others.forEach((x, i) => {
      if (mine >= worth(x.choice)) beatCount[i] = (beatCount[i] ?? 0) + 1
    })
    o.choice.forEach((oi, gi) => {
      if (oi >= 0) inCount[gi] = (inCount[gi] ?? 0) + 1
    })
  }
  const r = spread(realised)
  const ro = spread(reopt)
  const nominal = describe(base, top.choice)
  const shortfall = top.value - r.mean
  const expected = groups.reduce((sum, g, gi) => {
    const o = g.options[top.choice[gi] ?? -1]
    const d = dists[gi]?.dist
    return o && d ? sum + (o.value * (d.min + d.mode + d.max)) / 3 : sum
  }, 0)
  const stillBest = best / N
  return {
    ...unitsOf(base),
    draws: N,
    seed: req.seed,
    model: {
      version: model.version,
      entries: groups.map((g, gi) => {
        const d = dists[gi]
        const p = model.proposals[g.proposal]
        return {
          proposal: g.proposal,
          min: d?.dist.min ?? 1,
          mode: d?.dist.mode ?? 1,
          max: d?.dist.max ?? 1,
          from: d?.source ?? "default",
          class: p?.class ?? null,
          source: p?.source ?? null,
        }
      }),
    },
    nominal,
    realised: r,
    reoptimised: ro,
    stillBest,
    beats: others.map((x, i) => {
      const pkg = describe(base, x.choice)
      return {
        rank: i + 2,
        choices: pkg.choices,
        behind: top.value - x.value,
        share: (beatCount[i] ?? 0) / N,
      }
    }),
    frequencies: groups.map((g, gi) => ({
      proposal: g.proposal,
      nominal: (top.choice[gi] ?? -1) >= 0,
      share: (inCount[gi] ?? 0) / N,
    })),
    shortfall,
    expected,
    regret: ro.mean - r.mean,
    summary: analysisDa.robustness(
      { objective: top.value, draws: N, ...r, shortfall, stillBest, regret: ro.mean - r.mean },
      base.prices.tablePriceLevel,
    ),
    stats: { solves: counter.solves, millis: performance.now() - t0, drawMillis, solveMillis },
  }
}
