import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod"
import type { z } from "zod"
import { ApiError } from "./errors.ts"
import {
  AuditReport,
  CompareBody,
  CompareResponse,
  ErrorResponse,
  EvaluateBody,
  EvaluateResponse,
  Health,
  IdParams,
  ProposalDetail,
  ProposalList,
  ProposalsQuery,
  ScenarioList,
  ScenarioResponse,
  ScenarioSolveBody,
  ScenarioSolveResponse,
  SolveBody,
  SolveResponse,
} from "./schemas.ts"
import type { Service } from "./service.ts"

const errors = {
  400: ErrorResponse,
  404: ErrorResponse,
  413: ErrorResponse,
  422: ErrorResponse,
  503: ErrorResponse,
}

/** The REST routes: each a few lines over the service (which calls src/model and src/solver). */
export const routes =
  (service: Service): FastifyPluginAsyncZod =>
  async (app) => {
    const { catalog } = service

    app.get(
      "/health",
      { schema: { tags: ["service"], summary: "Is the service up", response: { 200: Health } } },
      async () => ({
        status: "ok" as const,
        proposals: catalog.data.proposals.length,
        scenarios: catalog.scenarios.length,
        defaultScenario: catalog.defaultScenario.id,
        solverThreads: service.pool.threads,
      }),
    )

    app.get(
      "/proposals",
      {
        schema: {
          tags: ["data"],
          summary: "The investment proposals, with headline figures per variant",
          querystring: ProposalsQuery,
          response: { 200: ProposalList, 400: ErrorResponse },
        },
      },
      async (req) => {
        const { committee, area } = req.query
        let list = catalog.summaries
        if (committee !== undefined) {
          const want = committee.toLocaleLowerCase("da")
          const names = catalog.committees.filter((c) => c.toLocaleLowerCase("da").includes(want))
          if (!names.length)
            throw new ApiError(400, `no committee matches "${committee}"`, [
              {
                path: "querystring.committee",
                message: `no committee matches "${committee}"; known: ${catalog.committees.join(", ")}`,
              },
            ])
          list = list.filter((p) => names.includes(p.committee))
        }
        if (area !== undefined) list = list.filter((p) => p.variants.some((v) => v.poolCostPool[area] > 0))
        return { count: list.length, proposals: list }
      },
    )

    app.get(
      "/proposals/:id",
      {
        schema: {
          tags: ["data"],
          summary: "One proposal: variants, lines, derived figures in both price levels, audit findings",
          params: IdParams,
          response: { 200: ProposalDetail, 404: ErrorResponse },
        },
      },
      async (req) => catalog.detail(req.params.id),
    )

    app.get(
      "/audit",
      {
        schema: {
          tags: ["data"],
          summary: "Where the document's printed figures differ from what its lines give",
          response: { 200: AuditReport },
        },
      },
      async () => {
        const recorded = catalog.findings.filter((f) => f.recorded).length
        return {
          findings: catalog.findings,
          summary: {
            findings: catalog.findings.length,
            recorded,
            unexplained: catalog.findings.length - recorded,
          },
        }
      },
    )

    app.get(
      "/scenarios",
      { schema: { tags: ["scenarios"], summary: "The named scenarios", response: { 200: ScenarioList } } },
      async () => ({
        defaultScenario: catalog.defaultScenario.id,
        scenarios: catalog.scenarios.map((s) => ({
          id: s.id,
          title: s.title,
          description: s.description,
          ...(s.compareTo === undefined ? {} : { compareTo: s.compareTo }),
        })),
      }),
    )

    app.get(
      "/scenarios/:id",
      {
        schema: {
          tags: ["scenarios"],
          summary: "One scenario: its rules, sources and assumptions",
          params: IdParams,
          response: { 200: ScenarioResponse, 404: ErrorResponse },
        },
      },
      async (req) => catalog.scenario(req.params.id),
    )

    app.post(
      "/scenarios/:id/solve",
      {
        schema: {
          tags: ["solve"],
          summary: "The best package under a scenario's rules, with any rule or limit overridden",
          params: IdParams,
          body: ScenarioSolveBody,
          response: { 200: ScenarioSolveResponse, ...errors },
        },
        // A bare POST (no body) solves the scenario as it is.
        preValidation: async (req) => {
          const r = req as { body: unknown }
          r.body ??= {}
        },
      },
      // RawJson parts go out as they are (see json.ts); the schema describes what they hold.
      async (req) =>
        (await service.solveScenario(req.params.id, req.body)) as z.output<typeof ScenarioSolveResponse>,
    )

    app.post(
      "/solve",
      {
        schema: {
          tags: ["solve"],
          summary: "The best package for a whole problem: rules, built-in proposals and new ones",
          body: SolveBody,
          response: { 200: SolveResponse, ...errors },
        },
      },
      async (req) => (await service.solve(req.body)) as z.output<typeof SolveResponse>,
    )

    app.post(
      "/evaluate",
      {
        schema: {
          tags: ["solve"],
          summary: "A hand-picked package: does it keep the rules, its totals, its distance to the optimum",
          body: EvaluateBody,
          response: { 200: EvaluateResponse, ...errors },
        },
      },
      async (req) => service.evaluate(req.body),
    )

    app.post(
      "/compare",
      {
        schema: {
          tags: ["solve"],
          summary: "Packages or scenario optima side by side: what differs, in effect and pool use",
          body: CompareBody,
          response: { 200: CompareResponse, ...errors },
        },
      },
      async (req) => service.compare(req.body),
    )
  }
