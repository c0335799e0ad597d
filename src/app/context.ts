import { Catalog, type CatalogOptions } from "./catalog.ts"
import { formatPath, InvalidInput, type Issue } from "./errors.ts"
import { inlinePool, type SolverPool, workerPool } from "./pool.ts"
import type { Task, TaskOutput, TaskResult } from "./tasks.ts"

/** What every use case works with: the loaded round and the pool its solves run on. */
export interface AppContext {
  readonly catalog: Catalog
  readonly pool: SolverPool
}

export interface AppOptions extends CatalogOptions {
  /** An already loaded catalog (else one is loaded from `dataDir`). */
  readonly catalog?: Catalog
  /** Solver worker threads (default: one per core). 0 solves on the calling thread: for tools, not a server. */
  readonly threads?: number
}

/** Load the round and start the solver threads. Close the pool when done. */
export const createContext = (options: AppOptions = {}): AppContext => {
  const catalog = options.catalog ?? new Catalog(options)
  const pool: SolverPool =
    options.threads === 0
      ? inlinePool({ proposals: catalog.proposals, prices: catalog.prices })
      : workerPool({ dataDir: catalog.round.dir, ...(options.threads ? { threads: options.threads } : {}) })
  return { catalog, pool }
}

/** The backstop for a task of `solves` solves: generous, since a conflict explanation re-solves per rule. */
const hardLimit = (timeLimitMs: number, solves: number) => Math.max(10_000, timeLimitMs * solves * 3 + 5000)

type Failed = Extract<TaskResult, { ok: false }>

/**
 * Run a task on the pool. The solver's rule issues (rules naming what does not exist) become
 * InvalidInput, each path under the input field `prefixOf` names.
 */
export const runSolverTask = async <K extends TaskOutput["kind"]>(
  ctx: AppContext,
  task: Task & { kind: K },
  solves: number,
  prefixOf: (failed: Failed, path: readonly (string | number)[]) => string,
): Promise<Extract<TaskOutput, { kind: K }>> => {
  const r = await ctx.pool.run(task, hardLimit(task.timeLimitMs, solves))
  if (!r.ok)
    throw new InvalidInput(
      r.issues.map((i): Issue => ({ path: formatPath(i.path, prefixOf(r, i.path)), message: i.message })),
    )
  return r.output as Extract<TaskOutput, { kind: K }>
}
