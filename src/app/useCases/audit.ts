import { z } from "zod"
import { Finding } from "../../model/audit.ts"
import type { AppContext } from "../context.ts"

export const AuditReport = z.object({
  findings: z.array(Finding).readonly(),
  summary: z.object({
    findings: z.number().int(),
    recorded: z.number().int().describe("Findings a proposal's anomalies list records as a document error"),
    unexplained: z.number().int(),
  }),
})
export type AuditReport = z.output<typeof AuditReport>

/** Where the document's printed figures differ from what its lines give, with a count. */
export const auditReport = (ctx: AppContext): AuditReport => {
  const { findings } = ctx.catalog
  const recorded = findings.filter((f) => f.recorded).length
  return {
    findings,
    summary: { findings: findings.length, recorded, unexplained: findings.length - recorded },
  }
}
