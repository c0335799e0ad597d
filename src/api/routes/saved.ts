import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod"
import { z } from "zod"
import type { AppContext } from "../../app/context.ts"
import { asSent } from "../../app/rawJson.ts"
import { SolveSettings } from "../../app/settings.ts"
import {
  AuditLog,
  AuditLogQuery,
  auditLog,
  createKey,
  KeyList,
  listKeys,
  NewKey,
  revokeKey,
} from "../../app/useCases/admin.ts"
import { exportFile } from "../../app/useCases/packageExport.ts"
import { XLSX_TYPE } from "../../app/useCases/roundFiles.ts"
import {
  deletePackage,
  HistoryQuery,
  listPackages,
  PackageList,
  PackageVersions,
  packageVersions,
  ReopenedPackage,
  reopenPackage,
  SavedPackage,
  savedPackageExport,
  savePackage,
  updatePackage,
} from "../../app/useCases/savedPackages.ts"
import {
  deleteSavedScenario,
  listSavedScenarios,
  ReopenedScenario,
  SavedScenario,
  ScenarioSaveList,
  ScenarioVersions,
  savedScenario,
  savedScenarioVersions,
  saveScenario,
  solveSavedScenario,
  updateScenario,
} from "../../app/useCases/savedScenarios.ts"
import { appFor } from "../auth.ts"
import {
  ErrorResponse,
  KeyBody,
  SavedIdParams,
  SavePackageBody,
  SaveScenarioBody,
  ScenarioSolveResponse,
} from "../schemas.ts"
import { File, send } from "./files.ts"
import { solveErrors } from "./solve.ts"

const SolveSettingsBody = z.object(SolveSettings).strict()
const Deleted = z.object({ id: z.string(), deleted: z.literal(true) })
const saveErrors = { ...solveErrors, 404: ErrorResponse, 409: ErrorResponse }

/** Saved packages and user scenarios, in versions; registered only when a store is configured. */
export const savedRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    if (!ctx.store) return
    const tags = ["saved"]

    app.post(
      "/packages",
      {
        schema: {
          operationId: "savePackage",
          tags,
          summary: "Save a package with the figures it shows now (version 1)",
          body: SavePackageBody,
          response: { 201: SavedPackage, ...saveErrors },
        },
      },
      async (req, reply) => reply.code(201).send(await savePackage(appFor(ctx, req), req.body)),
    )
    app.get(
      "/packages",
      {
        schema: {
          operationId: "listPackages",
          tags,
          summary: "The saved packages (latest versions), most recently saved first",
          response: { 200: PackageList },
        },
      },
      async (req) => listPackages(appFor(ctx, req)),
    )
    app.get(
      "/packages/:id",
      {
        schema: {
          operationId: "getPackage",
          tags,
          summary: "A saved package: its figures as shown when saved, and today's if the data changed",
          params: SavedIdParams,
          response: { 200: ReopenedPackage, ...saveErrors },
        },
      },
      async (req) => reopenPackage(appFor(ctx, req), req.params.id),
    )
    app.put(
      "/packages/:id",
      {
        schema: {
          operationId: "updatePackage",
          tags,
          summary: "Save a new version (no version is ever overwritten)",
          params: SavedIdParams,
          body: SavePackageBody,
          response: { 200: SavedPackage, ...saveErrors },
        },
      },
      async (req) => updatePackage(appFor(ctx, req), req.params.id, req.body),
    )
    app.get(
      "/packages/:id/export.xlsx",
      {
        schema: {
          operationId: "exportSavedPackage",
          tags,
          summary: "A saved package (latest version) as xlsx, evaluated on today's data under its scenario",
          params: SavedIdParams,
          produces: [XLSX_TYPE],
          response: { 200: File, ...solveErrors },
        },
      },
      async (req, reply) =>
        send(
          reply,
          await exportFile(
            await savedPackageExport(appFor(ctx, req), req.params.id),
            `pakke-${req.params.id}`,
            {
              format: "xlsx",
              table: "forslag",
            },
          ),
        ),
    )

    app.delete(
      "/packages/:id",
      {
        schema: {
          operationId: "deletePackage",
          tags,
          summary: "Delete a package: gone from lists, its versions kept",
          params: SavedIdParams,
          response: { 200: Deleted, 404: ErrorResponse },
        },
      },
      async (req) => deletePackage(appFor(ctx, req), req.params.id),
    )
    app.get(
      "/packages/:id/versions",
      {
        schema: {
          operationId: "listPackageVersions",
          tags,
          summary:
            "Every version of a saved package, oldest first (?includeDeleted=true: of a deleted one too)",
          params: SavedIdParams,
          querystring: HistoryQuery,
          response: { 200: PackageVersions, 404: ErrorResponse },
        },
      },
      async (req) => packageVersions(appFor(ctx, req), req.params.id, req.query),
    )

    app.post(
      "/scenarios",
      {
        schema: {
          operationId: "saveScenario",
          tags,
          summary: "Save a user scenario: a named what-if over one of the round's scenarios",
          body: SaveScenarioBody,
          response: { 201: SavedScenario, ...saveErrors },
        },
      },
      async (req, reply) => reply.code(201).send(await saveScenario(appFor(ctx, req), req.body)),
    )
    app.get(
      "/scenarios/saved",
      {
        schema: {
          operationId: "listSavedScenarios",
          tags,
          summary: "The user scenarios (latest versions)",
          response: { 200: ScenarioSaveList },
        },
      },
      async (req) => listSavedScenarios(appFor(ctx, req)),
    )
    app.get(
      "/scenarios/saved/:id",
      {
        schema: {
          operationId: "getSavedScenario",
          tags,
          summary: "A user scenario",
          params: SavedIdParams,
          response: { 200: ReopenedScenario, 404: ErrorResponse },
        },
      },
      async (req) => savedScenario(appFor(ctx, req), req.params.id),
    )
    app.post(
      "/scenarios/saved/:id/solve",
      {
        schema: {
          operationId: "solveSavedScenario",
          tags: ["solve"],
          summary: "The best package under a user scenario, solved now",
          params: SavedIdParams,
          body: SolveSettingsBody,
          response: { 200: ScenarioSolveResponse, ...saveErrors },
        },
        preValidation: async (req: { body: unknown }) => {
          req.body ??= {}
        },
      },
      async (req) => asSent(await solveSavedScenario(appFor(ctx, req), req.params.id, req.body)),
    )
    app.put(
      "/scenarios/saved/:id",
      {
        schema: {
          operationId: "updateSavedScenario",
          tags,
          summary: "Save a new version of a user scenario",
          params: SavedIdParams,
          body: SaveScenarioBody,
          response: { 200: SavedScenario, ...saveErrors },
        },
      },
      async (req) => updateScenario(appFor(ctx, req), req.params.id, req.body),
    )
    app.delete(
      "/scenarios/saved/:id",
      {
        schema: {
          operationId: "deleteSavedScenario",
          tags,
          summary: "Delete a user scenario: gone from lists, its versions kept",
          params: SavedIdParams,
          response: { 200: Deleted, 404: ErrorResponse },
        },
      },
      async (req) => deleteSavedScenario(appFor(ctx, req), req.params.id),
    )
    app.get(
      "/scenarios/saved/:id/versions",
      {
        schema: {
          operationId: "listSavedScenarioVersions",
          tags,
          summary: "Every version of a user scenario",
          params: SavedIdParams,
          response: { 200: ScenarioVersions, 404: ErrorResponse },
        },
      },
      async (req) => savedScenarioVersions(appFor(ctx, req), req.params.id),
    )

    app.get(
      "/audit-log",
      {
        config: { role: "admin" },
        schema: {
          operationId: "getAuditLog",
          tags: ["admin"],
          summary: "The audit trail: every solve, evaluate, compare, save and key change (admins)",
          querystring: AuditLogQuery,
          response: { 200: AuditLog, 400: ErrorResponse },
        },
      },
      async (req) => auditLog(appFor(ctx, req), req.query),
    )
    app.post(
      "/keys",
      {
        config: { role: "admin" },
        schema: {
          operationId: "createKey",
          tags: ["admin"],
          summary: "Make an API key (the answer holds the key, this once)",
          body: KeyBody,
          response: { 201: NewKey, 400: ErrorResponse },
        },
      },
      async (req, reply) => reply.code(201).send(await createKey(appFor(ctx, req), req.body)),
    )
    app.get(
      "/keys",
      {
        config: { role: "admin" },
        schema: {
          operationId: "listKeys",
          tags: ["admin"],
          summary: "The API keys (no secrets)",
          response: { 200: KeyList },
        },
      },
      async (req) => listKeys(appFor(ctx, req)),
    )
    app.delete(
      "/keys/:id",
      {
        config: { role: "admin" },
        schema: {
          operationId: "revokeKey",
          tags: ["admin"],
          summary: "Revoke an API key",
          params: SavedIdParams,
          response: { 200: z.object({ id: z.string(), revoked: z.literal(true) }), 404: ErrorResponse },
        },
      },
      async (req) => revokeKey(appFor(ctx, req), req.params.id),
    )
  }
