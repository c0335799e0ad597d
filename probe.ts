import { solveKnapsack } from "./src/solver/engine/search.ts"
import { budgetKnapsack } from "./tests/support/generate.ts"
import { knapsackLpText, solveLpTextWithHighs } from "./tests/support/highs.ts"
const sizes = (process.argv[2] ?? "100,300,1000,3000").split(",").map(Number)
const lims = (process.argv[3] ?? "2,10").split(",").map(Number) as (2|10)[]
const seeds = Number(process.argv[4] ?? 2)
const hi = process.argv[5] !== "nohighs"
for (const n of sizes) for (const L of lims) for (let s = 1; s <= seeds; s++) {
  const p = budgetKnapsack(s * 7919 + n + L, n, L)
  const r = solveKnapsack(p, { timeLimitMs: 1000 })
  const h = hi ? await solveLpTextWithHighs(knapsackLpText(p), 1) : null
  console.log(n, L, s, r.status, r.millis.toFixed(0), r.nodes, r.objective, (100*(r.gap??0)).toFixed(4), "root", r.rootBound.toFixed(0), "| HiGHS", h?.status, h?.millis.toFixed(0), h?.objective, h ? (100*(h.bound-(h.objective??0))/h.bound).toFixed(4) : "")
}
