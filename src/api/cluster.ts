import cluster, { type Worker } from "node:cluster"
import { availableParallelism } from "node:os"
import type { FastifyInstance } from "fastify"
import { ConfigError, envInt, type ServeOptions, serve } from "./server.ts"

export interface ClusterOptions extends ServeOptions {
  /**
   * HTTP processes sharing the port (node:cluster; default: env PULJE_PROCESSES, else 1). Each
   * runs the whole service on its own event loop, with its own solver threads (the cores shared
   * out: SOLVER_THREADS, else cores / processes, at least one) and its own connection to the store.
   */
  readonly processes?: number
}

/** A process that dies this often within a minute is not started again: the service stops. */
const MAX_RESTARTS_PER_MINUTE = 5

const LEVELS = { info: 30, warn: 40, error: 50 } as const
/** A log line of the primary, in the HTTP processes' (pino's) format. */
const say = (level: keyof typeof LEVELS, msg: string, fields: Record<string, unknown> = {}) =>
  process.stdout.write(
    `${JSON.stringify({ level: LEVELS[level], time: Date.now(), pid: process.pid, ...fields, msg })}\n`,
  )

/**
 * Start the service: one process (the default, as `serve`), or with `processes` > 1 a primary
 * that forks that many HTTP processes sharing the port and only watches them. A process that
 * fails before it listens (a setting it refuses, say) stops them all and the primary rejects
 * with ConfigError, as one process would (the command line exits 2); one that dies later is
 * started again, up to five times a minute. SIGTERM or SIGINT to the primary is passed on to each process, which
 * finishes its requests and stops its threads; the primary exits once all have, 0 if all were clean.
 *
 * What is per process: the rate limit and the count of bad keys per address (a client may get up
 * to `processes` times the limit), the solver queue and its cap. What is shared: the port and the
 * store (SQLite in WAL mode; each write, the audit trail's hash chain included, is a transaction
 * that takes the write lock, so processes cannot interleave within one).
 */
export const serveCluster = async (options: ClusterOptions = {}): Promise<FastifyInstance | null> => {
  const processes = options.processes ?? envInt("PULJE_PROCESSES", 1, 64) ?? 1
  if (processes <= 1) return serve(options)
  if (cluster.isWorker) {
    const threads = options.threads ?? envInt("SOLVER_THREADS", 1, 64)
    try {
      return await serve({
        ...options,
        threads: threads ?? Math.max(1, Math.floor(availableParallelism() / processes)),
      })
    } catch (e) {
      // The channel to the primary would keep this process alive; the primary stops the others.
      process.exitCode = 1
      cluster.worker?.disconnect()
      throw e
    }
  }
  await primary(processes)
  return null
}

const primary = (processes: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const alive = new Set<Worker>()
    const listening = new Set<Worker>()
    const restarts: number[] = []
    let stopping = false
    let failed = false
    const fork = () => alive.add(cluster.fork())
    const finish = () => {
      process.off("SIGINT", stopAll)
      process.off("SIGTERM", stopAll)
      if (!failed) return resolve()
      reject(new ConfigError("an HTTP process failed to start or kept failing (its error is above)"))
    }
    function stopAll(signal: NodeJS.Signals) {
      if (stopping) return
      stopping = true
      say("info", "closing", { signal, processes: alive.size })
      for (const w of alive) w.process.kill("SIGTERM")
      if (alive.size === 0) finish()
    }
    process.on("SIGINT", stopAll)
    process.on("SIGTERM", stopAll)
    cluster.on("listening", (w) => listening.add(w))
    cluster.on("exit", (w, code, signal) => {
      alive.delete(w)
      const wasListening = listening.delete(w)
      const clean = code === 0 && !signal
      if (stopping) {
        if (!clean) failed = true
        if (alive.size === 0) finish()
        return
      }
      say("error", "an HTTP process ended", { code, signal, wasListening })
      const now = Date.now()
      restarts.push(now)
      while ((restarts[0] ?? now) < now - 60_000) restarts.shift()
      if (!wasListening || restarts.length > MAX_RESTARTS_PER_MINUTE) {
        // It could not start (its error is above), or it keeps dying: starting more would spin.
        failed = true
        stopAll("SIGTERM")
      } else {
        say("warn", "starting a new HTTP process")
        fork()
      }
    })
    for (let i = 0; i < processes; i++) fork()
  })
