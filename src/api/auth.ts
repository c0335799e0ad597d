import rateLimit from "@fastify/rate-limit"
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify"
import { type Caller, OPEN_CALLER } from "../app/caller.ts"
import type { AppContext } from "../app/context.ts"
import { keyIdOf, type Role, roleAllows, type Store } from "../app/storage.ts"

declare module "fastify" {
  interface FastifyRequest {
    /** Who asks (set by the auth hook before anything else runs). */
    caller: Caller
  }
  interface FastifyContextConfig {
    /** The role a route needs ("public": no key at all); default: reader for GET, negotiator otherwise. */
    role?: Role | "public"
  }
}

export interface AuthOptions {
  readonly store: Store | null
  /** True when the service listens on a loopback address only: it may then run open while no key exists. */
  readonly loopback: boolean
  /** Requests per key (or per address without a key) per minute (default: PULJE_RATE_LIMIT, else 600). */
  readonly rateLimit?: number
}

/** The application as the caller of `req` sees it. */
export const appFor = (ctx: AppContext, req: FastifyRequest): AppContext =>
  ctx.forCaller(req.caller ?? OPEN_CALLER)

/** What anyone may fetch without a key: health, the API's description, and the page's static files (no data). */
const PUBLIC_PATHS = /^\/((health|openapi\.json|docs|assets)(\/|$|\?)|$|\?)/

const REASONS = { 401: "Unauthorized", 403: "Forbidden", 429: "Too Many Requests" } as const

const fail = (reply: FastifyReply, statusCode: 401 | 403 | 429, message: string) =>
  reply
    .code(statusCode)
    .type("application/json; charset=utf-8")
    .send({
      statusCode,
      error: REASONS[statusCode],
      message,
      requestId: String(reply.request.id),
    })

/**
 * Every later log line of the request names the key id. The request's logger is already its own
 * child (it carries the request id), so the binding is added to it rather than to a new child,
 * which cost every request a logger; the reply shares it.
 */
const logAs = (req: FastifyRequest, reply: FastifyReply, keyId: string | null) => {
  const log = req.log as FastifyRequest["log"] & { setBindings?: (b: object) => void }
  if (log.setBindings) log.setBindings({ keyId })
  else req.log = req.log.child({ keyId })
  reply.log = req.log
}

/**
 * Keys and roles: `Authorization: Bearer <key>`. 401 for a missing or bad key, 403 for a role
 * that may not. Without any active key the service answers everyone as OPEN_CALLER, but only
 * when it listens on loopback (serve() refuses to start elsewhere without keys). Every log line of
 * a request carries the key's id, never the key; requests are rate-limited per key.
 */
export const installAuth = async (app: FastifyInstance, options: AuthOptions): Promise<void> => {
  const { store } = options
  const max = options.rateLimit ?? (Number(process.env.PULJE_RATE_LIMIT) || 600)
  // Failed keys per address and minute: the per-key limit below only sees requests that got in.
  const failures = new Map<string, { count: number; until: number }>()
  const failedBefore = (ip: string) => {
    const f = failures.get(ip)
    return f !== undefined && f.until > Date.now() && f.count >= max
  }
  const countFailure = (ip: string) => {
    const now = Date.now()
    if (failures.size > 10_000) for (const [k, f] of failures) if (f.until <= now) failures.delete(k)
    const f = failures.get(ip)
    if (f && f.until > now) f.count++
    else failures.set(ip, { count: 1, until: now + 60_000 })
  }
  app.decorateRequest("caller", null as unknown as Caller)
  /**
   * A request with a key: true once its caller is set (or, for a public path, the key is merely
   * bad), false when it was answered (401, 403, 429). A promise only while the key is looked up.
   */
  const byKey = (
    req: FastifyRequest,
    reply: FastifyReply,
    header: string,
    needed: Role | "public",
  ): false | Promise<boolean> => {
    const key = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? ""
    logAs(req, reply, keyIdOf(key) ?? "malformed")
    if (failedBefore(req.ip)) {
      fail(reply, 429, "too many requests with a bad key; wait a minute")
      return false
    }
    return (store ? store.keys.verify(key) : Promise.resolve(null)).then((record) => {
      if (!record) {
        countFailure(req.ip)
        if (needed === "public") return true
        fail(reply, 401, "the API key is not valid (unknown, revoked or malformed)")
        return false
      }
      req.caller = { keyId: record.id, role: record.role, confidential: record.confidential }
      if (needed === "public" || roleAllows(record.role, needed)) return true
      fail(reply, 403, `this needs the ${needed} role; the key has ${record.role}`)
      return false
    })
  }
  const noKey = (reply: FastifyReply) => {
    fail(reply, 401, "this service needs an API key: send Authorization: Bearer <key>")
  }
  // A callback hook: a request without a key to a public path, or off loopback, is decided
  // without a promise (an async hook costs one and a microtask turn on every request). Having
  // answered, it does not call done.
  app.addHook("onRequest", (req, reply, done) => {
    req.caller = OPEN_CALLER
    const config = req.routeOptions.config ?? {}
    const needed: Role | "public" =
      config.role ??
      (PUBLIC_PATHS.test(req.url)
        ? "public"
        : req.method === "GET" || req.method === "HEAD"
          ? "reader"
          : "negotiator")
    const header = req.headers.authorization
    if (header !== undefined) {
      const checked = byKey(req, reply, header, needed)
      if (checked) checked.then((go) => go && done(), done)
      return
    }
    logAs(req, reply, null)
    if (needed === "public") return done()
    if (!options.loopback) return noKey(reply)
    if (store === null) return done()
    const known = store.keys.activeCountNow()
    if (known !== undefined) return known > 0 ? noKey(reply) : done()
    store.keys.activeCount().then((n) => (n > 0 ? noKey(reply) : done()), done)
  })
  await app.register(rateLimit, {
    hook: "preHandler",
    max,
    timeWindow: "1 minute",
    keyGenerator: (req) => req.caller?.keyId ?? req.ip,
  })
}
