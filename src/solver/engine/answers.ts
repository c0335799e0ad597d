import type { KnapsackResult } from "./problem.ts"

/** The answer when no package keeps the rules (proven: the search ran to its end). */
export const infeasible = (t0: number, nodes: number, rootBound: number): KnapsackResult => ({
  status: "infeasible",
  package: null,
  objective: null,
  bound: Number.NEGATIVE_INFINITY,
  gap: null,
  rootBound,
  stoppedBy: null,
  nodes,
  millis: performance.now() - t0,
})

/** The answer when the search proved its package best. */
export const optimal = (
  t0: number,
  pkg: number[],
  objective: number,
  nodes: number,
  rootBound: number,
): KnapsackResult => ({
  status: "optimal",
  package: pkg,
  objective,
  bound: objective,
  gap: 0,
  rootBound,
  stoppedBy: null,
  nodes,
  millis: performance.now() - t0,
})
