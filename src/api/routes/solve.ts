import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod"
import type { AppContext } from "../../app/context.ts"
import { asSent } from "../../app/rawJson.ts"
import { comparePackages } from "../../app/useCases/comparePackages.ts"
import { evaluatePackage } from "../../app/useCases/evaluatePackage.ts"
import { solveProblem } from "../../app/useCases/solveProblem.ts"
import { appFor } from "../auth.ts"
import { BODY_LIMIT, forRequest, refuseWhenBusy } from "../limits.ts"
import {
  CompareBody,
  CompareResponse,
  ErrorResponse,
  EvaluateBody,
  EvaluateResponse,
  SolveBody,
  SolveResponse,
} from "../schemas.ts"

/** The answers a solving route can give besides 200. */
export const solveErrors = {
  400: ErrorResponse,
  404: ErrorResponse,
  413: ErrorResponse,
  415: ErrorResponse,
  422: ErrorResponse,
  503: ErrorResponse,
}

/** Whole problems, hand-picked packages and comparisons. */
export const solveRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/solve",
      {
        bodyLimit: BODY_LIMIT.problem,
        onRequest: refuseWhenBusy(ctx),
        schema: {
          operationId: "solveProblem",
          tags: ["solve"],
          summary: "The best package for a whole problem: rules, built-in proposals and new ones",
          body: SolveBody,
          response: { 200: SolveResponse, ...solveErrors },
        },
      },
      async (req, reply) => asSent(await solveProblem(forRequest(appFor(ctx, req), reply), req.body)),
    )

    app.post(
      "/evaluate",
      {
        onRequest: refuseWhenBusy(ctx),
        schema: {
          operationId: "evaluatePackage",
          tags: ["solve"],
          summary: "A hand-picked package: does it keep the rules, its totals, its distance to the optimum",
          body: EvaluateBody,
          response: { 200: EvaluateResponse, ...solveErrors },
        },
      },
      async (req, reply) => evaluatePackage(forRequest(appFor(ctx, req), reply), req.body),
    )

    app.post(
      "/compare",
      {
        onRequest: refuseWhenBusy(ctx),
        schema: {
          operationId: "comparePackages",
          tags: ["solve"],
          summary: "Packages or scenario optima side by side: what differs, in effect and pool use",
          body: CompareBody,
          response: { 200: CompareResponse, ...solveErrors },
        },
      },
      async (req, reply) => comparePackages(forRequest(appFor(ctx, req), reply), req.body),
    )
  }
