import type { Area, Line, PoolArea, Section, Variant } from "./schema.ts"

/** Per-year sums over a table's years, in 1.000 kr. at the table's price level. */
export type YearSeries = readonly number[]

const sumBy = (v: Variant, keep: (l: Line) => boolean): YearSeries =>
  v.years.map((_, i) => v.lines.filter(keep).reduce((sum, l) => sum + (l.values[i] ?? 0), 0))

/** Sum of the lines of one section (optionally one area), per year. */
export const sectionTotal = (v: Variant, section: Section, area?: Area): YearSeries =>
  sumBy(v, (l) => l.section === section && (area === undefined || l.area === area))

/** Pool cost of a variant in one budget area, per year (1.000 kr., the table's price level). */
export const poolCost = (v: Variant, area: PoolArea): YearSeries => sectionTotal(v, "implementation", area)

/** Sum of a series. */
export const total = (s: YearSeries): number => s.reduce((a, b) => a + b, 0)

/** Permanent changes (varige ændringer) per year: savings negative, running costs positive. */
export const permanentChange = (v: Variant, area?: Area): YearSeries => sectionTotal(v, "permanent", area)

/** Implementation costs paid by the pool per year, all areas. */
export const implementationCost = (v: Variant, area?: Area): YearSeries =>
  sectionTotal(v, "implementation", area)

/** Net impact per year: permanent changes plus implementation costs (Samlet økonomisk påvirkning). */
export const netImpact = (v: Variant): YearSeries => {
  const p = permanentChange(v)
  const c = implementationCost(v)
  return v.years.map((_, i) => (p[i] ?? 0) + (c[i] ?? 0))
}

/** Running sum of a series. */
export const cumulate = (s: YearSeries): YearSeries => {
  let acc = 0
  return s.map((x) => {
    acc += x
    return acc
  })
}

/**
 * The permanent yearly effect at full phase-in (effektivisering v. fuld indfasning): the permanent
 * change in the table's last year, as the overview counts it. Negative is a saving. 1.000 kr., table prices.
 */
export const permanentEffect = (v: Variant, area?: Area): number => {
  const p = permanentChange(v, area)
  return p[p.length - 1] ?? 0
}

/** Net impact cumulated up to and including `year`; years after the table carry the permanent effect on. */
export const cumulatedNetImpact = (v: Variant, year: number): number => {
  const impact = netImpact(v)
  let acc = 0
  v.years.forEach((y, i) => {
    if (y <= year) acc += impact[i] ?? 0
  })
  const last = v.years[v.years.length - 1] ?? year
  if (year > last) acc += (year - last) * permanentEffect(v)
  return acc
}
