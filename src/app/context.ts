import { Catalog, type CatalogOptions } from "./catalog.ts"
import { formatPath, InvalidInput, type Issue } from "./errors.ts"
import { inlinePool, type SolverPool, workerPool } from "./pool.ts"
import type { Task, TaskOutput, TaskResult } from "./tasks.ts"

/** What every use case works with: the loaded round and the pool its solves run on. */
export interface AppContext {
  readonly catalog: Catalog
  readonly pool: SolverPool
  /** Aborted when the one who asked is gone: queued solves are dropped, running ones stopped. */
  readonly signal?: AbortSignal | undefined
  /** Told how long each solver task waited for a thread and ran (ms). */
  readonly onRan?: ((timing: { readonly queuedMs: number; readonly runMs: number }) => void) | undefined
}

/** The context for one question that can be cancelled (e.g. a request whose client may hang up). */
export const withSignal = (
  ctx: AppContext,
  signal: AbortSignal,
  onRan?: AppContext["onRan"],
): AppContext => ({ ...ctx, signal, onRan })

export interface AppOptions extends CatalogOptions {
  /** An already loaded catalog (else one is loaded from `dataDir`). */
  readonly catalog?: Catalog
  /** Solver worker threads (default: one per core). 0 solves on the calling thread: for tools, not a server. */
  readonly threads?: number
  /** Solves that may wait for a thread before new ones are Busy (default 32). */
  readonly maxQueue?: number
  /** Work budget (search nodes) of a small solve tried on the calling thread before a worker (default 0: none). */
  readonly inlineNodes?: number
  /** Told of solver-thread faults (default: none). */
  readonly onError?: (error: Error, what: string) => void
  /** The solver threads' module (default: the real one); the chaos tests pass a faulty one. */
  readonly workerUrl?: URL
}

/** Load the round and start the solver threads. Close the pool when done. */
export const createContext = (options: AppOptions = {}): AppContext => {
  const catalog = options.catalog ?? new Catalog(options)
  const pool: SolverPool =
    options.threads === 0
      ? inlinePool({ proposals: catalog.proposals, prices: catalog.prices })
      : workerPool({
          data: { proposals: catalog.proposals, prices: catalog.prices },
          threads: options.threads,
          maxQueue: options.maxQueue,
          inlineNodes: options.inlineNodes,
          onError: options.onError,
          workerUrl: options.workerUrl,
        })
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
  const {
    result: r,
    queuedMs,
    runMs,
  } = await ctx.pool.run(task, {
    hardLimitMs: hardLimit(task.timeLimitMs, solves),
    signal: ctx.signal,
  })
  ctx.onRan?.({ queuedMs, runMs })
  if (!r.ok)
    throw new InvalidInput(
      r.issues.map((i): Issue => ({ path: formatPath(i.path, prefixOf(r, i.path)), message: i.message })),
    )
  return r.output as Extract<TaskOutput, { kind: K }>
}
