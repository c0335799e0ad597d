import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod"
import type { AppContext } from "../../app/context.ts"
import { asSent } from "../../app/rawJson.ts"
import { listScenarios, scenarioDetail } from "../../app/useCases/scenarios.ts"
import { solveScenario } from "../../app/useCases/solveScenario.ts"
import { appFor } from "../auth.ts"
import { forRequest, refuseWhenBusy } from "../limits.ts"
import {
  ErrorResponse,
  ScenarioIdParams,
  ScenarioList,
  ScenarioResponse,
  ScenarioSolveBody,
  ScenarioSolveResponse,
} from "../schemas.ts"
import { solveErrors } from "./solve.ts"

/** The named scenarios, and solving one with a what-if. */
export const scenarioRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/scenarios",
      {
        schema: {
          operationId: "listScenarios",
          tags: ["scenarios"],
          summary: "The named scenarios",
          response: { 200: ScenarioList },
        },
      },
      async (req) => listScenarios(appFor(ctx, req)),
    )

    app.get(
      "/scenarios/:id",
      {
        schema: {
          operationId: "getScenario",
          tags: ["scenarios"],
          summary: "One scenario: its rules, sources and assumptions",
          params: ScenarioIdParams,
          response: { 200: ScenarioResponse, 404: ErrorResponse },
        },
      },
      async (req) => scenarioDetail(appFor(ctx, req), req.params.id),
    )

    app.post(
      "/scenarios/:id/solve",
      {
        onRequest: refuseWhenBusy(ctx),
        schema: {
          operationId: "solveScenario",
          tags: ["solve"],
          summary: "The best package under a scenario's rules, with any rule or limit overridden",
          params: ScenarioIdParams,
          body: ScenarioSolveBody,
          response: { 200: ScenarioSolveResponse, ...solveErrors },
        },
        // A bare POST (JSON type, empty body) solves the scenario as it is.
        // (before validation the body is still the raw JSON, not yet the schema's output type)
        preValidation: (req: { body: unknown }, _reply: unknown, done: () => void) => {
          req.body ??= {}
          done()
        },
      },
      async (req, reply) =>
        asSent(await solveScenario(forRequest(appFor(ctx, req), reply), req.params.id, req.body)),
    )
  }
