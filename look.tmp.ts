import { loadDataSet } from "./src/model/load.ts"
import { Rules } from "./src/solver/index.ts"
import { frontier } from "./src/solver/analysis/frontier.ts"
import { formatDanish as f } from "./src/model/format.ts"
const { proposals } = loadDataSet("scenarios/ofs-2025-26")
const rules = Rules.parse({ limits: { service: 100000, anlaeg: 87500 } })
frontier(proposals, rules)
for (const pool of ["service", "anlaeg", "total"] as const) {
  const fr = frontier(proposals, rules, { pool })
  console.log(pool, fr.steps.length, fr.stats, fr.to, JSON.stringify(fr.marginal?.next.map(m => [m.extra, m.gain, m.entered, m.left])))
}
const fr = frontier(proposals, rules, { pool: "service", from: 80000, to: 120000 })
console.log(fr.stats)
for (const s of fr.steps) console.log(f(s.pool), f(s.objective), s.gain, s.entered.map(c => c.proposal).join(","), "-", s.left.map(c => c.proposal).join(","))
