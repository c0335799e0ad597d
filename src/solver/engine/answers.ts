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
