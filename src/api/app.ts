import { randomUUID } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import swagger from "@fastify/swagger"
import swaggerUi from "@fastify/swagger-ui"
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from "fastify"
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod"
import pino from "pino"
import { type AppContext, type AppOptions, createContext } from "../app/context.ts"
import { stringify } from "../app/rawJson.ts"
import { Rounds } from "../app/rounds.ts"
import { installAuth } from "./auth.ts"
import { clientErrorHandler, errorHandler, frameworkErrors, installNotFound } from "./errors.ts"
import { type ConnectionLimits, limit, serverLimits } from "./limits.ts"
import { fileRoutes } from "./routes/files.ts"
import { ROUTE_GROUPS } from "./routes/index.ts"
import { OPTIONAL_BODY } from "./schemas.ts"
import { docsCsp, requestId, type SecurityOptions, secure } from "./security.ts"
import { webPage } from "./web.ts"

export interface ServiceOptions extends AppOptions, SecurityOptions {
  /** pino logger options, `true` for the default (see `defaultLogger`), `false` for none (default). */
  readonly logger?: FastifyServerOptions["logger"]
  /** Timeouts and the connection cap (see limits.ts). */
  readonly limits?: ConnectionLimits
  /**
   * Check every response against its zod schema before sending it (default false). The tests
   * turn it on, so that the OpenAPI document is proven to describe what the handlers send; a
   * server leaves it off, since the handlers' types already guarantee the shape.
   */
  readonly validateResponses?: boolean
  /**
   * True (default) when the service listens on loopback only: without any API key it then runs
   * open. serve() sets it from the host it binds to.
   */
  readonly loopback?: boolean
  /** Requests per key per minute (default: PULJE_RATE_LIMIT, else 600). */
  readonly rateLimit?: number
  /** Where the built negotiation page is (default: build/web of the package). */
  readonly webDir?: string
}

const VERSION: string = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8"),
).version

/**
 * pino at LOG_LEVEL (default info): pretty only when stdout is a terminal; otherwise JSON lines,
 * written asynchronously so that logging does not hold up requests (flushed on exit).
 */
export const defaultLogger = (): NonNullable<FastifyServerOptions["logger"]> => {
  const level = process.env.LOG_LEVEL ?? "info"
  return process.stdout.isTTY
    ? {
        level,
        transport: { target: "pino-pretty", options: { translateTime: "HH:MM:ss", ignore: "pid,hostname" } },
      }
    : { level, stream: bufferedStdout() }
}

/**
 * stdout written in chunks of 4 KiB (one write per ~15 log lines instead of one per line), and at
 * least every half second, so a quiet server's lines still appear at once; flushed on exit.
 */
const bufferedStdout = () => {
  const dest = pino.destination({ dest: 1, sync: false, minLength: 4096 })
  setInterval(() => {
    try {
      dest.flush()
    } catch {
      // a flush while a write is in flight; the next tick writes it
    }
  }, 500).unref()
  return dest
}

/** The path prefix under which every route answers for another round than the default. */
const ROUND_PREFIX = "/rounds/:round"

const plainSerializer = () => stringify

/** The zod type provider's serializer (checks the response against its schema), after RawJson parts are read. */
const validatingSerializer: typeof serializerCompiler = (route) => {
  const check = serializerCompiler(route)
  return (data) => check(JSON.parse(stringify(data)))
}

/** One log line per request, when it is answered (method, url, status, time), instead of two. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: req.method,
      url: req.url,
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    }
    if (error) reply.log.error({ ...line, err: error }, "request errored")
    else reply.log.info(line, "request completed")
  }
}

/**
 * The REST service, not yet listening: data loaded and validated once, solver threads started,
 * routes with zod schemas, OpenAPI at /openapi.json and browsable docs at /docs.
 */
export const buildApp = async (options: ServiceOptions = {}): Promise<FastifyInstance> => {
  // Solver-thread faults are logged by the app's logger, which exists only once the app does.
  let report: (error: Error, what: string) => void = () => {}
  const withPool: ServiceOptions = { inlineNodes: 4096, ...options, onError: (e, what) => report(e, what) }
  const ctx = createContext(withPool)
  try {
    const app = await assemble(withPool, ctx)
    report = (err, what) => app.log.error({ err }, what)
    return app
  } catch (e) {
    await ctx.pool.close()
    throw e
  }
}

const assemble = async (options: ServiceOptions, ctx: AppContext): Promise<FastifyInstance> => {
  const app = Fastify({
    logger: options.logger === true ? defaultLogger() : (options.logger ?? false),
    ...serverLimits(options.limits),
    requestIdHeader: false,
    genReqId: requestId,
    logController: new OneLinePerRequest(),
    frameworkErrors,
    clientErrorHandler: (e: Error, socket) => clientErrorHandler(e, socket, randomUUID),
  }).withTypeProvider<ZodTypeProvider>()
  await secure(app, options)
  limit(app, options.limits)
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(options.validateResponses ? validatingSerializer : plainSerializer)
  app.setErrorHandler(errorHandler)
  app.addHook("onSend", (req, reply, payload, done) => {
    reply.header("x-request-id", req.id)
    done(null, payload)
  })
  // The store belongs to whoever opened it (serve() closes the one it opens).
  app.addHook("onClose", async () => ctx.pool.close())
  await installAuth(app, {
    store: ctx.store,
    loopback: options.loopback ?? true,
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
  })
  // Every route is served for the default round and, under /rounds/:round, for any other round:
  // the round of a request is taken off its path before the route's own params are validated.
  const rounds = new Rounds(ctx, options)
  app.addHook("onClose", async () => rounds.close())
  app.addHook("onRequest", (req, _reply, done) => {
    const params = req.params as { round?: string }
    const round = params.round
    delete params.round
    rounds.within(round, done)
  })
  app.addHook("onRoute", (r) => {
    if (r.url.startsWith(ROUND_PREFIX)) r.schema = { ...r.schema, hide: true }
  })

  const endpoints: string[] = []
  app.addHook("onRoute", (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method]
    if ((r.url === "/docs" || !r.url.startsWith("/docs")) && !methods.includes("HEAD"))
      endpoints.push(`${methods.join("|")} ${r.url}`)
  })
  installNotFound(app, () => endpoints)

  await app.register(swagger, {
    openapi: {
      info: {
        title: "pulje",
        version: VERSION,
        description:
          `Choose which investment proposals to fund from the investment pool (investeringspuljen) of ` +
          `${ctx.catalog.round.config.title}. Money is 1.000 kr.; fields ending in Table are in the ` +
          `proposals' price level (${ctx.catalog.prices.tablePriceLevel} p/l), fields ending in Pool in ` +
          `the pool's (${ctx.catalog.prices.poolPriceLevel} p/l). Every endpoint also answers for another ` +
          `round under /rounds/{round}/… (GET /rounds lists them).`,
      },
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            description:
              "An API key (pulje keys add). Without any key the service runs open, on loopback only.",
          },
        },
      },
      security: [{ bearer: [] }],
      tags: [
        { name: "data", description: "The proposals and the audit of the document's figures" },
        { name: "scenarios", description: "Named negotiation scenarios" },
        { name: "solve", description: "Optimal packages, hand-picked packages and comparisons" },
        { name: "saved", description: "Saved packages and user scenarios, in versions" },
        { name: "admin", description: "The audit trail and API keys (admin role)" },
        {
          name: "rounds",
          description: "Rounds side by side: the xlsx template, import and the round as a workbook",
        },
        { name: "service", description: "Operations" },
      ],
    },
    transform: jsonSchemaTransform,
    // Fastify's swagger marks every body required; a bare POST /scenarios/:id/solve is valid.
    transformObject: (input) => {
      const doc = jsonSchemaTransformObject(input) as { paths?: Record<string, Record<string, unknown>> }
      for (const ops of Object.values(doc.paths ?? {}))
        for (const op of Object.values(ops) as {
          operationId?: string
          requestBody?: { required?: boolean }
        }[])
          if (op.operationId && OPTIONAL_BODY.has(op.operationId) && op.requestBody)
            op.requestBody.required = false
      return doc as ReturnType<typeof jsonSchemaTransformObject>
    },
  })
  await app.register(swaggerUi, { routePrefix: "/docs", transformStaticCSP: docsCsp })
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger())
  const groups = [
    ...ROUTE_GROUPS.map((group) => group(rounds.scoped)),
    fileRoutes(rounds.scoped, { roundWritten: (id) => rounds.reload(id) }),
  ]
  for (const group of groups) {
    await app.register(group)
    await app.register(group, { prefix: ROUND_PREFIX })
  }
  await app.register(webPage, options.webDir === undefined ? {} : { dir: options.webDir })
  return app
}
