import { basename } from "node:path"
import type { FastifyReply } from "fastify"
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod"
import { z } from "zod"
import type { AppContext } from "../../app/context.ts"
import { InvalidInput } from "../../app/errors.ts"
import { DEFAULT_ROUND, roundIds, roundsDir } from "../../app/rounds.ts"
import {
  type ExportFile,
  ExportQuery,
  evaluationExport,
  exportFile,
  scenarioExport,
} from "../../app/useCases/packageExport.ts"
import {
  ImportInput,
  importRound,
  RoundExists,
  roundAsWorkbook,
  roundTemplate,
  SeedInput,
  seedRoundFolder,
  WorkbookFinding,
  XLSX_TYPE,
} from "../../app/useCases/roundFiles.ts"
import { appFor } from "../auth.ts"
import { ErrorResponse, EvaluateBody, ScenarioIdParams, ScenarioSolveBody } from "../schemas.ts"
import { solveErrors } from "./solve.ts"

/**
 * The routes that change data for everyone (import, seed) need the admin role once API keys
 * exist: the store's auth hook reads `config.role` (a plain object, so no type of it is needed
 * before that hook is merged).
 */
const ADMIN_ONLY = { role: "admin" } as const

/** How the service learns that a round on disk changed (to drop a loaded copy). */
export interface RoundFilesHooks {
  readonly roundWritten?: (id: string) => Promise<void>
}

export const File = z.string().describe("The file: an xlsx workbook (binary) or CSV text, as `format` asks")

export const send = (reply: FastifyReply, f: ExportFile) =>
  reply.type(f.type).header("content-disposition", `attachment; filename="${f.name}"`).send(f.body)

/** The import's settings as a query string (booleans as "true"/"false"). */
/** A query-string boolean as swagger-ui sends it ("true" / "false"). */
const QueryBool = z
  .enum(["true", "false"])
  .default("false")
  .transform((v) => v === "true")
const ImportQuery = ImportInput.extend({
  round: ImportInput.shape.round.meta({ examples: ["budget-2027"] }),
  replace: QueryBool.describe(ImportInput.shape.replace.description ?? ""),
  acceptFindings: QueryBool.describe(ImportInput.shape.acceptFindings.description ?? ""),
})

const ImportResponse = z.object({
  status: z.enum(["written", "rejected"]),
  reason: z.enum(["errors", "unrecorded", "exists"]).optional(),
  round: z.object({ id: z.string(), title: z.string(), proposals: z.number().int() }).optional(),
  findings: z.array(WorkbookFinding).describe("Every finding with its sheet and cell, in Danish"),
})

const SeedResponse = z.object({
  round: z.object({ id: z.string(), title: z.string(), proposals: z.number().int() }),
  scenario: z.string().describe("Whose optimal package counted as funded"),
  funded: z.array(z.string()).describe("The proposals it funds (not carried over)"),
})

const conflict = (requestId: string, e: RoundExists) => ({
  statusCode: 409,
  error: "Conflict",
  message: `round ${basename(e.dir)} exists; set replace to replace it`,
  requestId,
})

const RoundList = z.object({
  default: z.string(),
  rounds: z.array(z.string()).describe("The rounds; each is also served under /rounds/{round}/…"),
})

/**
 * Files in and out: the round template and workbook, the import of a filled-in workbook (admin),
 * and a scenario's or a hand-picked package's export to xlsx or CSV.
 */
export const fileRoutes =
  (ctx: AppContext, hooks: RoundFilesHooks = {}): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser(
      [XLSX_TYPE, "application/octet-stream"],
      { parseAs: "buffer", bodyLimit: 20 * 1024 * 1024 },
      (_req, body, done) => done(null, body),
    )

    app.get(
      "/rounds",
      {
        schema: {
          operationId: "listRounds",
          tags: ["rounds"],
          summary:
            "The rounds side by side; every endpoint is also served under /rounds/{round}/… for one of them",
          response: { 200: RoundList },
        },
      },
      async () => ({ default: DEFAULT_ROUND, rounds: roundIds(roundsDir()) }),
    )

    app.get(
      "/round/template.xlsx",
      {
        schema: {
          operationId: "roundTemplate",
          tags: ["rounds"],
          summary: "The xlsx template for a new round (this round's price levels and index)",
          produces: [XLSX_TYPE],
          response: { 200: File },
        },
      },
      async (_req, reply) =>
        send(reply, { body: await roundTemplate(ctx), type: XLSX_TYPE, name: "runde-skabelon.xlsx" }),
    )

    app.get(
      "/round.xlsx",
      {
        schema: {
          operationId: "roundWorkbook",
          tags: ["rounds"],
          summary: "This round in the template's layout, to edit and import again",
          produces: [XLSX_TYPE],
          response: { 200: File },
        },
      },
      async (_req, reply) =>
        send(reply, {
          body: await roundAsWorkbook(ctx),
          type: XLSX_TYPE,
          name: `${ctx.catalog.round.config.id}.xlsx`,
        }),
    )

    app.post(
      "/rounds/import",
      {
        config: { ...ADMIN_ONLY, contentTypes: [XLSX_TYPE, "application/octet-stream"] },
        schema: {
          operationId: "importRound",
          tags: ["rounds"],
          summary:
            "Import a filled-in round workbook (body: the xlsx file). Nothing is written when it has errors",
          description:
            "201: written. 422: not written, with every finding (sheet, cell, printed, computed). 409: the round exists and replace is false. Admin only once API keys exist.",
          consumes: [XLSX_TYPE, "application/octet-stream"],
          querystring: ImportQuery,
          response: {
            201: ImportResponse,
            409: ImportResponse,
            422: ImportResponse,
            400: ErrorResponse,
            413: ErrorResponse,
          },
        },
      },
      async (req, reply) => {
        const body = req.body
        if (!Buffer.isBuffer(body))
          throw new InvalidInput([
            {
              path: "body",
              message: `send the xlsx file itself as the body, with content-type ${XLSX_TYPE}`,
            },
          ])
        const out = await importRound(body, req.query, hooks.roundWritten)
        if (out.status === "written")
          return reply.code(201).send({
            status: "written",
            round: {
              id: out.round.config.id,
              title: out.round.config.title,
              proposals: out.round.proposals.length,
            },
            findings: [...out.findings],
          })
        return reply
          .code(out.reason === "exists" ? 409 : 422)
          .send({ status: "rejected", reason: out.reason, findings: [...out.findings] })
      },
    )

    app.post(
      "/rounds/seed",
      {
        config: ADMIN_ONLY,
        schema: {
          operationId: "seedRound",
          tags: ["rounds"],
          summary: "A new round of this round's proposals that a scenario's optimal package does not fund",
          description:
            "Writes the round folder beside the others (201); 409 when it exists and replace is false. Admin only once API keys exist.",
          body: SeedInput.meta({ examples: [{ round: "budget-2027", title: "Budget 2027" }] }),
          response: { 201: SeedResponse, 409: ErrorResponse, ...solveErrors },
        },
      },
      async (req, reply) => {
        try {
          const s = await seedRoundFolder(ctx, req.body)
          await hooks.roundWritten?.(s.round.config.id)
          return reply.code(201).send({
            round: {
              id: s.round.config.id,
              title: s.round.config.title,
              proposals: s.round.proposals.length,
            },
            scenario: s.scenario,
            funded: s.funded,
          })
        } catch (e) {
          if (e instanceof RoundExists) return reply.code(409).send(conflict(req.id, e))
          throw e
        }
      },
    )

    app.post(
      "/scenarios/:id/export",
      {
        schema: {
          operationId: "exportScenarioSolve",
          tags: ["solve"],
          summary: "The best package of a scenario (with any what-if, as for /solve) as xlsx or CSV",
          description:
            "format=xlsx: the workbook (summary with live formulas, cash flows, rules). format=csv: one table (`table`) with ';' and decimal comma for Danish Excel; csv-plain: ',' and '.'. 422 when the scenario has no package.",
          params: ScenarioIdParams,
          querystring: ExportQuery,
          body: ScenarioSolveBody,
          produces: [XLSX_TYPE, "text/csv"],
          response: { 200: File, ...solveErrors },
        },
        preValidation: async (req) => {
          const r = req as { body: unknown }
          r.body ??= {}
        },
      },
      async (req, reply) =>
        send(
          reply,
          await exportFile(
            await scenarioExport(appFor(ctx, req), req.params.id, req.body),
            req.params.id,
            req.query,
          ),
        ),
    )

    app.post(
      "/evaluate/export",
      {
        schema: {
          operationId: "exportEvaluation",
          tags: ["solve"],
          summary: "A hand-picked package (as for /evaluate) as xlsx or CSV, with the rules it breaks",
          querystring: ExportQuery,
          body: EvaluateBody,
          produces: [XLSX_TYPE, "text/csv"],
          response: { 200: File, ...solveErrors },
        },
      },
      async (req, reply) =>
        send(reply, await exportFile(await evaluationExport(appFor(ctx, req), req.body), "pakke", req.query)),
    )
  }
