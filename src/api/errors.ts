import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify"
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod"
import type { z } from "zod"
import { DataFileError } from "../model/load.ts"
import { RuleError } from "../solver/solve.ts"

/** One bad field of a request: where (e.g. "body.rules.limits.service") and what is wrong with it. */
export interface Issue {
  readonly path: string
  readonly message: string
}

/** An error the API answers with its own status, message and (for 400) the bad fields. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly issues: readonly Issue[] = [],
  ) {
    super(message)
    this.name = "ApiError"
  }
}

/** "limits.perYear[0].max" from ["limits", "perYear", 0, "max"], under an optional prefix. */
export const formatPath = (path: readonly PropertyKey[], prefix = ""): string =>
  path.reduce<string>(
    (acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc === "" ? String(k) : `${acc}.${String(k)}`),
    prefix,
  )

const summarise = (issues: readonly Issue[]) =>
  issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")

/** 400 with the bad fields. */
export const badRequest = (issues: readonly Issue[]): ApiError => new ApiError(400, summarise(issues), issues)

/** 400 from a zod error, with each issue's path under `prefix` (e.g. "body.rules"). */
export const fromZodError = (error: z.ZodError, prefix: string): ApiError =>
  badRequest(error.issues.map((i) => ({ path: formatPath(i.path, prefix), message: i.message })))

/** 400 from the solver's RuleError (rules naming unknown proposals, variants or committees). */
export const fromRuleIssues = (
  issues: readonly { readonly path: readonly (string | number)[]; readonly message: string }[],
  prefix: string,
): ApiError => badRequest(issues.map((i) => ({ path: formatPath(i.path, prefix), message: i.message })))

/** 404 for an unknown id, naming the ids that exist. */
export const notFound = (what: string, id: string, known: readonly string[]): ApiError =>
  new ApiError(404, `no ${what} "${id}"; known: ${known.join(", ")}`)

const REASON: Record<number, string> = {
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
}

/** The body of every error answer. */
export interface ErrorBody {
  readonly statusCode: number
  readonly error: string
  readonly message: string
  readonly issues?: readonly Issue[]
  readonly requestId: string
}

const send = (
  reply: FastifyReply,
  req: FastifyRequest,
  statusCode: number,
  message: string,
  issues?: readonly Issue[],
) => {
  const body: ErrorBody = {
    statusCode,
    error: REASON[statusCode] ?? "Error",
    message,
    ...(issues?.length ? { issues } : {}),
    requestId: String(req.id),
  }
  return reply.code(statusCode).type("application/json; charset=utf-8").send(body)
}

/**
 * The one error handler: request validation → 400 with each bad field's path; our own errors with
 * their status; Fastify's client errors (bad JSON, body too large, wrong media type) as they are;
 * anything else is a bug: logged with its stack and answered 500.
 */
export const errorHandler = (
  error: FastifyError | Error,
  req: FastifyRequest,
  reply: FastifyReply,
): FastifyReply => {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = "validationContext" in error ? String(error.validationContext ?? "") : ""
    const issues = error.validation.map((v) => ({
      path: formatPath(
        v.instancePath
          .split("/")
          .filter(Boolean)
          .map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
        where,
      ),
      message: v.message ?? "invalid",
    }))
    return send(reply, req, 400, summarise(issues), issues)
  }
  if (error instanceof ApiError) return send(reply, req, error.statusCode, error.message, error.issues)
  if (error instanceof RuleError) {
    const e = fromRuleIssues(error.issues, "body.rules")
    return send(reply, req, 400, e.message, e.issues)
  }
  if (error instanceof DataFileError) {
    req.log.error({ err: error }, "data file error")
    return send(reply, req, 500, `the server's data is invalid: ${error.message}`)
  }
  const status = "statusCode" in error && typeof error.statusCode === "number" ? error.statusCode : 500
  if (status >= 400 && status < 500) {
    const message =
      "code" in error && error.code === "FST_ERR_CTP_BODY_TOO_LARGE"
        ? `the request body is larger than the limit of ${reply.server.initialConfig.bodyLimit ?? 0} bytes`
        : error.message
    return send(reply, req, status, message)
  }
  req.log.error({ err: error }, "unexpected error")
  return send(reply, req, 500, `internal error (request ${String(req.id)}); it has been logged`)
}

/** Unknown route: 404 naming the endpoints that exist. */
export const installNotFound = (app: FastifyInstance, endpoints: () => readonly string[]): void => {
  app.setNotFoundHandler((req, reply) =>
    send(
      reply,
      req,
      404,
      `no endpoint ${req.method} ${req.url.split("?")[0]}; there are: ${endpoints().join(", ")}`,
    ),
  )
}
