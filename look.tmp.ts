import { loadDataSet } from "./src/model/load.ts"
import { Rules } from "./src/solver/index.ts"
import { baseOf, materialise } from "./src/solver/analysis/resolve.ts"
import { branchAndBound } from "./src/solver/bb.ts"
const { proposals } = loadDataSet("scenarios/ofs-2025-26")
const rules = Rules.parse({ limits: { service: 100000, anlaeg: 87500 } })
const base = baseOf(proposals, rules)
const values = base.universe.groups.map(g => g.options.map(o => o.value * 1000))
let t = performance.now()
let p
for (let i = 0; i < 10000; i++) p = materialise(base.universe, { ...base.scenario, values })
console.log("materialise ms/10k", performance.now() - t)
t = performance.now()
for (let i = 0; i < 10000; i++) branchAndBound(p!)
console.log("bb same ms/10k", performance.now() - t)
t = performance.now()
for (let i = 0; i < 10000; i++) branchAndBound(p!, { nodeLimit: 1 })
console.log("bb 1 node ms/10k", performance.now() - t)
