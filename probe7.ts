import { join } from "node:path"
import { loadDataSet } from "./src/model/load.ts"
import { compile } from "./src/solver/compile.ts"
import { solveKnapsack } from "./src/solver/engine/search.ts"
import { branchAndBound } from "./src/solver/oldbb.ts"
import { lower } from "./src/solver/lower.ts"
import { Rules } from "./src/solver/rules.ts"
const { proposals } = loadDataSet(join("scenarios", "ofs-2025-26"))
const perYear = [2026, 2027, 2028, 2029, 2030].flatMap((year) => (["service", "anlaeg"] as const).map((area) => ({ area, year, max: 20000 })))
for (const rules of [{ limits: { service: 150000, anlaeg: 80000, perYear } }, { limits: { service: 100000, anlaeg: 87500 } }]) {
const prob = compile(proposals, Rules.parse(rules))
const k = lower(prob).knapsack
for (let rep = 0; rep < 3; rep++) {
let t = performance.now(); let n1 = 0
for (let i = 0; i < 2000; i++) n1 += solveKnapsack(k).nodes
const a = (performance.now() - t) / 2000
t = performance.now(); let n2 = 0
for (let i = 0; i < 2000; i++) n2 += branchAndBound(prob).nodes
const b = (performance.now() - t) / 2000
console.log("new", a.toFixed(3), n1 / 2000, "old", b.toFixed(3), n2 / 2000)
}}
