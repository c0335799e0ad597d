import { z } from "zod"

/** What a key may do: `reader` reads, `negotiator` also solves, evaluates and saves, `admin` also manages keys and reads the audit log. */
export const Role = z.enum(["reader", "negotiator", "admin"])
export type Role = z.infer<typeof Role>

const rank: Record<Role, number> = { reader: 0, negotiator: 1, admin: 2 }

/** True when `role` may do what `needed` may do (roles are ordered reader < negotiator < admin). */
export const roleAllows = (role: Role, needed: Role): boolean => rank[role] >= rank[needed]

/** Who does something: the id of the API key (never the key itself), or null when the service runs open. */
export const Actor = z.object({ keyId: z.string().nullable() }).strict()
export type Actor = z.infer<typeof Actor>

/**
 * What a caller may see: with `confidential` false, packages and audit rows that touch a
 * confidential proposal do not exist for it.
 */
export const View = z
  .object({ confidential: z.boolean(), includeDeleted: z.boolean().default(false) })
  .strict()
export type View = z.input<typeof View>

/** Pool use of a package at the pool's price level, 1.000 kr. (fractions kept). */
export const PoolUse = z
  .object({
    service: z.number(),
    anlaeg: z.number(),
    /** The price level these amounts are in (the pool's: 2026). */
    priceLevel: z.number().int(),
  })
  .strict()
export type PoolUse = z.infer<typeof PoolUse>

/** The figures of a saved version as they were shown when it was saved. */
export const ShownFigures = z
  .object({
    /** The objective (larger is better; for the default objective the yearly saving, 1.000 kr. 2027 p/l). */
    objective: z.number(),
    poolUse: PoolUse,
    /** The rules the package broke, in words (Danish), as shown. */
    violations: z.array(z.object({ rule: z.string(), text: z.string() }).strict()),
  })
  .strict()
export type ShownFigures = z.infer<typeof ShownFigures>

/** The metadata of one stored version of a saved item; a version is never changed once written. */
export const VersionMeta = z
  .object({
    id: z.string(),
    /** 1, 2, 3, … in the order saved. */
    version: z.number().int().positive(),
    name: z.string().min(1),
    note: z.string(),
    /** The figures as shown when saved; null when there were none (e.g. a scenario saved unsolved). */
    figures: ShownFigures.nullable(),
    /** Content hash of the data set (round) the figures were computed on. */
    dataHash: z.string(),
    /** True when the body names a confidential proposal: the whole item is then hidden from callers without the grant. */
    confidential: z.boolean(),
    /** ISO 8601 UTC. */
    savedAt: z.string(),
    savedBy: z.string().nullable(),
  })
  .strict()

/** The life cycle of a saved item. */
export const ItemMeta = z
  .object({
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    /** Set when soft-deleted: the item is gone from lists, its versions stay. */
    deletedAt: z.string().nullable(),
    deletedBy: z.string().nullable(),
  })
  .strict()

/** The schema of one version with a body of schema `body`. */
export const versionOf = <B extends z.ZodType>(body: B) => VersionMeta.extend({ body })
/** The schema of a saved item (its latest version and its life cycle) with a body of schema `body`. */
export const savedOf = <B extends z.ZodType>(body: B) => versionOf(body).extend(ItemMeta.shape)

/** One stored version with body type `B`. */
export type Version<B> = z.infer<typeof VersionMeta> & { readonly body: B }
/** A saved item (latest version and life cycle) with body type `B`. */
export type Saved<B> = Version<B> & z.infer<typeof ItemMeta>
/** A new version, as the application hands it to the store. */
export type Draft<B> = Pick<Version<B>, "name" | "note" | "figures" | "dataHash" | "confidential" | "body">

/** The kinds of thing the audit trail records. */
export const AuditAction = z.enum([
  "solve",
  "evaluate",
  "compare",
  "analysis",
  "save",
  "delete",
  "key-add",
  "key-revoke",
])
export type AuditAction = z.infer<typeof AuditAction>

/** A row to append to the audit trail. */
export const AuditInput = z
  .object({
    action: AuditAction,
    keyId: z.string().nullable(),
    /** What the action was about: a scenario id, a saved item's id and version, a key id. */
    subject: z.string().nullable().default(null),
    /** sha256 of the request (canonical JSON); or give `requestJson`. */
    requestHash: z.string().optional(),
    /**
     * The request's canonical JSON, for the store to hash into `requestHash` (a server's store
     * does so in its audit writer thread, off the event loop); not stored.
     */
    requestJson: z.string().optional(),
    /** sha256 of the result (canonical JSON); null when there was none. */
    resultHash: z.string().nullable().default(null),
    /** The result's JSON text, for the store to hash into `resultHash` (as `requestJson`); not stored. */
    resultJson: z.string().optional(),
    objective: z.number().nullable().default(null),
    /** True when a confidential proposal was part of the question: the row is then hidden from callers without the grant. */
    confidential: z.boolean().default(false),
  })
  .strict()
  .refine((a) => (a.requestHash === undefined) !== (a.requestJson === undefined), {
    message: "give requestHash or requestJson, not both",
    path: ["requestHash"],
  })
export type AuditInput = z.input<typeof AuditInput>

/** A row of the audit trail, chained: `hash` covers the row and `prevHash`, the previous row's hash. */
export const AuditEntry = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    action: AuditAction,
    keyId: z.string().nullable(),
    subject: z.string().nullable(),
    requestHash: z.string(),
    resultHash: z.string().nullable(),
    objective: z.number().nullable(),
    confidential: z.boolean(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .strict()
export type AuditEntry = z.infer<typeof AuditEntry>

/** Which rows a chain check covers: every row from the first, or those after the last one found to hold. */
export const ChainCheckKind = z.enum(["incremental", "full"])
export type ChainCheckKind = z.infer<typeof ChainCheckKind>

/** A stored API key, without its secret. */
export const ApiKey = z
  .object({
    /** The public part of the key: safe to log and show. */
    id: z.string(),
    name: z.string(),
    role: Role,
    /** May see and use confidential proposals. */
    confidential: z.boolean(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .strict()
export type ApiKey = z.infer<typeof ApiKey>

/** A new key: which role, which grant, and a name that says whose it is. */
export const KeyInput = z
  .object({ name: z.string().min(1), role: Role, confidential: z.boolean().default(false) })
  .strict()
export type KeyInput = z.input<typeof KeyInput>
