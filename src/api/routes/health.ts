import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod"
import type { AppContext } from "../../app/context.ts"
import { appFor } from "../auth.ts"
import { Health } from "../schemas.ts"

/** Is the service up, and what does it serve. */
export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/health",
      {
        schema: {
          operationId: "getHealth",
          tags: ["service"],
          summary: "Is the service up",
          response: { 200: Health },
        },
      },
      async (req) => {
        const { catalog, pool } = appFor(ctx, req)
        return {
          status: "ok" as const,
          proposals: catalog.proposals.length,
          scenarios: catalog.scenarios.length,
          defaultScenario: catalog.defaultScenario.id,
          solverThreads: pool.threads,
          solves: pool.load(),
        }
      },
    )
  }
