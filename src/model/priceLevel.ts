import { z } from "zod"
import type { PoolArea } from "./schema.ts"

const Year = z.coerce.number().int().min(2000).max(2100)
const Levels = z.record(z.string().regex(/^\d{4}$/, "a year like 2026"), z.number().positive())

/**
 * Price index used to move amounts between price levels (p/l), per budget area: the level of a
 * year relative to the base year (base = 1). An amount at `to` = amount at `from` × level(to) / level(from).
 * A round's `round.json` holds its index.
 */
export const PriceIndex = z
  .object({
    version: z.string().min(1),
    /** Where the levels come from. */
    source: z.string().min(1),
    base: Year,
    levels: z.object({ service: Levels, anlaeg: Levels }).strict(),
  })
  .strict()
export type PriceIndex = z.infer<typeof PriceIndex>

/** The index value of `year` for `area`; a RangeError names what the index lacks. */
export const priceLevelOf = (area: PoolArea, year: number, index: PriceIndex): number => {
  const l = index.levels[area][String(year)]
  if (l === undefined) throw new RangeError(`price index ${index.version} has no ${area} level for ${year}`)
  return l
}

/** The price levels (years) the index knows in both areas. */
export const knownLevels = (index: PriceIndex): number[] =>
  Object.keys(index.levels.service)
    .filter((y) => index.levels.anlaeg[y] !== undefined)
    .map(Number)

/** The factor that moves an amount in `area` from price level `from` to `to`. */
export const priceFactor = (area: PoolArea, from: number, to: number, index: PriceIndex): number =>
  priceLevelOf(area, to, index) / priceLevelOf(area, from, index)

/** Amount moved from price level `from` to `to` (fractions kept; round only for display). */
export const convertPrice = (
  amount: number,
  area: PoolArea,
  from: number,
  to: number,
  index: PriceIndex,
): number => (from === to ? amount : amount * priceFactor(area, from, to, index))
