import cluster from "node:cluster"
import type { FastifyInstance } from "fastify"
import { type AuditSync, openStore } from "../app/storage.ts"
import { buildApp, type ServiceOptions } from "./app.ts"
import { envList, LOOPBACK_HOSTS } from "./security.ts"

export interface ServeOptions extends ServiceOptions {
  /** Port (default: env PORT, else 3000; 0 picks a free one). */
  readonly port?: number
  /** Host (default: env HOST, else 127.0.0.1). */
  readonly host?: string
}

/** A setting in the environment that cannot be used. */
export class ConfigError extends Error {
  override readonly name = "ConfigError"
}

/** A whole number from the environment, checked; undefined when unset. */
export const envInt = (name: string, min: number, max: number): number | undefined => {
  const text = process.env[name]
  if (text === undefined || text === "") return undefined
  const n = Number(text)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name}=${text}: expected a whole number from ${min} to ${max}`)
  return n
}

/**
 * How the audit rows of solves, evaluations and comparisons are committed (env PULJE_AUDIT_SYNC):
 * "normal" (default: they survive a crash of the process; a power loss can take the last ones) or
 * "full" (each commit synced to disk first). See SqliteOptions.auditSync.
 */
export const envAuditSync = (): AuditSync => {
  const text = process.env.PULJE_AUDIT_SYNC
  if (text === undefined || text === "" || text === "normal") return "normal"
  if (text === "full") return "full"
  throw new ConfigError(`PULJE_AUDIT_SYNC=${text.slice(0, 40)}: expected normal or full`)
}

/** True for an address only this machine can reach. */
export const isLoopback = (host: string): boolean =>
  host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host)

/**
 * Build the app and listen. Environment: PORT (3000), HOST (127.0.0.1), LOG_LEVEL (info),
 * SOLVER_THREADS (one per core), SOLVER_QUEUE (solves that may wait for a thread, 32),
 * ALLOWED_HOSTS (loopback names and HOST), CORS_ORIGINS (none), PULJE_DATA_DIR (./var: the
 * store), PULJE_AUDIT_SYNC (normal: see envAuditSync), PULJE_CONFIDENTIAL_DIR (the confidential proposals). Without any API key the service
 * runs open, and only on a loopback address; elsewhere it refuses to start. SIGINT/SIGTERM close
 * it: requests finish, solver threads stop.
 */
export const serve = async (options: ServeOptions = {}): Promise<FastifyInstance> => {
  const threads = envInt("SOLVER_THREADS", 1, 64)
  const maxQueue = envInt("SOLVER_QUEUE", 0, 10_000)
  const port = options.port ?? envInt("PORT", 0, 65535) ?? 3000
  const host = options.host ?? process.env.HOST ?? "127.0.0.1"
  const loopback = isLoopback(host)
  const ownStore = options.store === undefined
  // One process: audit rows are committed by a writer thread, so the event loop never waits for
  // the disk. Several (cluster): each event loop commits its own, since two more threads on the
  // same cores measured 9 % fewer answers a second than group commit on the event loops.
  const store = options.store ?? openStore({ auditThread: !cluster.isWorker, auditSync: envAuditSync() })
  const keys = await store.keys.activeCount()
  if (keys === 0 && !loopback) {
    if (ownStore) await store.close()
    throw new ConfigError(
      `no API key exists, so the service may only listen on a loopback address, not ${host}; make one with: pulje keys add --role admin --name …`,
    )
  }
  const confidentialDir = options.confidentialDir ?? (process.env.PULJE_CONFIDENTIAL_DIR || undefined)
  const app = await buildApp({
    logger: true,
    ...(threads === undefined ? {} : { threads }),
    ...(maxQueue === undefined ? {} : { maxQueue }),
    // The host it listens on is one it answers for (unless the list is given).
    ...(host === "0.0.0.0" || host === "::"
      ? {}
      : { allowedHosts: envList("ALLOWED_HOSTS") ?? [...LOOPBACK_HOSTS, host] }),
    ...options,
    store,
    loopback,
    ...(confidentialDir ? { confidentialDir } : {}),
  })
  if (ownStore) app.addHook("onClose", async () => store.close())
  if (keys === 0) app.log.warn({ host }, "no API key exists: the service runs open, on loopback only")
  else app.log.info({ keys }, "API keys required")
  let stopping = false
  const stop = (signal: string) => {
    // A second signal (Ctrl-C reaches a cluster's processes and their primary, which passes it on) changes nothing.
    if (stopping) return
    stopping = true
    app.log.info({ signal }, "closing")
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  app.addHook("onClose", async () => {
    process.off("SIGINT", stop)
    process.off("SIGTERM", stop)
  })
  try {
    await app.listen({ port, host })
  } catch (e) {
    await app.close()
    throw e
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
  return app
}

// Not awaited at the top level: cluster.ts imports this module, which must finish loading first.
if (process.argv[1] === import.meta.filename)
  import("./cluster.ts")
    .then((m) => m.serveCluster())
    .catch((e: unknown) => {
      console.error(e instanceof ConfigError ? e.message : e)
      process.exitCode = 1
    })
