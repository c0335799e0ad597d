import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod"
import type { AppContext } from "../../app/context.ts"
import {
  alternativesOfScenario,
  explainScenario,
  frontierOfScenario,
  robustnessOfScenario,
} from "../../app/useCases/analyseScenario.ts"
import { appFor } from "../auth.ts"
import { forRequest, refuseWhenBusy } from "../limits.ts"
import {
  AlternativesBody,
  AlternativesResponse,
  ExplainBody,
  ExplainResponse,
  FrontierBody,
  FrontierResponse,
  RobustnessBody,
  RobustnessResponse,
  ScenarioIdParams,
} from "../schemas.ts"
import { solveErrors } from "./solve.ts"

/** A bare POST (no body) analyses the scenario as it is. */
const emptyBody = async (req: unknown) => {
  const r = req as { body: unknown }
  r.body ??= {}
}

/** The analyses of a scenario's optimum: frontier, explain, alternatives, robustness. */
export const analysisRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/scenarios/:id/frontier",
      {
        onRequest: refuseWhenBusy(ctx),
        schema: {
          operationId: "frontier",
          tags: ["analysis"],
          summary:
            "The optimum as a step function of a pool: every step, proven, and the value of 1 and 10 mio. kr. more",
          params: ScenarioIdParams,
          body: FrontierBody,
          response: { 200: FrontierResponse, ...solveErrors },
        },
        preValidation: emptyBody,
      },
      async (req, reply) => frontierOfScenario(forRequest(appFor(ctx, req), reply), req.params.id, req.body),
    )

    app.post(
      "/scenarios/:id/explain",
      {
        onRequest: refuseWhenBusy(ctx),
        schema: {
          operationId: "explain",
          tags: ["analysis"],
          summary:
            "Why each proposal is in or out: prices of forcing out or in, entry thresholds, the price of each rule, each limit's value",
          params: ScenarioIdParams,
          body: ExplainBody,
          response: { 200: ExplainResponse, ...solveErrors },
        },
        preValidation: emptyBody,
      },
      async (req, reply) => explainScenario(forRequest(appFor(ctx, req), reply), req.params.id, req.body),
    )

    app.post(
      "/scenarios/:id/alternatives",
      {
        onRequest: refuseWhenBusy(ctx),
        schema: {
          operationId: "alternatives",
          tags: ["analysis"],
          summary: "The k best packages, diverse alternatives and the core index",
          params: ScenarioIdParams,
          body: AlternativesBody,
          response: { 200: AlternativesResponse, ...solveErrors },
        },
        preValidation: emptyBody,
      },
      async (req, reply) =>
        alternativesOfScenario(forRequest(appFor(ctx, req), reply), req.params.id, req.body),
    )

    app.post(
      "/scenarios/:id/robustness",
      {
        onRequest: refuseWhenBusy(ctx),
        schema: {
          operationId: "robustness",
          tags: ["analysis"],
          summary:
            "Monte Carlo over the uncertain savings: P10/P50/P90, how often the optimum stays best, selection frequencies, the optimiser's curse",
          params: ScenarioIdParams,
          body: RobustnessBody,
          response: { 200: RobustnessResponse, ...solveErrors },
        },
        preValidation: emptyBody,
      },
      async (req, reply) =>
        robustnessOfScenario(forRequest(appFor(ctx, req), reply), req.params.id, req.body),
    )
  }
