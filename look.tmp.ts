import { loadDataSet } from "./src/model/load.ts"
import { Rules } from "./src/solver/index.ts"
import { alternatives } from "./src/solver/analysis/alternatives.ts"
const { proposals } = loadDataSet("scenarios/ofs-2025-26")
const rules = Rules.parse({ limits: { service: 100000, anlaeg: 87500 } })
alternatives(proposals, rules, { k: 3 })
for (const cs of [0.01, 0.02, 0.05]) {
  const a = alternatives(proposals, rules, { k: 3, coreShare: cs })
  console.log(cs, a.stats, a.core.packages, a.core.complete, a.core.entries.map(e => `${e.proposal}:${e.class[0]}:${e.share?.toFixed(2)}`).join(" "))
  if (cs === 0.02) {
    for (const b of a.best) console.log(b.rank, b.package.objective, b.behind, b.entered.map(c => c.proposal).join(","), "-", b.left.map(c => c.proposal).join(","))
    for (const b of a.diverse) console.log("div", b.package.objective, b.behind, b.entered.map(c => c.proposal).join(","), "-", b.left.map(c => c.proposal).join(","))
  }
}
