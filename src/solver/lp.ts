import lpSolverModule, { type Model, type SolveResult } from "javascript-lp-solver"
import type { EngineOptions, EngineResult } from "./bb.ts"
import { choiceValue, violations } from "./check.ts"
import type { Problem } from "./compile.ts"

const INT_TOL = 1e-6

// The package's types describe the default export loosely under NodeNext; this is its shape.
const lpSolver = lpSolverModule as unknown as { Solve(model: Model): SolveResult }

/** The problem as a javascript-lp-solver model: one binary per option. */
export const toLpModel = (problem: Problem, relax = false): Model => {
  const variables: Record<string, Record<string, number>> = {}
  const constraints: Model["constraints"] = {}
  const binaries: Record<string, 1> = {}
  problem.groups.forEach((g, gi) => {
    constraints[`g${gi}`] = g.mustChoose ? { equal: 1 } : { max: 1 }
    g.options.forEach((o, oi) => {
      const name = `x${gi}_${oi}`
      const v: Record<string, number> = { obj: o.value, [`g${gi}`]: 1 }
      if (relax) v[`ub_${name}`] = 1
      variables[name] = v
      if (relax) constraints[`ub_${name}`] = { max: 1 }
      else binaries[name] = 1
    })
  })
  problem.constraints.forEach((c, ci) => {
    const bound: { max?: number; min?: number } = {}
    if (c.max !== undefined) bound.max = c.max
    if (c.min !== undefined) bound.min = c.min
    constraints[`c${ci}`] = bound
    problem.groups.forEach((g, gi) => {
      g.options.forEach((_, oi) => {
        const a = c.coefs[gi]?.[oi] ?? 0
        const v = variables[`x${gi}_${oi}`]
        if (a !== 0 && v) v[`c${ci}`] = a
      })
    })
  })
  problem.dependencies.forEach((d, di) => {
    const name = `d${di}`
    constraints[name] = d.kind === "excludes" ? { max: 1 } : { max: 0 }
    const add = (gi: number, sign: number) =>
      problem.groups[gi]?.options.forEach((_, oi) => {
        const v = variables[`x${gi}_${oi}`]
        if (v) v[name] = (v[name] ?? 0) + sign
      })
    add(d.a, 1)
    if (d.b >= 0) add(d.b, d.kind === "excludes" ? 1 : -1)
  })
  return { optimize: "obj", opType: "max", constraints, variables, ...(relax ? {} : { binaries }) }
}

/**
 * The javascript-lp-solver engine. Its output is never passed on raw: a package is read off only
 * when every binary is integral, then re-checked exactly against every rule. The root bound is
 * its LP relaxation. When it stops on its time limit it proves nothing, so the status is then
 * `feasible` (a checked package, bound = LP relaxation) or `timeout`.
 */
export const lpEngine = (problem: Problem, options: EngineOptions = {}): EngineResult => {
  const t0 = performance.now()
  const relaxed = lpSolver.Solve(toLpModel(problem, true))
  const rootBound = relaxed.feasible ? Number(relaxed.result) : -Infinity
  const model = toLpModel(problem)
  if (options.timeLimitMs !== undefined)
    model.options = { timeout: Math.max(1, Math.round(options.timeLimitMs)), tolerance: 0 }
  else model.options = { tolerance: 0 }
  const r = lpSolver.Solve(model)
  const millis = performance.now() - t0
  const timedOut = options.timeLimitMs !== undefined && millis >= options.timeLimitMs
  const infeasible: EngineResult = {
    status: "infeasible",
    choice: null,
    objective: null,
    bound: Number.NEGATIVE_INFINITY,
    rootBound,
    nodes: 0,
    millis,
  }
  if (!relaxed.feasible && !timedOut) return infeasible
  const choice = readChoice(problem, r as Record<string, unknown>)
  const ok = r.feasible && choice !== null && violations(problem, choice).length === 0
  if (!ok) {
    if (!timedOut && !r.feasible) return infeasible
    return { status: "timeout", choice: null, objective: null, bound: rootBound, rootBound, nodes: 0, millis }
  }
  const objective = choiceValue(problem, choice)
  return timedOut
    ? {
        status: "feasible",
        choice,
        objective,
        bound: Math.max(rootBound, objective),
        rootBound,
        nodes: 0,
        millis,
      }
    : { status: "optimal", choice, objective, bound: objective, rootBound, nodes: 0, millis }
}

/** Read option indices off the solver's values; null when a value is fractional or a group has two. */
const readChoice = (problem: Problem, r: Record<string, unknown>): number[] | null => {
  const choice: number[] = []
  for (let gi = 0; gi < problem.groups.length; gi++) {
    let pick = -1
    const g = problem.groups[gi]
    for (let oi = 0; oi < (g?.options.length ?? 0); oi++) {
      const raw = r[`x${gi}_${oi}`]
      const x = typeof raw === "number" ? raw : 0
      if (Math.abs(x) <= INT_TOL) continue
      if (Math.abs(x - 1) > INT_TOL || pick >= 0) return null
      pick = oi
    }
    choice.push(pick)
  }
  return choice
}
