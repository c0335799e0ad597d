import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod"
import type { AppContext } from "../../app/context.ts"
import { analysisRoutes } from "./analysis.ts"
import { dataRoutes } from "./data.ts"
import { healthRoutes } from "./health.ts"
import { savedRoutes } from "./saved.ts"
import { scenarioRoutes } from "./scenarios.ts"
import { solveRoutes } from "./solve.ts"

/** Every route group: a new group is a file in this folder and a line here. */
export const ROUTE_GROUPS: readonly ((ctx: AppContext) => FastifyPluginAsyncZod)[] = [
  healthRoutes,
  dataRoutes,
  scenarioRoutes,
  solveRoutes,
  analysisRoutes,
  savedRoutes,
]
