import { createRequire } from "node:module"
import { availableParallelism } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { Piscina } from "piscina"
import { Busy, Stopped } from "./errors.ts"
import { runTask, type Task, type TaskData, type TaskResult } from "./tasks.ts"

/** Runs solver tasks; `hardLimitMs` is a backstop after which the task is stopped (Stopped). */
export interface SolverPool {
  readonly threads: number
  run(task: Task, hardLimitMs: number): Promise<TaskResult>
  close(): Promise<void>
}

export interface PoolOptions {
  readonly dataDir: string
  /** The folder of the confidential proposals, loaded by each thread (tasks use them only when they say so). */
  readonly confidentialDir?: string
  /** Worker threads (default: one per core); 0 runs tasks on the calling thread (for scripts, not a server). */
  readonly threads?: number
  /** Tasks waiting for a thread before new ones are refused as Busy (default 256). */
  readonly maxQueue?: number
}

/** The loader the workers need to run TypeScript sources (resolved from here, not from the cwd). */
const tsxImport = (): string[] => {
  if (!import.meta.filename.endsWith(".ts")) return []
  const loader = createRequire(import.meta.url).resolve("tsx")
  return ["--import", pathToFileURL(loader).href]
}

/** A pool of worker threads, sized to the cores, each holding the round's proposals. */
export const workerPool = (options: PoolOptions): SolverPool => {
  const threads = Math.max(1, options.threads ?? availableParallelism())
  const piscina = new Piscina<Task, TaskResult>({
    filename: pathToFileURL(
      join(import.meta.dirname, `worker${import.meta.filename.endsWith(".ts") ? ".ts" : ".js"}`),
    ).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    maxQueue: options.maxQueue ?? 256,
    // Per-task timing histograms cost a few percent of a solve, and nothing reads them.
    recordTiming: false,
    execArgv: tsxImport(),
    workerData: { dataDir: options.dataDir, confidentialDir: options.confidentialDir },
  })
  return {
    threads,
    async run(task, hardLimitMs) {
      const signal = AbortSignal.timeout(hardLimitMs)
      try {
        return await piscina.run(task, { signal })
      } catch (e) {
        if (signal.aborted) throw new Stopped(hardLimitMs)
        if (e instanceof Error && /queue is at limit/i.test(e.message)) throw new Busy()
        throw e
      }
    },
    close: () => piscina.close({ force: true }),
  }
}

/** Tasks run on the calling thread: for the CLI and tools, where nothing else waits. */
export const inlinePool = (data: TaskData): SolverPool => ({
  threads: 0,
  run: async (task) => runTask(data, task),
  close: async () => {},
})
