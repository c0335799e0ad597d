import lpSolverModule, { type Model, type SolveResult } from "javascript-lp-solver"
import { buildModel, keepsEveryRule, packageValue } from "./model.ts"
import type { Knapsack, KnapsackOptions, KnapsackResult } from "./problem.ts"

const INT_TOL = 1e-6

// The package's types describe the default export loosely under NodeNext; this is its shape.
const lpSolver = lpSolverModule as unknown as { Solve(model: Model): SolveResult }

/** The knapsack as a javascript-lp-solver model: one binary per option (or [0, 1] when relaxed). */
export const toLpModel = (p: Knapsack, relax = false): Model => {
  const variables: Record<string, Record<string, number>> = {}
  const constraints: Model["constraints"] = {}
  const binaries: Record<string, 1> = {}
  const required = new Set<number>()
  p.required?.forEach((r, g) => {
    if (r) required.add(g)
  })
  for (const k of p.forceIn ?? []) required.add(p.groupOf[k] ?? 0)
  for (let g = 0; g < p.groups; g++) constraints[`g${g}`] = required.has(g) ? { equal: 1 } : { max: 1 }
  const out = new Set(p.forceOut ?? [])
  const inn = new Set(p.forceIn ?? [])
  p.values.forEach((v, k) => {
    const g = p.groupOf[k] ?? 0
    // An option forced out, or beside one forced in, is left out of the model.
    if (out.has(k) || (!inn.has(k) && (p.forceIn ?? []).some((j) => p.groupOf[j] === g))) return
    const name = `x${k}`
    const col: Record<string, number> = { obj: v, [`g${g}`]: 1 }
    p.rows.forEach((r, i) => {
      if (r.coefs[k]) col[`r${i}`] = r.coefs[k] ?? 0
    })
    ;(p.links ?? []).forEach((l, i) => {
      if (l.a === g) col[`l${i}`] = (col[`l${i}`] ?? 0) + 1
      if (l.b === g) col[`l${i}`] = (col[`l${i}`] ?? 0) + (l.kind === "excludes" ? 1 : -1)
    })
    if (relax) {
      col[`ub${k}`] = 1
      constraints[`ub${k}`] = { max: 1 }
    } else binaries[name] = 1
    variables[name] = col
  })
  p.rows.forEach((r, i) => {
    const b: { max?: number; min?: number } = {}
    if (r.max !== undefined) b.max = r.max
    if (r.min !== undefined) b.min = r.min
    constraints[`r${i}`] = b
  })
  ;(p.links ?? []).forEach((l, i) => {
    constraints[`l${i}`] = l.kind === "excludes" ? { max: 1 } : { max: 0 }
  })
  return { optimize: "obj", opType: "max", constraints, variables, ...(relax ? {} : { binaries }) }
}

/**
 * javascript-lp-solver behind the engine's interface, as a second opinion. Its output is never
 * passed on raw: a package is read off only when every binary is integral, then re-checked
 * exactly. When it stops on its time limit it proves nothing: `feasible` (bound = LP relaxation)
 * or `timeout`.
 */
export const lpEngine = (p: Knapsack, options: KnapsackOptions = {}): KnapsackResult => {
  const t0 = performance.now()
  const relaxed = lpSolver.Solve(toLpModel(p, true))
  const rootBound = relaxed.feasible ? Number(relaxed.result) : Number.NEGATIVE_INFINITY
  const model = toLpModel(p)
  model.options =
    options.timeLimitMs !== undefined
      ? { timeout: Math.max(1, Math.round(options.timeLimitMs)), tolerance: 0 }
      : { tolerance: 0 }
  const r = lpSolver.Solve(model)
  const millis = performance.now() - t0
  const timedOut = options.timeLimitMs !== undefined && millis >= options.timeLimitMs
  const base = { rootBound, nodes: 0, millis }
  const none = { package: null, objective: null, gap: null }
  if ((!relaxed.feasible || !r.feasible) && !timedOut)
    return { status: "infeasible", ...none, bound: Number.NEGATIVE_INFINITY, stoppedBy: null, ...base }
  const pkg = readPackage(p, r as Record<string, unknown>)
  const m = buildModel(p)
  const pick = m === "infeasible" || !pkg ? null : new Int32Array(p.groups).fill(-1)
  if (pick) for (const k of pkg ?? []) pick[p.groupOf[k] ?? 0] = k
  if (!pick || m === "infeasible" || !r.feasible || !keepsEveryRule(m, pick))
    return { status: "timeout", ...none, bound: rootBound, stoppedBy: "timeLimit", ...base }
  const objective = packageValue(m, pick)
  if (timedOut) {
    const bound = Math.max(rootBound, objective)
    const gap = (bound - objective) / Math.max(1, Math.abs(bound))
    return { status: "feasible", package: pkg, objective, bound, gap, stoppedBy: "timeLimit", ...base }
  }
  return { status: "optimal", package: pkg, objective, bound: objective, gap: 0, stoppedBy: null, ...base }
}

/** The chosen options off the solver's values; null when a value is fractional. */
const readPackage = (p: Knapsack, r: Record<string, unknown>): number[] | null => {
  const out: number[] = []
  for (let k = 0; k < p.values.length; k++) {
    const raw = r[`x${k}`]
    const x = typeof raw === "number" ? raw : 0
    if (Math.abs(x) <= INT_TOL) continue
    if (Math.abs(x - 1) > INT_TOL) return null
    out.push(k)
  }
  return out
}
