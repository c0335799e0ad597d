import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod"
import type { AppContext } from "../../app/context.ts"
import { auditReport } from "../../app/useCases/audit.ts"
import { listProposals, proposalDetail, proposalDetails } from "../../app/useCases/proposals.ts"
import { RoundConfig } from "../../model/round.ts"
import { appFor } from "../auth.ts"
import {
  AuditReport,
  ErrorResponse,
  ProposalDetail,
  ProposalDetails,
  ProposalIdParams,
  ProposalList,
  ProposalsQuery,
} from "../schemas.ts"

/** The proposals and the audit of the document's figures. */
export const dataRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/proposals",
      {
        schema: {
          operationId: "listProposals",
          tags: ["data"],
          summary: "The investment proposals, with headline figures per variant",
          querystring: ProposalsQuery,
          response: { 200: ProposalList, 400: ErrorResponse },
        },
      },
      async (req) => listProposals(appFor(ctx, req), req.query),
    )

    app.get(
      "/proposals/details",
      {
        schema: {
          operationId: "listProposalDetails",
          tags: ["data"],
          summary:
            "Every proposal in full, the way GET /proposals/{id} gives one; filtered like GET /proposals",
          querystring: ProposalsQuery,
          response: { 200: ProposalDetails, 400: ErrorResponse },
        },
      },
      async (req) => proposalDetails(appFor(ctx, req), req.query),
    )

    app.get(
      "/proposals/:id",
      {
        schema: {
          operationId: "getProposal",
          tags: ["data"],
          summary: "One proposal: variants, lines, derived figures in both price levels, audit findings",
          params: ProposalIdParams,
          response: { 200: ProposalDetail, 404: ErrorResponse },
        },
      },
      async (req) => proposalDetail(appFor(ctx, req), req.params.id),
    )

    app.get(
      "/round",
      {
        schema: {
          operationId: "getRound",
          tags: ["data"],
          summary: "The round: its title, the tables' and the pool's price levels and the index between them",
          response: { 200: RoundConfig },
        },
      },
      async () => ctx.catalog.round.config,
    )

    app.get(
      "/audit",
      {
        schema: {
          operationId: "getAudit",
          tags: ["data"],
          summary: "Where the document's printed figures differ from what its lines give",
          response: { 200: AuditReport },
        },
      },
      async (req) => auditReport(appFor(ctx, req)),
    )
  }
