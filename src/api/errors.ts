import type { Socket } from "node:net"
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify"
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod"
import { z } from "zod"
import {
  Busy,
  Cancelled,
  Conflict,
  formatPath,
  InvalidInput,
  Issue,
  NoAnswer,
  NotFound,
  Stopped,
  WorkerFailed,
} from "../app/errors.ts"
import { DataFileError } from "../model/load.ts"

const REASON: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Payload Too Large",
  408: "Request Timeout",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  499: "Client Closed Request",
  500: "Internal Server Error",
  503: "Service Unavailable",
}

/** The body of every error answer. */
export const ErrorResponse = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
    issues: z.array(Issue).readonly().optional(),
    requestId: z.string(),
  })
  .describe("An error: 400 names each bad field, 404 names what exists")
type ErrorResponse = z.infer<typeof ErrorResponse>

/** At most this many issues are listed; the rest are counted in a last one. */
export const MAX_ISSUES = 20
/** Longest text taken over from a request into an answer (messages, paths): longer ones are cut. */
const MAX_MESSAGE = 1000
const MAX_ISSUE_TEXT = 300

/** `text` cut to `max` characters, saying so. */
export const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`

/** The issues as listed in an answer: duplicates dropped, long texts cut, at most MAX_ISSUES. */
const listed = (issues: readonly Issue[]): Issue[] => {
  const seen = new Set<string>()
  const unique: Issue[] = []
  for (const i of issues) {
    const key = `${i.path}\u0000${i.message}`
    if (seen.has(key)) continue
    seen.add(key)
    unique.push({ path: truncate(i.path, MAX_ISSUE_TEXT), message: truncate(i.message, MAX_ISSUE_TEXT) })
  }
  if (unique.length <= MAX_ISSUES) return unique
  const more = unique.length - (MAX_ISSUES - 1)
  return [...unique.slice(0, MAX_ISSUES - 1), { path: "", message: `and ${more} more issues` }]
}

/** The error body of every error answer, whatever made it. */
export const errorBody = (
  statusCode: number,
  message: string,
  requestId: string,
  issues?: readonly Issue[],
): ErrorResponse => {
  const shown = issues?.length ? listed(issues) : []
  return {
    statusCode,
    error: REASON[statusCode] ?? "Error",
    message: truncate(shown.length ? new InvalidInput(shown).message : message, MAX_MESSAGE),
    ...(shown.length ? { issues: shown } : {}),
    requestId,
  }
}

/** Answer with an error in the one error shape. */
export const sendError = (
  reply: FastifyReply,
  req: FastifyRequest,
  statusCode: number,
  message: string,
  issues?: readonly Issue[],
): FastifyReply =>
  reply
    .code(statusCode)
    .type("application/json; charset=utf-8")
    .send(errorBody(statusCode, message, String(req.id), issues))
const send = sendError

/** The status code of each application error. */
const statusOf = (error: Error): number | undefined =>
  error instanceof InvalidInput
    ? 400
    : error instanceof NotFound
      ? 404
      : error instanceof Conflict
        ? 409
        : error instanceof NoAnswer
          ? 422
          : error instanceof Busy || error instanceof Stopped
            ? 503
            : error instanceof Cancelled
              ? 499
              : undefined

/**
 * The one error handler: request validation → 400 with each bad field's path; the application's
 * errors with their status; Fastify's client errors (bad JSON, body too large, wrong media type)
 * as they are; anything else is a bug: logged with its stack and answered 500.
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
    return send(reply, req, 400, new InvalidInput(issues).message, issues)
  }
  const app = statusOf(error)
  if (error instanceof Busy) reply.header("retry-after", String(error.retryAfterS))
  if (app !== undefined)
    return send(reply, req, app, error.message, error instanceof InvalidInput ? error.issues : [])
  if (error instanceof WorkerFailed) {
    req.log.error({ err: error }, "solver thread failed")
    return send(reply, req, 500, `a solver thread failed (request ${String(req.id)}); it has been logged`)
  }
  if (error instanceof DataFileError) {
    req.log.error({ err: error }, "data file error")
    return send(reply, req, 500, `the server's data is invalid: ${error.message}`)
  }
  const status = "statusCode" in error && typeof error.statusCode === "number" ? error.statusCode : 500
  if (status >= 400 && status < 500) {
    const message =
      "code" in error && error.code === "FST_ERR_CTP_BODY_TOO_LARGE"
        ? `the request body is larger than the limit of ${req.routeOptions.bodyLimit ?? reply.server.initialConfig.bodyLimit ?? 0} bytes for ${req.method} ${req.routeOptions.url ?? ""}`
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
      `no endpoint ${req.method} ${truncate(req.url.split("?")[0] ?? "", 200)}; there are: ${endpoints().join(", ")}`,
    ),
  )
}

/** Errors Fastify meets before routing (a URL that cannot be decoded, …): 400 in the one error shape. */
export const frameworkErrors = (error: FastifyError, req: FastifyRequest, reply: FastifyReply): void => {
  void send(reply, req, 400, truncate(error.message, 300))
}

/**
 * Errors of a connection before there is a request (headers too large, a malformed request, a
 * request too slow to arrive): answered in the one error shape where the socket still takes it.
 */
export const clientErrorHandler = (
  error: Error & { code?: string },
  socket: Socket,
  newRequestId: () => string,
): void => {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy()
    return
  }
  const status =
    error.code === "HPE_HEADER_OVERFLOW"
      ? 431
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT" || error.code === "ERR_HTTP_HEADERS_TIMEOUT"
        ? 408
        : 400
  const message =
    status === 431
      ? "the request's headers are larger than the server takes"
      : status === 408
        ? "the request did not arrive in time"
        : "the request is not valid HTTP"
  const body = JSON.stringify(errorBody(status, message, newRequestId()))
  socket.end(
    `HTTP/1.1 ${status} ${REASON[status]}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `cache-control: no-store\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}
