import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
  HookHandlerDoneFunction,
} from "fastify"
import { type AppContext, type StopSignal, withSignal } from "../app/context.ts"
import { Busy } from "../app/errors.ts"
import { sendError } from "./errors.ts"

/**
 * Bounds on what one request or connection may cost. Bodies are refused by their declared size
 * before they are read (413), so a large body never reaches the JSON parser or the validator.
 * A route takes `BODY_LIMIT.default` unless it sets `bodyLimit` in its options (Fastify's own
 * route option); a route that takes something else than JSON lists it in `config.contentTypes`.
 */
export const BODY_LIMIT = {
  /** Any route that does not say otherwise: a what-if, a package, a comparison. */
  default: 32 * 1024,
  /** A whole problem with new proposals (`POST /solve`). */
  problem: 256 * 1024,
} as const

/** Connection and request timeouts (ms) and the connection cap. */
export interface ConnectionLimits {
  /** The request's headers must have arrived within this (default 10 000). */
  readonly headersTimeoutMs?: number
  /** The whole request (headers and body) must have arrived within this (default 15 000). */
  readonly requestTimeoutMs?: number
  /** An idle kept-alive connection is closed after this (default 5 000). */
  readonly keepAliveTimeoutMs?: number
  /** At most this many open connections; more are refused at once (default 512). */
  readonly maxConnections?: number
}

/** Fastify's server options for these limits (timeouts are checked every second, not every 30 s). */
export const serverLimits = (limits: ConnectionLimits = {}): Partial<FastifyServerOptions> => {
  const headersTimeout = limits.headersTimeoutMs ?? 10_000
  return {
    bodyLimit: BODY_LIMIT.default,
    requestTimeout: Math.max(limits.requestTimeoutMs ?? 15_000, headersTimeout + 1),
    keepAliveTimeout: limits.keepAliveTimeoutMs ?? 5_000,
    http: { headersTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout) },
  } as Partial<FastifyServerOptions>
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Media types this route's body may have besides application/json (default none). */
    contentTypes?: readonly string[]
  }
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"])

/**
 * Bodies longer than this (characters) take turns: each is parsed, validated and handed to the
 * solver in an event-loop turn of its own. A burst of large bodies (whole problems, ~10 ms each
 * to validate) would otherwise be worked through in one go, and a /health arriving meanwhile would
 * wait for all of them; now it waits for one at most. A what-if body is far smaller.
 */
const TAKES_TURNS = 16 * 1024
let turns: Promise<void> = Promise.resolve()
/** Resolved in the turn after the previous large body's (which runs to its handler in the meantime). */
export const nextTurn = (): Promise<void> => {
  turns = turns.then(() => new Promise<void>((resolve) => setImmediate(resolve)))
  return turns
}

const mediaType = (header: string | undefined) => (header ?? "").split(";")[0]?.trim().toLowerCase() ?? ""

/**
 * Every request with a body must say it is JSON (or a type its route lists): a browser page on
 * another site can send a "simple" cross-origin POST (text/plain, a form) without asking first,
 * and such a request must not run a solve. Checked before the body is read.
 */
export const limit = (app: FastifyInstance, limits: ConnectionLimits = {}): void => {
  // An empty JSON body is no body (a bare solve of a scenario as it is), not a parse error.
  const json = app.getDefaultJsonParser("error", "error")
  app.removeContentTypeParser("application/json")
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    const text = body as string
    if (text === "") done(null, undefined)
    else if (text.length <= TAKES_TURNS) json(req, text, done)
    else
      nextTurn()
        .then(() => json(req, text, done))
        .catch((e: Error) => done(e, undefined))
  })
  // A callback hook, not an async one: it does no async work, and an async hook costs every
  // request a promise and a microtask turn. Having answered, it does not call done.
  app.addHook("onRequest", (req, reply, done) => {
    // An unknown route is answered 404 (naming the routes that exist), whatever it was sent.
    if (!BODY_METHODS.has(req.method) || req.is404) return done()
    const type = mediaType(req.headers["content-type"])
    if (type === "application/json") return done()
    const also = req.routeOptions.config.contentTypes ?? []
    if (also.includes(type)) return done()
    sendError(
      reply,
      req,
      415,
      `${req.method} ${req.routeOptions.url ?? req.url.split("?")[0]} takes a body of type application/json${also.length ? ` or ${also.join(", ")}` : ""}${type ? `, not ${type.slice(0, 100)}` : "; the request has no content-type"}`,
    )
  })
  app.addHook("onListen", async () => {
    app.server.maxConnections = limits.maxConnections ?? 512
  })
}

/** Solving requests admitted and not yet answered, per (route groups') context. */
const admitted = new WeakMap<object, { n: number }>()

/**
 * A route hook for routes that solve: when as many solving requests are under way as the solver
 * threads and their queue take, or the queue is full, answer 503 with Retry-After (the pool's
 * estimate of the time to work off its load) at once,
 * before the body is read, parsed and validated. A burst of large requests then costs the event
 * loop next to nothing, and /health stays quick. (The pool still enforces its own cap.)
 */
export const refuseWhenBusy = (ctx: AppContext) => {
  // Keyed by the context, not its pool: a route group is registered twice (also under
  // /rounds/:round), and its context may stand for the round of the request.
  const count = admitted.get(ctx) ?? { n: 0 }
  admitted.set(ctx, count)
  // A callback hook, as the app-wide ones: no async work, so no promise per request.
  return (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (count.n >= ctx.pool.capacity || ctx.pool.saturated()) {
      const busy = new Busy(ctx.pool.retryAfterS())
      reply.header("retry-after", String(busy.retryAfterS))
      sendError(reply, req, 503, busy.message)
      return
    }
    count.n++
    reply.raw.once("close", () => {
      count.n--
    })
    done()
  }
}

/**
 * Aborted when a request's client hangs up before its answer is sent: a StopSignal without an
 * AbortSignal's cost (one per solving request; an AbortSignal takes ~3 µs to make in Node 20).
 */
class ClientGone implements StopSignal {
  aborted = false
  private listeners: (() => void)[] = []

  addEventListener(_type: "abort", listener: () => void): void {
    if (!this.listeners.includes(listener)) this.listeners.push(listener)
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const i = this.listeners.indexOf(listener)
    if (i >= 0) this.listeners.splice(i, 1)
  }

  /** Each listener is told once, as with `{ once: true }`. */
  abort(): void {
    if (this.aborted) return
    this.aborted = true
    for (const listener of this.listeners.splice(0)) listener()
  }
}

/**
 * The use cases' context for one request: cancelled when its client hangs up before the answer
 * is sent, so that a waiting solve is dropped and a running one stopped. The time a solve waited
 * for a solver thread and the time it ran go out apart, in a `Server-Timing` header
 * (`queue;dur=…, solve;dur=…`, ms; no queue when it was solved at once on the event loop).
 */
export const forRequest = (ctx: AppContext, reply: FastifyReply): AppContext => {
  const gone = new ClientGone()
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) gone.abort()
  })
  return withSignal(ctx, gone, ({ queuedMs, runMs }) => {
    reply.header("server-timing", `queue;dur=${queuedMs.toFixed(1)}, solve;dur=${runMs.toFixed(1)}`)
  })
}
