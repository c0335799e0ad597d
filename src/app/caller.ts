import { z } from "zod"
import { Role } from "../store/schema.ts"

export { Role }

/**
 * Who asks: the id of their API key (never the key; null when the service runs open or for the
 * local command line), what their role allows, and whether they hold the confidential grant.
 */
export const Caller = z
  .object({ keyId: z.string().nullable(), role: Role, confidential: z.boolean() })
  .strict()
export type Caller = z.infer<typeof Caller>

/** A caller without a key on an open (loopback-only) service: every role, no confidential grant. */
export const OPEN_CALLER: Caller = { keyId: null, role: "admin", confidential: false }
