import { AsyncLocalStorage } from "node:async_hooks"
import { existsSync, readdirSync } from "node:fs"
import { basename, dirname, join } from "node:path"
import { BUILT_IN_ROUND_DIR } from "../model/round.ts"
import type { Store } from "../store/store.ts"
import type { Caller } from "./caller.ts"
import type { Catalog } from "./catalog.ts"
import { type AppContext, type AppOptions, createContext } from "./context.ts"
import { NotFound } from "./errors.ts"
import type { SolverPool } from "./pool.ts"

/**
 * Several rounds side by side: each a folder `<roundsDir>/<round-id>/` (round.json, overview.json,
 * proposals/, what-ifs/). The default round is today's (the built-in OFS 2025-26).
 */

/** The built-in round's id, the default of every command and endpoint. */
export const DEFAULT_ROUND = basename(BUILT_IN_ROUND_DIR)

/** Where the rounds live: PULJE_ROUNDS_DIR, else the folder holding the built-in round. */
export const roundsDir = (): string => process.env.PULJE_ROUNDS_DIR ?? dirname(BUILT_IN_ROUND_DIR)

/** The rounds in `dir` (folders with a round.json), sorted. */
export const roundIds = (dir = roundsDir()): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => !f.startsWith(".") && existsSync(join(dir, f, "round.json")))
        .sort()
    : []

/** The folder of round `id` (the built-in round's own folder for the default); NotFound naming the rounds that exist. */
export const roundDir = (id: string, dir = roundsDir()): string => {
  const known = roundIds(dir)
  if (known.includes(id)) return join(dir, id)
  if (id === DEFAULT_ROUND) return BUILT_IN_ROUND_DIR
  throw new NotFound("round", id, known.length ? known : [DEFAULT_ROUND])
}

/**
 * The contexts of the rounds a service answers for: the default one given, the others loaded on
 * first use (with their own solver threads) and dropped when a round is imported anew.
 */
export class Rounds {
  private readonly others = new Map<string, AppContext>()
  private readonly current = new AsyncLocalStorage<string | undefined>()

  constructor(
    readonly defaultContext: AppContext,
    private readonly options: AppOptions & { readonly roundsDir?: string } = {},
  ) {}

  get dir(): string {
    return this.options.roundsDir ?? roundsDir()
  }

  /** The context of round `id` (the default round when undefined). */
  get(id: string | undefined): AppContext {
    if (id === undefined || id === this.defaultContext.catalog.round.config.id) return this.defaultContext
    let ctx = this.others.get(id)
    if (!ctx) {
      // Only the pool settings carry over: the data options name the default round's files.
      const { threads, maxQueue, inlineNodes, onError } = this.options
      ctx = createContext({
        dataDir: roundDir(id, this.dir),
        ...(threads === undefined ? {} : { threads }),
        ...(maxQueue === undefined ? {} : { maxQueue }),
        ...(inlineNodes === undefined ? {} : { inlineNodes }),
        ...(onError === undefined ? {} : { onError }),
        // The store is shared: saved work and the audit trail span the rounds.
        ...(this.defaultContext.store ? { store: this.defaultContext.store } : {}),
      })
      this.others.set(id, ctx)
    }
    return ctx
  }

  /** Forget round `id`'s loaded data (after it was imported anew); the next use loads it again. */
  async reload(id: string): Promise<void> {
    const ctx = this.others.get(id)
    this.others.delete(id)
    await ctx?.pool.close()
  }

  /** Run `f` with `id` as the round of `scoped` (see below). */
  within<T>(id: string | undefined, f: () => T): T {
    return this.current.run(id, f)
  }

  /**
   * A context that stands for the round of the call in progress (set by `within`; the default
   * round outside one), so that one set of routes serves every round.
   */
  readonly scoped: AppContext = (() => {
    const self = this
    const now = () => self.get(self.current.getStore())
    return {
      get catalog(): Catalog {
        return now().catalog
      },
      get pool(): SolverPool {
        return now().pool
      },
      get store(): Store | null {
        return now().store
      },
      get caller(): Caller {
        return now().caller
      },
      forCaller: (caller: Caller) => now().forCaller(caller),
    }
  })()

  async close(): Promise<void> {
    await Promise.all([...this.others.values()].map((c) => c.pool.close()))
    this.others.clear()
  }
}
