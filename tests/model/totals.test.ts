import { describe, expect, it } from "vitest"
import {
  auditAll,
  auditVariant,
  convertPrice,
  cumulate,
  cumulatedNetImpact,
  loadDataSet,
  netImpact,
  type Proposal,
  paybackYears,
  poolCost,
  type StatedTotal,
  type Variant,
} from "../../src/model/index.ts"
import { builtInPrices } from "../../src/model/round.ts"
import { DATA_DIR, mentions, recordingAnomaly } from "./fixtures.ts"

const PRICES = builtInPrices()
const INDEX = PRICES.priceIndex

const { proposals, overview } = loadDataSet(DATA_DIR)
const variants = proposals.flatMap((p) => p.variants.map((v) => [`${p.id}/${v.id}`, p, v] as const))

const get = (id: string, variant = "base"): Variant => {
  const v = proposals.find((p) => p.id === id)?.variants.find((x) => x.id === variant)
  if (!v) throw new Error(`no ${id}/${variant}`)
  return v
}

/** What a printed total row should hold, summed here from the lines (independently of the model). */
const linesSum = (v: Variant, t: StatedTotal): number[] =>
  v.years.map((_, i) =>
    v.lines
      .filter((l) =>
        t.kind === "impact"
          ? l.section === "permanent" || l.section === "implementation"
          : l.section === t.kind && (t.area === undefined || l.area === t.area),
      )
      .reduce((s, l) => s + (l.values[i] ?? 0), 0),
  )

interface Mismatch {
  readonly what: string
  readonly printed: number | null
  readonly computed: number | null
}

const totalMismatches = (v: Variant): Mismatch[] =>
  v.totals.flatMap((t) => {
    const c = linesSum(v, t)
    return v.years.flatMap((y, i) =>
      t.values[i] === c[i]
        ? []
        : [{ what: `${t.label} ${y}`, printed: t.values[i] ?? null, computed: c[i] ?? null }],
    )
  })

const paybackMismatches = (v: Variant): Mismatch[] =>
  v.payback.flatMap((pb) => {
    if (pb.basis === "other") return []
    const c = paybackYears(v, pb.basis)
    return pb.years === c ? [] : [{ what: pb.label, printed: pb.years, computed: c }]
  })

const KINDS = {
  total: ["total-mismatch", "impact-mismatch", "placement-ambiguous"],
  impact: ["impact-mismatch", "total-mismatch"],
  payback: ["payback-mismatch"],
} as const

describe.each(variants)("%s", (_, p: Proposal, v: Variant) => {
  it("prints total rows equal to the lines' sums, except where an anomaly records the difference", () => {
    for (const m of totalMismatches(v)) {
      const kinds = /påvirkning/i.test(m.what) ? KINDS.impact : KINDS.total
      expect(
        recordingAnomaly(p, v.id, kinds, m.printed, m.computed),
        `${p.id}/${v.id} ${m.what}: printed ${m.printed}, lines give ${m.computed}, no anomaly records it`,
      ).toBeDefined()
    }
  })

  it("prints paybacks equal to paybackYears, except where an anomaly records the difference", () => {
    for (const m of paybackMismatches(v))
      expect(
        recordingAnomaly(p, v.id, KINDS.payback, m.printed, m.computed),
        `${p.id}/${v.id} ${m.what}: printed ${m.printed}, model ${m.computed}, no anomaly records it`,
      ).toBeDefined()
  })

  it("reads an unqualified 'Tilbagebetalingstid' as both bases; any other basis is a recorded anomaly", () => {
    for (const pb of v.payback.filter((x) => x.basis === "other")) {
      if (pb.label === "Tilbagebetalingstid") {
        expect(paybackYears(v, "total")).toBe(pb.years)
        expect(paybackYears(v, "service")).toBe(pb.years)
      } else {
        const a = p.anomalies.find((x) => x.kind === "payback-mismatch" && mentions(x.printed, pb.years))
        expect(a, `${p.id} ${pb.label}`).toBeDefined()
      }
    }
  })

  it("audits to exactly these differences", () => {
    const mine = [...totalMismatches(v), ...paybackMismatches(v)]
    const audit = auditVariant(p, v).map(({ what, printed, computed }) => ({ what, printed, computed }))
    expect(audit).toEqual(mine)
  })
})

describe("auditAll on the real data", () => {
  it("leaves no finding unrecorded", () => {
    const unrecorded = auditAll(proposals, overview, PRICES).filter((f) => !f.recorded)
    expect(unrecorded).toEqual([])
  })
})

// Hand-checked against the source document (Bilag 2a), each figure read from the printed table.
describe("hand-checked values from the source document", () => {
  it("BC05: implementation, service 2 × (210 + 700 + 150) = 2.120 in 2027 p/l, 2.062 in 2026 p/l", () => {
    const v = get("BC05")
    expect(poolCost(v, "service")).toEqual([1060, 1060, 0, 0, 0, 0])
    const service2026 = convertPrice(2120, "service", 2027, 2026, INDEX)
    expect(service2026).toBeCloseTo(2120 / 1.028, 9)
    expect(Math.round(service2026)).toBe(2062)
    // Parkeringsfaciliteter 500 + 500 anlæg → 1.000 / 1,022 = 978 (the overview's anlæg cell).
    expect(poolCost(v, "anlaeg")).toEqual([500, 500, 0, 0, 0, 0])
    expect(Math.round(convertPrice(1000, "anlaeg", 2027, 2026, INDEX))).toBe(978)
  })

  it("BC10 base: payback 9, counting the cumulated impact through 2034", () => {
    const v = get("BC10")
    expect(netImpact(v)).toEqual([10181, 17033, 3132, -5643, -5643, -5643])
    expect(cumulate(netImpact(v))).toEqual([10181, 27214, 30346, 24703, 19060, 13417])
    const cumulated = [2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034].map((y) =>
      cumulatedNetImpact(v, y),
    )
    expect(cumulated).toEqual([10181, 27214, 30346, 24703, 19060, 13417, 7774, 2131, -3512])
    expect(paybackYears(v, "total")).toBe(9)
    expect(paybackYears(v, "service")).toBe(9)
  })

  it("BC10 scenario-2: pool cost 5.091 + 9.978 + 4.388 = 19.457, all service", () => {
    const v = get("BC10", "scenario-2")
    expect(poolCost(v, "service")).toEqual([5091, 9978, 4388, 0, 0, 0])
    expect(poolCost(v, "service").reduce((a, b) => a + b, 0)).toBe(19457)
    expect(poolCost(v, "anlaeg")).toEqual([0, 0, 0, 0, 0, 0])
    expect(paybackYears(v, "total")).toBe(9)
  })

  it("BC41: payback 3, counting from its first non-zero year 2027", () => {
    const v = get("BC41")
    expect(netImpact(v)).toEqual([0, 2675, 821, -3769, -5769, -5769])
    // From 2027: 2.675, 3.496, -273 → year 3. Counting from the empty 2026 would give 4.
    expect(cumulate(netImpact(v).slice(1))).toEqual([2675, 3496, -273, -6042, -11811])
    expect(paybackYears(v, "total")).toBe(3)
    expect(paybackYears(v, "service")).toBe(3)
    expect(Math.round(convertPrice(7250 + 6000 + 2000, "anlaeg", 2027, 2026, INDEX))).toBe(14922)
  })

  it("BC25: payback 6 despite the early dip of -142 in 2026", () => {
    const v = get("BC25")
    // 2026: Samlet varig ændring -583 + implementation 441 = -142 (the table prints 142, a recorded sign slip).
    expect(netImpact(v)).toEqual([-142, 9508, -2739, -2739, -2739, -2739])
    expect(cumulate(netImpact(v))).toEqual([-142, 9366, 6627, 3888, 1149, -1590])
    expect(paybackYears(v, "total")).toBe(6)
    expect(paybackYears(v, "service")).toBe(6)
  })
})
