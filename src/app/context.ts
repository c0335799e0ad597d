import { canonicalJson } from "../store/hash.ts"
import type { AuditInput } from "../store/schema.ts"
import type { Store } from "../store/store.ts"
import { type Caller, OPEN_CALLER } from "./caller.ts"
import { Catalog, type CatalogOptions } from "./catalog.ts"
import { formatPath, InvalidInput, type Issue } from "./errors.ts"
import { inlinePool, type SolverPool, type StopSignal, workerPool } from "./pool.ts"

export type { StopSignal } from "./pool.ts"

import type { Task, TaskOutput, TaskResult } from "./tasks.ts"

/**
 * What every use case works with: one caller's view of the round (`catalog`), the pool its solves
 * run on (tagged with that view, and writing the audit trail), the store (null when none is
 * configured) and who the caller is.
 */
export interface AppContext {
  readonly catalog: Catalog
  readonly pool: SolverPool
  readonly store: Store | null
  readonly caller: Caller
  /** The same application as seen by another caller. */
  forCaller(caller: Caller): AppContext
  /** Aborted when the one who asked is gone: queued solves are dropped, running ones stopped. */
  readonly signal?: StopSignal | undefined
  /** Told how long each solver task waited for a thread and ran (ms). */
  readonly onRan?: ((timing: { readonly queuedMs: number; readonly runMs: number }) => void) | undefined
}

/**
 * The context for one question that can be cancelled (e.g. a request whose client may hang up).
 * Field by field: a spread with fields added costs V8 about 1,5 µs, and every solving request makes one.
 */
export const withSignal = (ctx: AppContext, signal: StopSignal, onRan?: AppContext["onRan"]): AppContext => ({
  catalog: ctx.catalog,
  pool: ctx.pool,
  store: ctx.store,
  caller: ctx.caller,
  forCaller: ctx.forCaller,
  signal,
  onRan,
})

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
  /** Where saved packages, the audit trail and keys are kept (default: none). */
  readonly store?: Store
  /** Who the context first answers (default: OPEN_CALLER); `forCaller` gives the others. */
  readonly caller?: Caller
}

/** The objective a task's output reports, for the audit row. */
const objectiveOf = (out: TaskOutput): number | null =>
  out.kind === "solve"
    ? out.summary.objective
    : out.kind === "evaluate"
      ? out.evaluation.package.objective
      : null

/** The audit row of an answered task (`task` as the solver thread got it, with its `confidential` tag). */
export const auditRowOf = (task: Task, output: TaskOutput, caller: Caller, catalog: Catalog): AuditInput => ({
  action: task.kind,
  keyId: caller.keyId,
  subject: `round:${catalog.round.config.id}`,
  // Hashed by the store (a server's in its audit writer thread).
  requestJson: canonicalJson(task),
  resultJson: output.kind === "solve" ? output.result : canonicalJson(output),
  objective: objectiveOf(output),
  confidential: task.confidential === true,
})

/**
 * The pool as one caller uses it: each task runs over that caller's view of the proposals, and
 * each answered one is written to the audit trail (request and result hashes, objective).
 */
const callerPool = (pool: SolverPool, store: Store | null, caller: Caller, catalog: Catalog): SolverPool => {
  const confidential = caller.confidential && catalog.hasConfidential
  return {
    threads: pool.threads,
    capacity: pool.capacity,
    load: () => pool.load(),
    saturated: () => pool.saturated(),
    retryAfterS: () => pool.retryAfterS(),
    recycle: () => pool.recycle(),
    close: () => pool.close(),
    async run(task, options) {
      // Object.assign rather than a spread: the same own fields in the same order, and in Node 20
      // ~0,08 µs against ~0,75 µs for a spread of a task (its undefined fields take V8's slow path).
      const tagged: Task = Object.assign({}, task, { confidential })
      const ran = await pool.run(tagged, options)
      const r = ran.result
      if (store && r.ok) await store.audit.append(auditRowOf(tagged, r.output, caller, catalog))
      return ran
    },
  }
}

/**
 * Load the round and start the solver threads (they hold the public proposals, and the
 * confidential ones for tasks of callers with the grant). Close the pool (and the store) when done.
 */
export const createContext = (options: AppOptions = {}): AppContext => {
  const base = options.catalog ?? new Catalog(options)
  const data = {
    proposals: base.withGrant(false).proposals,
    prices: base.prices,
    ...(base.round.confidential.length ? { confidential: base.round.confidential } : {}),
  }
  const pool: SolverPool =
    options.threads === 0
      ? inlinePool(data)
      : workerPool({
          data,
          threads: options.threads,
          maxQueue: options.maxQueue,
          inlineNodes: options.inlineNodes,
          onError: options.onError,
          workerUrl: options.workerUrl,
        })
  const store = options.store ?? null
  const views = new Map<string, AppContext>()
  // Also by the caller object itself: the open service answers every request as the one
  // OPEN_CALLER, whose view is then found without writing its JSON (~0,3 µs) per request.
  const byObject = new WeakMap<Caller, AppContext>()
  const forCaller = (caller: Caller): AppContext => {
    const same = byObject.get(caller)
    if (same) return same
    const key = JSON.stringify(caller)
    let ctx = views.get(key)
    if (!ctx) {
      const catalog = base.withGrant(caller.confidential)
      ctx = { catalog, pool: callerPool(pool, store, caller, catalog), store, caller, forCaller }
      views.set(key, ctx)
    }
    byObject.set(caller, ctx)
    return ctx
  }
  return forCaller(options.caller ?? OPEN_CALLER)
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
