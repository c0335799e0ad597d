import type { PoolArea } from "./schema.ts"

/**
 * Price index used to move amounts between price levels (p/l), per budget area.
 * A factor f for (from → to) means: amount at `to` = amount at `from` × f.
 */
export interface PriceIndex {
  readonly version: string
  readonly source: string
  /** factor[area][year] = price level of `year` relative to the base year (base = 1). */
  readonly base: number
  readonly levels: Readonly<Record<PoolArea, Readonly<Record<number, number>>>>
}

/**
 * The index behind the OFS 2025-26 overview table: its service and anlæg columns are the
 * proposals' implementation costs in 2027 p/l divided by 1,028 (service) and 1,022 (anlæg), i.e.
 * moved to 2026 p/l, the level the pool pays out in.
 */
export const OFS_2025_26_INDEX: PriceIndex = {
  version: "ofs-2025-26/1",
  source:
    "Bilag 2a, OFS 2025-2026, Tabel 1 (overview): service = 2027 p/l costs / 1,028, anlæg = 2027 p/l costs / 1,022; checked against all 30 rows",
  base: 2026,
  levels: {
    service: { 2026: 1, 2027: 1.028 },
    anlaeg: { 2026: 1, 2027: 1.022 },
  },
}

/** The index value of `year` for `area`; a RangeError names what the index lacks. */
export const priceLevelOf = (area: PoolArea, year: number, index: PriceIndex = OFS_2025_26_INDEX): number => {
  const l = index.levels[area][year]
  if (l === undefined) throw new RangeError(`price index ${index.version} has no ${area} level for ${year}`)
  return l
}

/** The factor that moves an amount in `area` from price level `from` to `to`. */
export const priceFactor = (
  area: PoolArea,
  from: number,
  to: number,
  index: PriceIndex = OFS_2025_26_INDEX,
) => priceLevelOf(area, to, index) / priceLevelOf(area, from, index)

/** Amount moved from price level `from` to `to` (fractions kept; round only for display). */
export const convertPrice = (
  amount: number,
  area: PoolArea,
  from: number,
  to: number,
  index: PriceIndex = OFS_2025_26_INDEX,
): number => (from === to ? amount : amount * priceFactor(area, from, to, index))
