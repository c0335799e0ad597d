import { loadDataSet } from "./src/model/load.ts"
import { Rules } from "./src/solver/index.ts"
import { explain } from "./src/solver/analysis/explain.ts"
import { loadScenarios } from "./src/solver/scenario.ts"
const { proposals } = loadDataSet("scenarios/ofs-2025-26")
const sc = loadScenarios("scenarios/ofs-2025-26/scenarios")
const rules = Rules.parse({ limits: { service: 100000, anlaeg: 87500 } })
explain(proposals, rules)
const e = explain(proposals, rules)
console.log(e.stats)
for (const o of e.options) console.log(o.text, JSON.stringify(o.costThresholds ?? ""))
for (const r of e.rulePrices) console.log(r.explanation, r.priceAgainstNone)
for (const l of e.limits) console.log(JSON.stringify(l))
const e2 = explain(proposals, sc.find(s => s.id === "bc10-scenario-2")!.rules)
for (const r of e2.rulePrices) console.log(r.explanation, r.priceAgainstNone)
