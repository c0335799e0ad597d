import type { AreaAmounts, Comparison, PackageFigures } from "./result.ts"

/** One side of a comparison: a named package's figures. */
export interface Compared {
  readonly label: string
  readonly figures: PackageFigures
}

const ZERO: AreaAmounts = { service: 0, anlaeg: 0 }
const minus = (a: AreaAmounts, b: AreaAmounts): AreaAmounts => ({
  service: a.service - b.service,
  anlaeg: a.anlaeg - b.anlaeg,
})

/** Compare packages side by side; the first is the reference for the differences. */
export const compare = (items: readonly Compared[]): Comparison => {
  const first = items[0]
  const ids = [...new Set(items.flatMap((i) => i.figures.chosen.map((c) => c.proposal)))].sort()
  const variantIn = (i: Compared, id: string) =>
    i.figures.chosen.find((c) => c.proposal === id)?.variant ?? null
  const differences = ids
    .map((id) => ({ proposal: id, variants: items.map((i) => variantIn(i, id)) }))
    .filter((d) => new Set(d.variants).size > 1)
  const years = [...new Set(items.flatMap((i) => Object.keys(i.figures.totals.pool.byYear)))].sort()
  const byYear = (i: Compared) =>
    Object.fromEntries(years.map((y) => [y, i.figures.totals.pool.byYear[y] ?? ZERO]))
  const pool = items.map((i) => ({
    service: i.figures.totals.pool.service,
    anlaeg: i.figures.totals.pool.anlaeg,
  }))
  const firstYear = first ? byYear(first) : {}
  return {
    labels: items.map((i) => i.label),
    differences,
    objective: items.map((i) => i.figures.objective),
    objectiveDelta: items.map((i) => i.figures.objective - (first?.figures.objective ?? 0)),
    permanentEffect: items.map((i) => i.figures.permanentEffect),
    pool,
    poolDelta: pool.map((p) => minus(p, pool[0] ?? ZERO)),
    poolByYear: items.map(byYear),
    poolByYearDelta: items.map((i) => {
      const own = byYear(i)
      return Object.fromEntries(years.map((y) => [y, minus(own[y] ?? ZERO, firstYear[y] ?? ZERO)]))
    }),
  }
}
