import { describe, expect, it } from "vitest"
import {
  auditAll,
  auditOverviewRow,
  builtInPrices,
  loadDataSet,
  overviewRows,
} from "../../src/model/index.ts"
import { DATA_DIR } from "./fixtures.ts"

/** Document errors the audit must see or the data must record (issue 7, defects 18 and 19). */

const { proposals, overview } = loadDataSet(DATA_DIR)
const prices = builtInPrices()
const byId = new Map(proposals.map((p) => [p.id, p]))

describe("issue 7 defect 18: the overview's converted figures are compared as printed, rounded", () => {
  it("finds BC26's anlæg: 12.512 / 1,022 = 12.242,66 rounds to 12.243, printed 12.242", () => {
    const p = byId.get("BC26")
    const row = overviewRows(overview).find((r) => r.id === "BC26")
    if (!p || !row) throw new Error("BC26 missing")
    const findings = auditOverviewRow(p, row, prices)
    expect(findings.map((f) => [f.what, f.printed, f.computed])).toEqual([
      ["oversigten: anlæg (2026 p/l)", 12242, 12242.66],
    ])
    expect(findings[0]?.recorded).toBe(true)
  })

  it("finds no other overview cell that rounds differently from what it prints, unrecorded", () => {
    const unrecorded = auditAll(proposals, overview, prices).filter(
      (f) => f.check === "overview" && !f.recorded,
    )
    expect(unrecorded).toEqual([])
  })
})

describe("issue 7 defect 19: two prose errors are recorded with their numbers", () => {
  it("BC37: 4,1 mio. kr. is 1,5 årsværk per area over five areas, not 1,5 årsværk", () => {
    const a = byId
      .get("BC37")
      ?.anomalies.find((x) => x.kind === "prose-mismatch" && /årsværk/.test(x.description))
    expect(a?.printed).toBe("4,1 mio. kr. = 1,5 årsværk")
    expect(a?.computed).toBe("4.120 = 1,5 årsværk × 5 områder")
    const line = byId.get("BC37")?.variants[0]?.lines.find((l) => l.label.startsWith("1,5 årsværk"))
    expect(line?.values.at(-1)).toBe(4120)
  })

  it("BC42: the prose's 0,7 + 0,15 + 1,7 = 2,55 against the table's 1.650 + 700 + 150 + 200 = 2.700", () => {
    const a = byId.get("BC42")?.anomalies.find((x) => x.kind === "prose-mismatch")
    expect(a?.printed).toBe("0,7 + 0,15 + 1,7 = 2,55 mio. kr.")
    expect(a?.computed).toBe("1.650 + 700 + 150 + 200 = 2.700")
    const v = byId.get("BC42")?.variants[0]
    const sum = (re: RegExp) =>
      (v?.lines ?? [])
        .filter((l) => l.section === "implementation" && re.test(l.label))
        .reduce((s, l) => s + l.values.reduce((a, b) => a + b, 0), 0)
    expect([sum(/konsulent/i), sum(/^Anskaffelses/i), sum(/styring/i), sum(/^Licens/i)]).toEqual([
      1650, 700, 150, 200,
    ])
  })
})
