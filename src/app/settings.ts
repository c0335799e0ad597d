import { z } from "zod"
import { Engine } from "../solver/result.ts"
import { Scenario } from "../solver/scenario.ts"

/** The time limit of a solve when the question names none, and the largest a question may name (ms). */
export const TIME_LIMIT_DEFAULT_MS = 2000
export const TIME_LIMIT_MAX_MS = 30_000
/** The largest node budget a question may name. */
export const NODE_LIMIT_MAX = 100_000_000

/** Solver settings every solving use case accepts. */
export const SolveSettings = {
  engine: Engine.default("bb").describe(
    "bb: exact branch-and-bound (default); lp: javascript-lp-solver, checked",
  ),
  timeLimitMs: z
    .number()
    .int()
    .min(1)
    .max(TIME_LIMIT_MAX_MS)
    .default(TIME_LIMIT_DEFAULT_MS)
    .describe(
      "Stop the search after this long (ms, counted from when the solve starts, not while it waits for a solver thread) and answer with the best package found and its gap",
    ),
  nodeLimit: z
    .number()
    .int()
    .min(1)
    .max(NODE_LIMIT_MAX)
    .optional()
    .describe(
      "Stop the search after this many nodes (bb only): a deterministic budget, so the same question gets the same answer on a busy machine; result.stats.stoppedBy says which limit ended the search",
    ),
}

/** The unit of every amount in an answer. */
export const Unit = z.literal("1.000 kr.")
export const UNIT = "1.000 kr." as const

/** A scenario named in an answer. */
export const ScenarioRef = Scenario.pick({ id: true, title: true })
