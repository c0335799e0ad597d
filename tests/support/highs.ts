import highsModule from "highs"
import type { Problem } from "../../src/solver/compile.ts"

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
