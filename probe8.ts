import { join } from "node:path"
import { loadDataSet } from "./src/model/load.ts"
import { compile } from "./src/solver/compile.ts"
import { solveKnapsack } from "./src/solver/engine/search.ts"
import { lower } from "./src/solver/lower.ts"
import { Rules } from "./src/solver/rules.ts"
const { proposals } = loadDataSet(join("scenarios", "ofs-2025-26"))
const k = lower(compile(proposals, Rules.parse({ limits: { service: 100000, anlaeg: 87500 } }))).knapsack
for (let i = 0; i < 20000; i++) solveKnapsack(k)
