import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  type Area,
  convertPrice,
  cumulatedNetImpact,
  formatDanish,
  implementationCost,
  type Line,
  netImpact,
  type PaybackBasis,
  paybackYears,
  permanentChange,
  permanentEffect,
  poolCost,
  priceFactor,
  type Section,
  sectionTotal,
  Variant,
} from "../../src/model/index.ts"
import { builtInPrices } from "../../src/model/round.ts"

const PRICES = builtInPrices()
const INDEX = PRICES.priceIndex

const SECTIONS: readonly Section[] = ["permanent", "implementation", "other"]
const AREAS: readonly Area[] = ["service", "anlaeg", "overfoersler"]

const amount = fc.integer({ min: -50_000, max: 50_000 })

const lineArb = (n: number, areas: readonly Area[] = AREAS): fc.Arbitrary<Line> =>
  fc.record({
    label: fc.string({ minLength: 1, maxLength: 8 }),
    section: fc.constantFrom(...SECTIONS),
    area: fc.constantFrom(...areas),
    printedArea: fc.constant(""),
    // Tables are mostly blank cells: zeros are common, as in the document.
    values: fc.array(fc.oneof(fc.constant(0), amount), { minLength: n, maxLength: n }),
  })

/**
 * A valid Variant: consecutive table years, 1-8 lines with one value per year. Often the first
 * years are blank in every line, as in tables that open with an empty year (BC41).
 */
const variantArb = (areas: readonly Area[] = AREAS): fc.Arbitrary<Variant> =>
  fc
    .record({ first: fc.integer({ min: 2020, max: 2030 }), n: fc.integer({ min: 1, max: 9 }) })
    .chain(({ first, n }) =>
      fc.record({
        id: fc.constantFrom("base", "scenario-2"),
        label: fc.constant("Tabel 1"),
        unitPrinted: fc.constant("1.000 kr. 2027 p/l"),
        priceLevel: fc.constantFrom(2026, 2027),
        years: fc.constant(Array.from({ length: n }, (_, i) => first + i)),
        lines: fc.array(lineArb(n, areas), { minLength: 1, maxLength: 8 }),
        blank: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: n - 1 })),
        totals: fc.constant<Variant["totals"]>([]),
        payback: fc.constant<Variant["payback"]>([]),
      }),
    )
    .map(({ blank, lines, ...v }) => ({
      ...v,
      lines: lines.map((l) => ({ ...l, values: l.values.map((x, i) => (i < blank ? 0 : x)) })),
    }))

const basisArb = fc.constantFrom<PaybackBasis>("service", "total")

const withLines = (v: Variant, lines: readonly Line[]): Variant => ({ ...v, lines: [...lines] })
const add = (a: readonly number[], b: readonly number[]) => a.map((x, i) => x + (b[i] ?? 0))
const sum = (s: readonly number[]) => s.reduce((a, b) => a + b, 0)
/** null (never pays back) counts as infinitely long. */
const years = (p: number | null) => p ?? Number.POSITIVE_INFINITY

describe("generated variants", () => {
  it("are valid Variant objects", () => {
    fc.assert(fc.property(variantArb(), (v) => Variant.safeParse(v).success))
  })
})

describe("price level", () => {
  it("round-trips 2027 → 2026 → 2027 (and back) within 1e-9 relative", () => {
    fc.assert(
      fc.property(
        // Subnormal doubles hold fewer than 1e-9 relative precision by nature; amounts never are.
        fc.double({ min: -1e12, max: 1e12, noNaN: true }).filter((x) => x === 0 || Math.abs(x) >= 2 ** -1022),
        fc.constantFrom("service" as const, "anlaeg" as const),
        fc.constantFrom([2027, 2026] as const, [2026, 2027] as const),
        (x, area, [from, to]) => {
          const back = convertPrice(convertPrice(x, area, from, to, INDEX), area, to, from, INDEX)
          expect(Math.abs(back - x)).toBeLessThanOrEqual(1e-9 * Math.abs(x))
        },
      ),
    )
  })

  it("moves 2027 p/l to 2026 p/l by dividing by 1,028 (service) and 1,022 (anlæg); same level is identity", () => {
    fc.assert(
      fc.property(amount, (x) => {
        expect(convertPrice(x, "service", 2027, 2026, INDEX)).toBeCloseTo(x / 1.028, 9)
        expect(convertPrice(x, "anlaeg", 2027, 2026, INDEX)).toBeCloseTo(x / 1.022, 9)
        expect(convertPrice(x, "service", 2027, 2027, INDEX)).toBe(x)
      }),
    )
  })

  it("refuses a year the index does not hold", () => {
    expect(() => priceFactor("service", 2025, 2026, INDEX)).toThrow(RangeError)
    expect(() => convertPrice(1, "anlaeg", 2027, 2030, INDEX)).toThrow(/2030/)
  })
})

describe("totals are additive", () => {
  it("sectionTotal is the sum of the per-line values, per section and area", () => {
    fc.assert(
      fc.property(variantArb(), (v) => {
        for (const s of SECTIONS)
          for (const a of [undefined, ...AREAS]) {
            const expected = v.years.map((_, i) =>
              sum(
                v.lines
                  .filter((l) => l.section === s && (a === undefined || l.area === a))
                  .map((l) => l.values[i] ?? 0),
              ),
            )
            expect(sectionTotal(v, s, a)).toEqual(expected)
          }
        expect(netImpact(v)).toEqual(add(sectionTotal(v, "permanent"), sectionTotal(v, "implementation")))
      }),
    )
  })

  it("poolCost(service) + poolCost(anlæg) is the implementation total when lines are service or anlæg", () => {
    fc.assert(
      fc.property(variantArb(["service", "anlaeg"]), (v) => {
        expect(add(poolCost(v, "service"), poolCost(v, "anlaeg"))).toEqual(implementationCost(v))
      }),
    )
  })

  it("splitting a variant's lines in two and adding the parts' totals gives the whole", () => {
    fc.assert(
      fc.property(
        variantArb().chain((v) => fc.tuple(fc.constant(v), fc.integer({ min: 0, max: v.lines.length }))),
        ([v, k]) => {
          const a = withLines(v, v.lines.slice(0, k))
          const b = withLines(v, v.lines.slice(k))
          for (const f of [permanentChange, implementationCost, netImpact] as const)
            expect(add(f(a), f(b))).toEqual(f(v))
          for (const s of SECTIONS)
            expect(add(sectionTotal(a, s), sectionTotal(b, s))).toEqual(sectionTotal(v, s))
          for (const area of ["service", "anlaeg"] as const)
            expect(add(poolCost(a, area), poolCost(b, area))).toEqual(poolCost(v, area))
          expect(permanentEffect(a) + permanentEffect(b)).toBe(permanentEffect(v))
        },
      ),
    )
  })
})

describe("payback", () => {
  /** v with one more permanent service line: a saving of `saving` in table year `i`. */
  const withSaving = (v: Variant, i: number, saving: number): Variant =>
    withLines(v, [
      ...v.lines,
      {
        label: "saving",
        section: "permanent",
        area: "service",
        printedArea: "",
        values: v.years.map((_, j) => (j === i ? -saving : 0)),
      },
    ])

  const savingCase = variantArb().chain((v) =>
    fc.tuple(
      fc.constant(v),
      fc.integer({ min: 0, max: v.years.length - 1 }),
      fc.integer({ min: 1, max: 50_000 }),
      basisArb,
    ),
  )

  /** Pays back in 2 years counted from 2027, its first non-zero year (like BC41, whose 2026 is empty). */
  const lateStart: Variant = {
    id: "base",
    label: "Tabel 1",
    unitPrinted: "1.000 kr. 2027 p/l",
    priceLevel: 2027,
    years: [2026, 2027, 2028, 2029],
    lines: [
      { label: "cost", section: "implementation", area: "anlaeg", printedArea: "", values: [0, 10, 0, 0] },
      { label: "effect", section: "permanent", area: "service", printedArea: "", values: [0, 0, -20, -20] },
    ],
    totals: [],
    payback: [],
  }

  // lateStart is the counterexample to the first payback convention (year 1 = first non-zero
  // year), under which a saving of 1 in 2026 lengthened its payback from 2 to 3 years.
  it("never gets longer when a saving is added (a more negative permanent value in some year)", () => {
    fc.assert(
      fc.property(savingCase, ([v, i, saving, basis]) => {
        expect(years(paybackYears(withSaving(v, i, saving), basis))).toBeLessThanOrEqual(
          years(paybackYears(v, basis)),
        )
      }),
      { examples: [[[lateStart, 0, 1, "total"]]] },
    )
  })

  it("never gets longer when a saving is added in or after the year it counts from", () => {
    fc.assert(
      fc.property(savingCase, ([v, i, saving, basis]) => {
        const cost = implementationCost(v)
        const start = Math.max(
          0,
          cost.findIndex((x) => x !== 0),
        )
        fc.pre(i >= start)
        expect(years(paybackYears(withSaving(v, i, saving), basis))).toBeLessThanOrEqual(
          years(paybackYears(v, basis)),
        )
      }),
    )
  })

  it("is never less than one year", () => {
    fc.assert(
      fc.property(variantArb(), basisArb, (v, basis) => {
        const p = paybackYears(v, basis)
        if (p !== null) expect(p).toBeGreaterThanOrEqual(1)
      }),
    )
  })

  it("is the year from which the cumulated net impact stays at or below zero (total basis)", () => {
    fc.assert(
      fc.property(variantArb(), (v) => {
        const p = paybackYears(v, "total")
        const last = v.years[v.years.length - 1] as number
        if (netImpact(v).every((x) => x === 0)) {
          expect(p).toBeNull()
          return
        }
        // Year 1 is the first year with an implementation cost (the table's first if none).
        const start = Math.max(
          0,
          implementationCost(v).findIndex((x) => x !== 0),
        )
        const yearOf = (k: number) => (v.years[start] as number) + k - 1
        if (p === null) {
          // never for good: positive again far beyond the table
          expect(cumulatedNetImpact(v, last + 10_000_000)).toBeGreaterThan(0)
          return
        }
        expect(cumulatedNetImpact(v, yearOf(p))).toBeLessThanOrEqual(0)
        if (p > 1) expect(cumulatedNetImpact(v, yearOf(p - 1))).toBeGreaterThan(0)
        for (const y of [last, last + 1, last + 50, last + 10_000_000])
          if (y >= yearOf(p)) expect(cumulatedNetImpact(v, y)).toBeLessThanOrEqual(0)
      }),
    )
  })
})

describe("cumulatedNetImpact", () => {
  it("up to the last table year is the sum of netImpact; after it the permanent effect goes on", () => {
    fc.assert(
      fc.property(variantArb(), fc.integer({ min: 0, max: 30 }), (v, k) => {
        const last = v.years[v.years.length - 1] as number
        expect(cumulatedNetImpact(v, last)).toBe(sum(netImpact(v)))
        expect(cumulatedNetImpact(v, last + k)).toBe(sum(netImpact(v)) + k * permanentEffect(v))
        v.years.forEach((y, i) => {
          expect(cumulatedNetImpact(v, y)).toBe(sum(netImpact(v).slice(0, i + 1)))
        })
      }),
    )
  })
})

describe("formatDanish", () => {
  it.each([
    [1234, 0, "1.234"],
    [-1798, 0, "-1.798"],
    [2.5, 1, "2,5"],
    [0, 0, "0"],
    [-0.4, 0, "0"],
    [217304, 0, "217.304"],
    [-121045, 0, "-121.045"],
    [999, 0, "999"],
    [1000000, 0, "1.000.000"],
  ])("formats %d with %d decimals as %s", (x, d, s) => {
    expect(formatDanish(x, d)).toBe(s)
  })

  /** Read a number as the document prints it: "." groups thousands, "," is the decimal mark. */
  const parseDanish = (s: string) => Number(s.replace(/\./g, "").replace(",", "."))

  it("round-trips integers, reading '.' as grouping", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        const s = formatDanish(n)
        expect(s).toMatch(/^-?\d{1,3}(\.\d{3})*$/)
        expect(parseDanish(s)).toBe(n)
      }),
    )
  })

  it("keeps the given number of decimals after a ','", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 1, max: 3 }), (x, d) => {
        const s = formatDanish(x, d)
        expect(s).toMatch(new RegExp(`^-?\\d{1,3}(\\.\\d{3})*,\\d{${d}}$`))
        expect(parseDanish(s) + 0).toBe(Number(x.toFixed(d)) + 0)
      }),
    )
  })
})
