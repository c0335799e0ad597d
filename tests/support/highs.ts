import highsModule from "highs"
import type { Problem } from "../../src/solver/compile.ts"
import type { Knapsack } from "../../src/solver/engine/problem.ts"

// Under NodeNext the package's CommonJS-style typings describe the default export as the module;
// at run time the default export is the loader function.
type Loader = typeof import("highs")["default"]
const loadHighs = highsModule as unknown as Loader
type Highs = Awaited<ReturnType<Loader>>
let instance: Promise<Highs> | null = null
const highs = () => {
  instance ??= loadHighs()
  return instance
}

const term = (c: number, name: string) => `${c < 0 ? "-" : "+"} ${Math.abs(c)} ${name}`

/** The compiled problem in CPLEX LP format, one binary per option: the oracle's independent model. */
export const toLpText = (problem: Problem): string => {
  const name = (g: number, o: number) => `x_${g}_${o}`
  const all = problem.groups.flatMap((g, gi) => g.options.map((_, oi) => [gi, oi] as const))
  const obj = all.map(([g, o]) => term(problem.groups[g]?.options[o]?.value ?? 0, name(g, o))).join(" ")
  const rows: string[] = []
  problem.groups.forEach((g, gi) => {
    if (!g.options.length) {
      if (g.mustChoose) rows.push(` lock_${gi}: 0 x_dummy >= 1`)
      return
    }
    rows.push(
      ` grp_${gi}: ${g.options.map((_, oi) => term(1, name(gi, oi))).join(" ")} ${g.mustChoose ? "=" : "<="} 1`,
    )
  })
  problem.constraints.forEach((c, ci) => {
    const lhs = all
      .map(([g, o]) => [c.coefs[g]?.[o] ?? 0, name(g, o)] as const)
      .filter(([a]) => a !== 0)
      .map(([a, n]) => term(a, n))
      .join(" ")
    const expr = lhs || "0 x_dummy"
    if (c.max !== undefined) rows.push(` cmax_${ci}: ${expr} <= ${c.max}`)
    if (c.min !== undefined) rows.push(` cmin_${ci}: ${expr} >= ${c.min}`)
  })
  problem.dependencies.forEach((d, di) => {
    const sum = (gi: number, sign: number) =>
      (problem.groups[gi]?.options ?? []).map((_, oi) => term(sign, name(gi, oi))).join(" ")
    const a = sum(d.a, 1)
    if (!a) return
    if (d.b < 0) rows.push(` dep_${di}: ${a} <= 0`)
    else if (d.kind === "requires") rows.push(` dep_${di}: ${a} ${sum(d.b, -1) || ""} <= 0`)
    else rows.push(` dep_${di}: ${a} ${sum(d.b, 1) || ""} <= 1`)
  })
  const bins = [...all.map(([g, o]) => name(g, o)), "x_dummy"]
  return `Maximize\n obj: ${obj || "0 x_dummy"}\nSubject To\n${rows.join("\n") || " none: 0 x_dummy <= 1"}\n ub_dummy: x_dummy <= 0\nBinary\n ${bins.join(" ")}\nEnd\n`
}

export interface OracleResult {
  readonly status: "optimal" | "infeasible"
  readonly objective: number | null
  readonly millis: number
  /** The proposals HiGHS chose (any variant). */
  readonly chosen: readonly string[]
}

/** Solve with HiGHS (WebAssembly) to a zero gap. */
export const solveWithHighs = async (problem: Problem): Promise<OracleResult> => {
  const h = await highs()
  const t0 = performance.now()
  const r = h.solve(toLpText(problem), { output_flag: false, mip_rel_gap: 0, mip_abs_gap: 1e-9 })
  const millis = performance.now() - t0
  if (r.Status === "Infeasible") return { status: "infeasible", objective: null, millis, chosen: [] }
  if (r.Status !== "Optimal") throw new Error(`HiGHS ended with ${r.Status}`)
  const chosen = problem.groups
    .filter((g, gi) => g.options.some((_, oi) => (r.Columns[`x_${gi}_${oi}`]?.Primal ?? 0) > 0.5))
    .map((g) => g.proposal)
  return { status: "optimal", objective: Math.round(r.ObjectiveValue), millis, chosen }
}

/** A knapsack of the engine in CPLEX LP format, one binary per option: the oracle's own model. */
export const knapsackLpText = (p: Knapsack): string => {
  const x = (k: number) => `x_${k}`
  const obj = p.values.map((v, k) => term(v, x(k))).join(" ")
  const rows: string[] = []
  const required = new Set<number>()
  p.required?.forEach((r, g) => {
    if (r) required.add(g)
  })
  for (let g = 0; g < p.groups; g++) {
    const ks = p.groupOf.flatMap((h, k) => (h === g ? [k] : []))
    if (!ks.length) {
      if (required.has(g)) rows.push(` req_${g}: 0 x_dummy >= 1`)
      continue
    }
    rows.push(` grp_${g}: ${ks.map((k) => term(1, x(k))).join(" ")} ${required.has(g) ? "=" : "<="} 1`)
  }
  p.rows.forEach((r, i) => {
    const lhs =
      r.coefs
        .map((c, k) => [c, k] as const)
        .filter(([c]) => c !== 0)
        .map(([c, k]) => term(c, x(k)))
        .join(" ") || "0 x_dummy"
    if (r.max !== undefined) rows.push(` rmax_${i}: ${lhs} <= ${r.max}`)
    if (r.min !== undefined) rows.push(` rmin_${i}: ${lhs} >= ${r.min}`)
  })
  ;(p.links ?? []).forEach((l, i) => {
    const sum = (g: number, s: number) =>
      p.groupOf.flatMap((h, k) => (h === g ? [term(s, x(k))] : [])).join(" ")
    if (l.kind === "requires") rows.push(` link_${i}: ${sum(l.a, 1)} ${sum(l.b, -1)} <= 0`)
    else rows.push(` link_${i}: ${sum(l.a, 1)} ${sum(l.b, 1)} <= 1`)
  })
  for (const k of p.forceIn ?? []) rows.push(` in_${k}: ${x(k)} = 1`)
  for (const k of p.forceOut ?? []) rows.push(` out_${k}: ${x(k)} = 0`)
  const bins = [...p.values.map((_, k) => x(k)), "x_dummy"]
  return `Maximize\n obj: ${obj || "0 x_dummy"}\nSubject To\n${rows.join("\n") || " none: 0 x_dummy <= 1"}\n ub_dummy: x_dummy <= 0\nBinary\n ${bins.join(" ")}\nEnd\n`
}

export interface LimitedResult {
  readonly status: "optimal" | "feasible" | "infeasible" | "timeout"
  readonly objective: number | null
  /** HiGHS's proven bound (its MIP dual bound). */
  readonly bound: number
  readonly millis: number
}

/** Solve LP text with HiGHS within a time limit, reporting its package value and its proven bound. */
export const solveLpTextWithHighs = async (lp: string, timeLimitS: number): Promise<LimitedResult> => {
  const h = await highs()
  return h.withModel({ format: "lp", data: lp }, (model): LimitedResult => {
    model.options.set("output_flag", false)
    model.options.set("mip_rel_gap", 0)
    model.options.set("mip_abs_gap", 1e-9)
    model.options.set("time_limit", timeLimitS)
    const t0 = performance.now()
    model.run()
    const millis = performance.now() - t0
    const s = model.getModelStatus()
    const bound = Number(model.info.get("mip_dual_bound"))
    if (s === 8) return { status: "infeasible", objective: null, bound: Number.NEGATIVE_INFINITY, millis }
    const hasSol = Number(model.info.get("primal_solution_status")) === 2
    const objective = hasSol ? Math.round(model.getObjectiveValue()) : null
    if (s === 7) return { status: "optimal", objective, bound: objective ?? bound, millis }
    return { status: objective === null ? "timeout" : "feasible", objective, bound, millis }
  })
}
