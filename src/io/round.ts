import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { z } from "zod"
import { loadDataSet, parseDataFile } from "../model/load.ts"
import { OFS_2025_26_INDEX } from "../model/priceLevel.ts"
import type { Overview, Proposal } from "../model/schema.ts"

const Year = z.number().int().min(2000).max(2100)
const Levels = z.record(z.string().regex(/^\d{4}$/, "a year of four digits"), z.number().positive())

/** The price index of a round as written in `round.json` (same meaning as the model's `PriceIndex`). */
export const PriceIndexFile = z
  .object({
    version: z.string().min(1),
    source: z.string(),
    base: Year,
    levels: z.object({ service: Levels, anlaeg: Levels }).strict(),
  })
  .strict()

/**
 * `round.json`: a round's identity and price levels. The proposals' tables are in
 * `tablePriceLevel`; the pool pays out in `poolPriceLevel`.
 */
export const RoundConfig = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, "a round id is lowercase letters, digits and dashes"),
    title: z.string().min(1),
    tablePriceLevel: Year,
    poolPriceLevel: Year,
    priceIndex: PriceIndexFile,
  })
  .strict()
export type RoundConfig = z.infer<typeof RoundConfig>

/** A round's data: its config, proposals (id order) and overview table. */
export interface RoundData {
  readonly config: RoundConfig
  readonly proposals: readonly Proposal[]
  readonly overview: Overview
}

/** The config of OFS 2025-26 for a folder that has no `round.json` yet. */
export const OFS_2025_26_CONFIG: RoundConfig = {
  id: "ofs-2025-26",
  title: "Overførselssagen 2025-2026, investeringspuljen",
  tablePriceLevel: 2027,
  poolPriceLevel: 2026,
  priceIndex: {
    version: OFS_2025_26_INDEX.version,
    source: OFS_2025_26_INDEX.source,
    base: OFS_2025_26_INDEX.base,
    levels: {
      service: { ...OFS_2025_26_INDEX.levels.service },
      anlaeg: { ...OFS_2025_26_INDEX.levels.anlaeg },
    },
  },
}

/** Read a round folder: `round.json` (OFS 2025-26's config where it is missing), overview and proposals. */
export const readRoundFolder = (dir: string): RoundData => {
  const file = join(dir, "round.json")
  const config = existsSync(file)
    ? parseDataFile(RoundConfig, file, readFileSync(file, "utf8"))
    : OFS_2025_26_CONFIG
  const { proposals, overview } = loadDataSet(dir)
  return { config, proposals, overview }
}

/** A round's price index in the model's shape (years as numbers). */
export const priceIndexOf = (config: RoundConfig) => {
  const num = (r: Record<string, number>) =>
    Object.fromEntries(Object.entries(r).map(([y, x]) => [Number(y), x])) as Record<number, number>
  return {
    version: config.priceIndex.version,
    source: config.priceIndex.source,
    base: config.priceIndex.base,
    levels: { service: num(config.priceIndex.levels.service), anlaeg: num(config.priceIndex.levels.anlaeg) },
  }
}
