import { z } from "zod"
import { formatDanish } from "../../model/format.ts"
import { ApiKey, AuditAction, AuditEntry, ChainCheckKind, KeyInput } from "../../store/schema.ts"
import type { AppContext } from "../context.ts"
import { InvalidInput, NotFound } from "../errors.ts"
import { storeOf } from "./savedPackages.ts"

export { KeyInput }

/** Which rows of the audit trail to read. */
export const AuditLogQuery = z
  .object({
    after: z.coerce.number().int().min(0).optional().describe("Only rows after this sequence number"),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    action: AuditAction.optional(),
    keyId: z.string().min(1).max(64).optional(),
    check: ChainCheckKind.default("incremental").describe(
      "The chain check: `incremental` (the rows added since the last check), or `full` (every row from the first)",
    ),
  })
  .strict()
export type AuditLogQuery = z.output<typeof AuditLogQuery>

export const AuditLog = z.object({
  entries: z
    .array(AuditEntry.extend({ text: z.string().describe("The row for people, in Danish") }))
    .readonly(),
  chain: z
    .object({
      ok: z.boolean(),
      rows: z.number().int(),
      brokenAt: z.number().int().optional(),
      checked: ChainCheckKind.describe(
        "Which rows were recomputed: `incremental`, those after the last row found to hold (and that row); `full`, every row",
      ),
    })
    .describe("Whether every row's hash and link to the row before still hold"),
})
export type AuditLog = z.output<typeof AuditLog>

const WORDS: Record<AuditEntry["action"], string> = {
  solve: "løsning",
  evaluate: "vurdering af pakke",
  compare: "sammenligning",
  analysis: "analyse",
  save: "gemt",
  delete: "slettet",
  "key-add": "nøgle oprettet",
  "key-revoke": "nøgle tilbagekaldt",
}

/** One audit row in Danish: when, who, what, and the objective. */
export const auditText = (e: AuditEntry): string =>
  [
    `${e.at.slice(0, 19).replace("T", " ")} UTC`,
    e.keyId ? `nøgle ${e.keyId}` : "uden nøgle",
    WORDS[e.action],
    ...(e.subject ? [e.subject] : []),
    ...(e.objective === null ? [] : [`målværdi ${formatDanish(e.objective, 1)}`]),
  ].join(" · ")

/**
 * The audit trail (admins): every solve, evaluate, compare, save and key change, with the chain
 * check. Rows about confidential proposals only for callers with the grant.
 */
export const auditLog = async (ctx: AppContext, query: AuditLogQuery): Promise<AuditLog> => {
  const store = storeOf(ctx)
  const rows = await store.audit.list(
    { confidential: ctx.caller.confidential },
    {
      ...(query.after === undefined ? {} : { after: query.after }),
      limit: query.limit,
      ...(query.action ? { action: query.action } : {}),
      ...(query.keyId ? { keyId: query.keyId } : {}),
    },
  )
  // Incremental by default, so a read's work stays bounded however long the trail; in slices
  // either way, so the event loop keeps serving meanwhile.
  const chain = { ...(await store.audit.verify(query.check)), checked: query.check }
  // The chain counts every row; a caller without the grant learns only whether it holds.
  const shown = ctx.caller.confidential ? chain : { ok: chain.ok, rows: rows.length, checked: chain.checked }
  return { entries: rows.map((e) => ({ ...e, text: auditText(e) })), chain: shown }
}

export const NewKey = z.object({
  key: z.string().describe("The key: shown this once, stored only as a hash"),
  record: ApiKey,
})
export const KeyList = z.object({ keys: z.array(ApiKey).readonly() })

/**
 * Make an API key; the key itself is in the answer this once. Only a caller with the
 * confidential grant may pass it on (an admin without it cannot mint it for themselves).
 */
export const createKey = async (ctx: AppContext, input: KeyInput) => {
  if (input.confidential && !ctx.caller.confidential)
    throw new InvalidInput([
      {
        path: "body.confidential",
        message: "only a caller with the confidential grant may give it to a key",
      },
    ])
  return storeOf(ctx).keys.create(input, { keyId: ctx.caller.keyId })
}

export const listKeys = async (ctx: AppContext) => ({ keys: await storeOf(ctx).keys.list() })

/** Revoke a key by its id. */
export const revokeKey = async (ctx: AppContext, id: string) => {
  if (!(await storeOf(ctx).keys.revoke(id, { keyId: ctx.caller.keyId })))
    throw new NotFound("active key", id, [])
  return { id, revoked: true as const }
}
