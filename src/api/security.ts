import { randomUUID } from "node:crypto"
import type { IncomingMessage } from "node:http"
import cors from "@fastify/cors"
import type { FastifyInstance } from "fastify"
import helmet, { type HelmetOptions } from "helmet"
import { sendError } from "./errors.ts"

/** Who may reach the service and from where (see `secure`). */
export interface SecurityOptions {
  /**
   * Host names (without port) the service answers to; a request for any other Host gets 403, so
   * that a page on another site cannot reach a local server through DNS rebinding. "*" allows
   * any. Default: the loopback names (localhost, 127.0.0.1, ::1). Env ALLOWED_HOSTS (comma-separated).
   */
  readonly allowedHosts?: readonly string[] | undefined
  /**
   * Origins whose pages may call the API from a browser (CORS); default none: same origin only.
   * Env CORS_ORIGINS (comma-separated).
   */
  readonly corsOrigins?: readonly string[] | undefined
}

export const LOOPBACK_HOSTS: readonly string[] = ["localhost", "127.0.0.1", "::1"]

/** A list from a comma-separated environment variable; undefined when it is unset or empty. */
export const envList = (name: string): string[] | undefined => {
  const list = (process.env[name] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
  return list.length ? list : undefined
}

/** The host name of a Host header, without port or IPv6 brackets, in lower case. */
export const hostName = (host: string): string => {
  const h = host.trim().toLowerCase()
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]") < 0 ? undefined : h.indexOf("]"))
  const colon = h.indexOf(":")
  // Two colons or more: an IPv6 address written without brackets (only in configuration).
  return colon < 0 || h.indexOf(":", colon + 1) >= 0 ? h : h.slice(0, colon)
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

/**
 * The request id: the client's `x-request-id` when it is short and plain (so one id can follow
 * a request through several services), else one made here. Ids are logged and sent back, so
 * nothing long or odd from a client is ever repeated.
 */
export const requestId = (req: IncomingMessage): string => {
  const given = req.headers["x-request-id"]
  return typeof given === "string" && SAFE_REQUEST_ID.test(given) ? given : randomUUID()
}

/**
 * The Content Security Policy: everything from the service's own origin, nothing inline (the
 * docs page and the negotiation page load their scripts and styles as files), images also as
 * data: URLs (the docs page's icons), no framing, no plugins.
 */
const CSP = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", "data:"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", "data:"],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  upgradeInsecureRequests: null,
}

/**
 * The docs page's policy: the same, except for the one style element swagger-ui writes into the
 * page, allowed by its hash (not 'unsafe-inline'). A new swagger-ui version may change it: the
 * chaos suite opens /docs in chromium and names the hash it then needs.
 */
const SWAGGER_UI_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"
export const docsCsp = (header: string): string =>
  header.replace("style-src 'self'", `style-src 'self' ${SWAGGER_UI_STYLE}`)

/**
 * The headers helmet sets for these options, worked out once: they are the same on every answer,
 * and @fastify/helmet built helmet's middleware again (parsing the CSP) for every request.
 */
const helmetHeaders = (options: HelmetOptions): Record<string, string> => {
  const headers: Record<string, string> = {}
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = String(value)
    },
    removeHeader: () => {},
  }
  helmet(options)({} as IncomingMessage, res as never, (e?: unknown) => {
    if (e) throw e
  })
  return headers
}

/**
 * Safe defaults for every answer: a Host allow-list, CORS only for the configured origins,
 * security headers (helmet) with a strict CSP, and `Cache-Control: no-store` on every answer
 * that does not set its own caching (API answers change with the data and the question).
 */
export const secure = async (app: FastifyInstance, options: SecurityOptions = {}): Promise<void> => {
  const hosts = options.allowedHosts ?? envList("ALLOWED_HOSTS") ?? LOOPBACK_HOSTS
  const anyHost = hosts.includes("*")
  const allowed = new Set(hosts.map(hostName))
  // A callback hook (no async work; an async one costs a promise and a microtask turn per request).
  app.addHook("onRequest", (req, reply, done) => {
    if (anyHost) return done()
    const name = hostName(req.headers.host ?? "")
    if (allowed.has(name)) return done()
    sendError(
      reply,
      req,
      403,
      `this server does not answer for host "${name}"; allowed: ${[...allowed].join(", ")} (set ALLOWED_HOSTS)`,
    )
  })

  const origins = options.corsOrigins ?? envList("CORS_ORIGINS") ?? []
  const anyOrigin = origins.includes("*")
  const allowedOrigins = new Set(origins)
  await app.register(cors, {
    // A function rather than `false`, so that a preflight is answered (without an allow header) instead of 404.
    origin: (origin, cb) => cb(null, anyOrigin || (origin !== undefined && allowedOrigins.has(origin))),
    methods: ["GET", "HEAD", "POST"],
    allowedHeaders: ["content-type", "x-request-id", "authorization", "x-api-key"],
    exposedHeaders: ["x-request-id", "retry-after"],
    // A preflight without its headers is refused like any other (not with a text/plain 400).
    strictPreflight: false,
    maxAge: 600,
  })

  const headers = helmetHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: CSP },
    // The docs and the page load nothing from other origins, but they need not be isolated either.
    crossOriginEmbedderPolicy: false,
  })
  app.addHook("onRequest", (_req, reply, done) => {
    reply.headers(headers)
    done()
  })

  // A callback hook, not async: a promise and its turn per answer for one header.
  app.addHook("onSend", (_req, reply, payload, done) => {
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store")
    done(null, payload)
  })
}
