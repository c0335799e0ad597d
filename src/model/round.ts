import { readFileSync } from "node:fs"
import { join } from "node:path"
import { z } from "zod"
import { PriceIndex } from "./priceLevel.ts"

const Year = z.number().int().min(2000).max(2100)

/**
 * A round's own settings (`round.json`): what the negotiation is called, the price level its
 * tables are printed in, the one its pool pays out in, and the index between them.
 */
export const RoundConfig = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, "a round id is lowercase letters, digits and dashes"),
    title: z.string().min(1),
    /** The price level of the proposals' tables (2027 for OFS 2025-26). */
    tablePriceLevel: Year,
    /** The price level the pool's limits are set and paid out in (2026 for OFS 2025-26). */
    poolPriceLevel: Year,
    priceIndex: PriceIndex,
  })
  .strict()
export type RoundConfig = z.infer<typeof RoundConfig>

/** The price settings a computation needs: both levels and the index between them. */
export type Prices = Pick<RoundConfig, "tablePriceLevel" | "poolPriceLevel" | "priceIndex">

/** The folder of the round that ships with the package (OFS 2025-26), found relative to this module. */
export const BUILT_IN_ROUND_DIR = join(import.meta.dirname, "..", "..", "scenarios", "ofs-2025-26")

let builtIn: RoundConfig | undefined
/**
 * The built-in round's settings, read once from its `round.json`: the default for library calls
 * that name no prices. The application layer always passes the loaded round's own.
 */
export const builtInPrices = (): Prices => {
  builtIn ??= RoundConfig.parse(JSON.parse(readFileSync(join(BUILT_IN_ROUND_DIR, "round.json"), "utf8")))
  return builtIn
}
