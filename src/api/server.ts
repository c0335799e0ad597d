import type { FastifyInstance } from "fastify"
import { buildApp, type ServiceOptions } from "./app.ts"

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

const envInt = (name: string, min: number, max: number): number | undefined => {
  const text = process.env[name]
  if (text === undefined || text === "") return undefined
  const n = Number(text)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name}=${text}: expected a whole number from ${min} to ${max}`)
  return n
}

/**
 * Build the app and listen. Environment: PORT (3000), HOST (127.0.0.1), LOG_LEVEL (info),
 * SOLVER_THREADS (one per core). SIGINT/SIGTERM close it: requests finish, solver threads stop.
 */
export const serve = async (options: ServeOptions = {}): Promise<FastifyInstance> => {
  const threads = envInt("SOLVER_THREADS", 1, 64)
  const port = options.port ?? envInt("PORT", 0, 65535) ?? 3000
  const host = options.host ?? process.env.HOST ?? "127.0.0.1"
  const app = await buildApp({ logger: true, ...(threads === undefined ? {} : { threads }), ...options })
  const stop = (signal: string) => {
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
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  return app
}

if (process.argv[1] === import.meta.filename) await serve()
