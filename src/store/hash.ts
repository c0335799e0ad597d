import { createHash } from "node:crypto"

/** JSON with object keys sorted at every depth: equal values give equal text. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  ) ?? "null"

/** sha256 (hex) of the canonical JSON of `value`: the request and result hashes of the audit trail. */
export const contentHash = (value: unknown): string =>
  createHash("sha256").update(canonicalJson(value)).digest("hex")
