import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify"
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod"
import { z } from "zod"
import {
  Busy,
  Conflict,
  formatPath,
  InvalidInput,
  Issue,
  NoAnswer,
  NotFound,
  Stopped,
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
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
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

const send = (
  reply: FastifyReply,
  req: FastifyRequest,
  statusCode: number,
  message: string,
  issues?: readonly Issue[],
) => {
  const body: ErrorResponse = {
    statusCode,
    error: REASON[statusCode] ?? "Error",
    message,
    ...(issues?.length ? { issues } : {}),
    requestId: String(req.id),
  }
  return reply.code(statusCode).type("application/json; charset=utf-8").send(body)
}

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
  if (app !== undefined)
    return send(reply, req, app, error.message, error instanceof InvalidInput ? error.issues : [])
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
